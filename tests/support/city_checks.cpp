#include "city_checks.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <set>

namespace loket::test {

namespace {

const char* const kDemoPassword = "demo-demo-demo";

// A check-in's retry key, new for every check-in of this test program.
httplib::Headers freshKey() {
    static std::atomic<int> next{0};
    return {{"Idempotency-Key", "city-" + std::to_string(++next)}};
}

// The waiting tickets a staff token's location shows: numbers.
std::set<std::string> waitingNumbers(const ServerProcess& server, const std::string& token) {
    ApiClient c(server, token);
    auto r = c.get("/api/v1/tickets?status=waiting");
    REQUIRE(r.status == 200);
    const Json& list = r.json.is_array() ? r.json : r.json["tickets"];
    std::set<std::string> out;
    for (const auto& t : list) out.insert(t["number"].get<std::string>());
    return out;
}

Json checkIn(const ServerProcess& server, const std::string& kioskToken, const std::string& service) {
    ApiClient kiosk(server, kioskToken);
    auto r = kiosk.post("/api/v1/tickets", {{"service", service}}, freshKey());
    INFO(r.body);
    REQUIRE(r.status == 201);
    return r.json["ticket"];
}

std::set<std::string> ids(const Json& list) {
    std::set<std::string> out;
    for (const auto& item : list) out.insert(item["id"].get<std::string>());
    return out;
}

// The events of `token`'s stream from the start of the ring, until `done` holds for one (at most 20 reads).
std::vector<SseEvent> eventsUntil(const ServerProcess& server, const std::string& token, const std::function<bool(const SseEvent&)>& done) {
    std::vector<SseEvent> seen;
    std::string last = "0";
    for (int i = 0; i < 20; ++i) {
        auto got = readEvents(server, token, 1, last); // at least one; a read may bring several
        REQUIRE_FALSE(got.empty());
        for (const auto& e : got) {
            seen.push_back(e);
            if (!e.id.empty()) last = e.id;
            if (done(e)) return seen;
        }
    }
    FAIL("the awaited event did not come");
    return seen;
}

} // namespace

std::filesystem::path cityConfig() { return std::filesystem::path(LOKET_SOURCE_DIR) / "firmware-config" / "city.example.toml"; }

std::string loginAt(const ServerProcess& server, const std::string& user, const std::string& location) {
    ApiClient c(server);
    Json body = {{"username", user}, {"password", kDemoPassword}};
    if (!location.empty()) body["location"] = location;
    auto r = c.post("/api/v1/login", body);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json["token"];
}

void checkKioskIsolation(const ServerProcess& forA, const ServerProcess& forB) {
    // Each location numbers its own tickets: both first "ophalen" tickets are B001.
    const Json b = checkIn(forB, "noord-kiosk-token", "ophalen");
    const Json a = checkIn(forA, "stadhuis-kiosk-token", "ophalen");
    CHECK(b["number"] == "B001");
    CHECK(a["number"] == "B001");
    // A kiosk offers its own location's services; noord has no passport service.
    ApiClient kioskA(forA, "stadhuis-kiosk-token"), kioskB(forB, "noord-kiosk-token");
    auto servicesA = kioskA.get("/api/v1/services"), servicesB = kioskB.get("/api/v1/services");
    REQUIRE(servicesA.status == 200);
    REQUIRE(servicesB.status == 200);
    CHECK(ids(servicesA.json) == std::set<std::string>{"paspoort", "ophalen", "uittreksel"});
    CHECK(ids(servicesB.json).count("paspoort") == 0);
    CHECK(kioskB.post("/api/v1/tickets", {{"service", "paspoort"}}, freshKey()).status / 100 == 4);
    CHECK(kioskA.get("/api/v1/hall").json["hall"]["name"] == "Stadhuis Rijnwaarde");
    CHECK(kioskB.get("/api/v1/hall").json["hall"]["name"] == "Servicepunt Noord");
    // A kiosk credential used on the other instance still serves its own location.
    ApiClient kioskAonB(forB, "stadhuis-kiosk-token");
    CHECK(kioskAonB.get("/api/v1/hall").json["hall"]["name"] == "Stadhuis Rijnwaarde");
    // Each queue holds its own kiosk's ticket only.
    CHECK(waitingNumbers(forA, loginAt(forA, "beheer", "stadhuis")) == std::set<std::string>{"B001"});
    CHECK(waitingNumbers(forB, loginAt(forB, "noord", "")) == std::set<std::string>{"B001"});
    const std::string admin = loginAt(forA, "beheer", "stadhuis");
    ApiClient adminA(forA, admin);
    auto tickets = adminA.get("/api/v1/tickets");
    REQUIRE(tickets.status == 200);
    const Json& list = tickets.json.is_array() ? tickets.json : tickets.json["tickets"];
    REQUIRE(list.size() == 1);
    CHECK(list[0]["public_code"] == a["public_code"]);
}

void checkDisplayIsolation(const ServerProcess& forA, const ServerProcess& forB) {
    const Json b = checkIn(forB, "noord-kiosk-token", "ophalen");     // B001 at noord
    const Json a = checkIn(forA, "stadhuis-kiosk-token", "paspoort"); // A001 at stadhuis
    ApiClient staffB(forB, loginAt(forB, "noord", "")), staffA(forA, loginAt(forA, "demo", "stadhuis"));
    REQUIRE(staffB.post("/api/v1/counters/n1/open").status == 200);
    REQUIRE(staffB.post("/api/v1/counters/n1/next").json["ticket"]["number"] == "B001");
    REQUIRE(staffA.post("/api/v1/counters/b1/open").status == 200);
    REQUIRE(staffA.post("/api/v1/counters/b1/next").json["ticket"]["number"] == "A001");
    // Each display's snapshot has its own counters only.
    ApiClient displayA(forA, "stadhuis-display-token"), displayB(forB, "noord-display-token");
    CHECK(ids(displayA.get("/api/v1/hall").json["counters"]) == std::set<std::string>{"b1", "b2", "b3"});
    CHECK(ids(displayB.get("/api/v1/hall").json["counters"]) == std::set<std::string>{"n1", "n2"});
    // Each display's stream: its own call, nothing of the other location's.
    auto called = [](const std::string& number) {
        return [number](const SseEvent& e) { return e.type == "ticket.called" && e.data.find(number) != std::string::npos; };
    };
    for (const auto& e : eventsUntil(forA, "stadhuis-display-token", called("A001"))) {
        CHECK(e.data.find("\"n1\"") == std::string::npos);
        CHECK(e.data.find("B001") == std::string::npos);
    }
    for (const auto& e : eventsUntil(forB, "noord-display-token", called("B001"))) {
        CHECK(e.data.find("\"b1\"") == std::string::npos);
        CHECK(e.data.find("A001") == std::string::npos);
    }
    // A's display token on B's instance still streams A.
    CHECK(!eventsUntil(forB, "stadhuis-display-token", called("A001")).empty());
}

void checkCounterIsolation(const ServerProcess& forA, const ServerProcess& forB) {
    ApiClient anon(forA);
    // An account with two locations chooses one; the answer names its choices.
    auto choose = anon.post("/api/v1/login", {{"username", "demo"}, {"password", kDemoPassword}});
    CHECK(choose.status == 400);
    CHECK(choose.json["error"]["code"] == "missing_field");
    CHECK(choose.json["error"]["details"]["field"] == "location");
    CHECK(choose.json["error"]["details"]["choices"] == Json::array({"stadhuis", "noord"}));
    // …and never one it does not work at.
    CHECK(anon.post("/api/v1/login", {{"username", "demo"}, {"password", kDemoPassword}, {"location", "dorp"}}).status == 403);
    CHECK(anon.post("/api/v1/login", {{"username", "noord"}, {"password", kDemoPassword}, {"location", "stadhuis"}}).status == 403);
    CHECK(anon.post("/api/v1/login", {{"username", "demo"}, {"password", "wrong-wrong-wrong"}, {"location", "dorp"}}).status == 401);
    auto noordLogin = ApiClient(forB).post("/api/v1/login", {{"username", "noord"}, {"password", kDemoPassword}});
    REQUIRE(noordLogin.status == 200);
    CHECK(noordLogin.json["location"] == "noord");

    checkIn(forB, "noord-kiosk-token", "ophalen");     // B001 at noord
    checkIn(forA, "stadhuis-kiosk-token", "paspoort"); // A001 at stadhuis
    ApiClient staffA(forA, loginAt(forA, "demo", "stadhuis")), staffB(forB, noordLogin.json["token"].get<std::string>());
    CHECK(ids(staffA.get("/api/v1/counters").json) == std::set<std::string>{"b1", "b2", "b3"});
    CHECK(ids(staffB.get("/api/v1/counters").json) == std::set<std::string>{"n1", "n2"});
    // Another location's counter does not exist for this session.
    CHECK(staffA.post("/api/v1/counters/n1/open").status == 404);
    CHECK(staffB.post("/api/v1/counters/b1/open").status == 404);
    REQUIRE(staffB.post("/api/v1/counters/n1/open").status == 200);
    REQUIRE(staffA.post("/api/v1/counters/b1/open").status == 200);
    // "Next" at A calls A's visitor; B's stays waiting; A's queue is then empty.
    auto next = staffA.post("/api/v1/counters/b1/next");
    REQUIRE(next.status == 200);
    CHECK(next.json["ticket"]["number"] == "A001");
    CHECK(staffA.post("/api/v1/counters/b1/next").status != 200); // nobody else waits here
    CHECK(waitingNumbers(forA, staffA.token()).empty());
    CHECK(waitingNumbers(forB, staffB.token()) == std::set<std::string>{"B001"});
    // The same session on the other instance is still at its own location.
    ApiClient staffAonB(forB, staffA.token());
    CHECK(waitingNumbers(forB, staffA.token()).empty());
    CHECK(staffAonB.post("/api/v1/counters/n1/pause").status == 404);
    // A's staff stream carries nothing of B.
    for (const auto& e : eventsUntil(forA, staffA.token(), [](const SseEvent& e) { return e.type == "ticket.called"; })) {
        CHECK(e.data.find("\"n1\"") == std::string::npos);
        CHECK(e.data.find("B001") == std::string::npos);
    }
}

void checkManagerIsolation(const ServerProcess& forA, const ServerProcess& forB) {
    const Json b = checkIn(forB, "noord-kiosk-token", "ophalen");
    const Json a = checkIn(forA, "stadhuis-kiosk-token", "paspoort");
    // A manager of B only: B's queue, B's configuration, B in the city view; no log-in at A.
    CHECK(ApiClient(forA).post("/api/v1/login", {{"username", "beheer-noord"}, {"password", kDemoPassword}, {"location", "stadhuis"}}).status ==
          403);
    ApiClient managerB(forB, loginAt(forB, "beheer-noord", ""));
    CHECK(waitingNumbers(forB, managerB.token()) == std::set<std::string>{"B001"});
    auto configB = managerB.get("/api/v1/configuration");
    REQUIRE(configB.status == 200);
    CHECK(configB.json["hall"] == "Servicepunt Noord");
    auto cityB = managerB.get("/api/v1/city");
    REQUIRE(cityB.status == 200);
    REQUIRE(cityB.json["locations"].size() == 1);
    CHECK(cityB.json["locations"][0]["id"] == "noord");
    // A manager of every location chooses one; the city view shows all, side by side.
    ApiClient managerA(forA, loginAt(forA, "beheer", "stadhuis"));
    CHECK(waitingNumbers(forA, managerA.token()) == std::set<std::string>{"A001"});
    auto city = managerA.get("/api/v1/city");
    REQUIRE(city.status == 200);
    REQUIRE(city.json["locations"].size() == 3);
    CHECK(city.json["locations"][0]["id"] == "stadhuis");
    CHECK(city.json["locations"][0]["current"] == true);
    CHECK(city.json["locations"][0]["waiting"] == 1);
    CHECK(city.json["locations"][1]["id"] == "noord");
    CHECK(city.json["locations"][1]["current"] == false);
    CHECK(city.json["locations"][1]["waiting"] == 1);
    CHECK(city.json["locations"][2]["waiting"] == 0);
    // Counter staff do not get the city view.
    CHECK(ApiClient(forA, loginAt(forA, "demo", "stadhuis")).get("/api/v1/city").status == 403);
    // An admin integration's token works at its own location only.
    ApiClient integration(forB, "stadhuis-admin-token");
    CHECK(waitingNumbers(forB, "stadhuis-admin-token") == std::set<std::string>{"A001"});
    auto cityOfIntegration = integration.get("/api/v1/city");
    REQUIRE(cityOfIntegration.status == 200);
    CHECK(cityOfIntegration.json["locations"].size() == 1);
    // A device enrolled by A's manager belongs to A: B's manager neither sees nor revokes it.
    ApiClient device(forA);
    auto pair = device.post("/api/v1/devices/pair", {{"role", "kiosk"}});
    REQUIRE(pair.status == 201);
    auto approved = managerA.post("/api/v1/devices/pairings/" + pair.json["pairing_code"].get<std::string>() + "/approve",
                                  {{"name", "Zuil hal 2"}});
    REQUIRE(approved.status == 201);
    CHECK(approved.json["device"]["location"] == "stadhuis");
    const std::string deviceId = approved.json["device"]["id"];
    ApiClient managerBonA(forA, managerB.token());
    CHECK(managerBonA.get("/api/v1/devices/enrolled").json.empty());
    CHECK(managerBonA.post("/api/v1/devices/enrolled/" + deviceId + "/revoke").status == 404);
    auto claimed = device.post("/api/v1/devices/pair/claim", {{"pairing_secret", pair.json["pairing_secret"]}});
    REQUIRE(claimed.status == 200);
    ApiClient enrolled(forA, claimed.json["token"].get<std::string>());
    CHECK(enrolled.get("/api/v1/hall").json["hall"]["name"] == "Stadhuis Rijnwaarde");
    // A visitor's code opens its own ticket, at its own location.
    auto visitB = ApiClient(forA).get("/api/v1/visits/" + b["public_code"].get<std::string>());
    REQUIRE(visitB.status == 200);
    CHECK(visitB.body.find("B001") != std::string::npos);
    auto visitA = ApiClient(forB).get("/api/v1/visits/" + a["public_code"].get<std::string>());
    REQUIRE(visitA.status == 200);
    CHECK(visitA.body.find("A001") != std::string::npos);
}

void checkHostIsolation(const ServerProcess& forA, const ServerProcess& forB) {
    // The host's account works at both; it chooses one, like counter staff.
    ApiClient hostA(forA, loginAt(forA, "gastheer", "stadhuis")), hostB(forB, loginAt(forB, "gastheer", "noord"));
    // Both kiosks are online with paper, each on the instance of its own location's host.
    for (auto [server, token] : {std::pair{&forA, "stadhuis-kiosk-token"}, std::pair{&forB, "noord-kiosk-token"}})
        REQUIRE(ApiClient(*server, token).post("/api/v1/devices/heartbeat", {{"status", "ok"}, {"detail", {{"printer", "ok"}}}}).status == 200);
    // The host's hall: its own location's services and kiosks only.
    auto hallA = hostA.get("/api/v1/host/hall"), hallB = hostB.get("/api/v1/host/hall");
    REQUIRE(hallA.status == 200);
    REQUIRE(hallB.status == 200);
    CHECK(ids(hallA.json["services"]).count("paspoort") == 1);
    CHECK(ids(hallB.json["services"]).count("paspoort") == 0);
    CHECK(ids(hallA.json["kiosks"]) == std::set<std::string>{"stadhuis-kiosk-1"});
    CHECK(ids(hallB.json["kiosks"]) == std::set<std::string>{"noord-kiosk-1"});
    // Walk-ins number in their own location's queue.
    auto walkInA = hostA.post("/api/v1/host/tickets", {{"service", "paspoort"}}, freshKey());
    auto walkInB = hostB.post("/api/v1/host/tickets", {{"service", "ophalen"}}, freshKey());
    REQUIRE(walkInA.status == 201);
    REQUIRE(walkInB.status == 201);
    CHECK(walkInA.json["ticket"]["number"] == "A001");
    CHECK(walkInB.json["ticket"]["number"] == "B001");
    CHECK(hostB.post("/api/v1/host/tickets", {{"service", "paspoort"}}, freshKey()).status / 100 == 4);
    CHECK(waitingNumbers(forB, loginAt(forB, "noord", "")) == std::set<std::string>{"B001"});
    // Questions answered at the door count at the host's location.
    auto doorA = hostA.post("/api/v1/host/door", {{"service", "paspoort"}});
    REQUIRE(doorA.status == 201);
    CHECK(doorA.json["total"] == 1);
    CHECK(hostB.post("/api/v1/host/door", {{"service", "paspoort"}}).status / 100 == 4);
    auto doorB = hostB.post("/api/v1/host/door", {{"service", "ophalen"}});
    REQUIRE(doorB.status == 201);
    CHECK(doorB.json["total"] == 1);
    // A print job goes to a kiosk of the host's location only.
    const std::string ticketA = std::to_string(walkInA.json["ticket"]["id"].get<std::int64_t>());
    CHECK(hostA.post("/api/v1/host/tickets/" + ticketA + "/print", {{"kiosk", "noord-kiosk-1"}}).status == 404);
    auto job = hostA.post("/api/v1/host/tickets/" + ticketA + "/print", {{"kiosk", "stadhuis-kiosk-1"}});
    INFO(job.body);
    REQUIRE(job.status == 202);
    const std::string jobId = std::to_string(job.json["job"].get<std::int64_t>());
    // On the instance that holds the job: the other location's kiosk and host see nothing of it.
    ApiClient kioskBonA(forA, "noord-kiosk-token"), hostBonA(forA, hostB.token());
    auto none = kioskBonA.get("/api/v1/kiosk/print-jobs");
    REQUIRE(none.status == 200);
    CHECK(none.json["jobs"].empty());
    CHECK(kioskBonA.post("/api/v1/kiosk/print-jobs/" + jobId, {{"status", "printed"}}).status == 404);
    CHECK(hostBonA.get("/api/v1/host/print-jobs/" + jobId).status == 404);
    // The location's own kiosk takes it and prints A's ticket.
    ApiClient kioskA(forA, "stadhuis-kiosk-token");
    auto jobs = kioskA.get("/api/v1/kiosk/print-jobs");
    REQUIRE(jobs.status == 200);
    REQUIRE(jobs.json["jobs"].size() == 1);
    CHECK(jobs.json["jobs"][0]["reply"]["ticket"]["number"] == "A001");
    CHECK(kioskA.post("/api/v1/kiosk/print-jobs/" + jobId, {{"status", "printed"}}).status == 200);
    auto done = hostA.get("/api/v1/host/print-jobs/" + jobId);
    REQUIRE(done.status == 200);
    CHECK(done.json["status"] == "printed");
}

void checkStaffAccountIsolation(const ServerProcess& forB) {
    const std::string password = "een-lang-wachtwoord";
    ApiClient managerB(forB, loginAt(forB, "beheer-noord", ""));
    // B's manager makes an account: it works at noord, the manager's location.
    auto made = managerB.post("/api/v1/staff", {{"username", "loket-noord"}, {"password", password}, {"role", "counter"}, {"counters", {"n1"}}});
    INFO(made.body);
    REQUIRE(made.status == 201);
    CHECK(made.json["account"]["locations"] == Json::array({"noord"}));
    // …and cannot give one a location the manager does not work at, nor another location's counter.
    CHECK(managerB.post("/api/v1/staff", {{"username", "loket-x"}, {"password", password}, {"role", "counter"}, {"locations", {"stadhuis"}}})
              .status == 403);
    CHECK(managerB.post("/api/v1/staff", {{"username", "loket-y"}, {"password", password}, {"role", "counter"}, {"counters", {"b1"}}})
              .status / 100 == 4);
    // The account logs in at noord only (its one location needs no choice).
    ApiClient anon(forB);
    auto login = anon.post("/api/v1/login", {{"username", "loket-noord"}, {"password", password}});
    REQUIRE(login.status == 200);
    CHECK(login.json["location"] == "noord");
    CHECK(anon.post("/api/v1/login", {{"username", "loket-noord"}, {"password", password}, {"location", "stadhuis"}}).status == 403);
    // A manager at stadhuis neither sees nor changes it.
    ApiClient managerA(forB, loginAt(forB, "beheer", "stadhuis"));
    auto listA = managerA.get("/api/v1/staff");
    REQUIRE(listA.status == 200);
    for (const auto& a : listA.json["accounts"]) {
        CHECK(a["username"] != "loket-noord");
        CHECK(a["username"] != "beheer-noord"); // the file's accounts of another location neither
    }
    CHECK(managerA.post("/api/v1/staff/loket-noord/disable").status == 404);
    CHECK(managerA.post("/api/v1/staff/loket-noord/password", {{"password", "nog-een-wachtwoord"}}).status == 404);
    // A manager of both, at noord, adds stadhuis; B's manager then changes the role but keeps stadhuis.
    ApiClient managerAatB(forB, loginAt(forB, "beheer", "noord"));
    auto both = managerAatB.post("/api/v1/staff/loket-noord/access", {{"role", "counter"}, {"counters", {"n1", "b1"}}, {"locations", {"stadhuis", "noord"}}});
    INFO(both.body);
    REQUIRE(both.status == 200);
    auto kept = managerB.post("/api/v1/staff/loket-noord/access", {{"role", "counter"}, {"counters", {"n1"}}, {"locations", {"noord"}}});
    REQUIRE(kept.status == 200);
    CHECK(kept.json["account"]["locations"] == Json::array({"noord", "stadhuis"}));
    auto choose = anon.post("/api/v1/login", {{"username", "loket-noord"}, {"password", password}});
    CHECK(choose.status == 400);
    CHECK(choose.json["error"]["details"]["choices"] == Json::array({"stadhuis", "noord"}));
    // Now stadhuis's manager sees it too; disabling it ends its session at once.
    bool listed = false;
    const auto listAgain = managerA.get("/api/v1/staff");
    for (const auto& a : listAgain.json["accounts"]) listed |= a["username"] == "loket-noord";
    CHECK(listed);
    ApiClient staff(forB, login.json["token"].get<std::string>());
    REQUIRE(staff.get("/api/v1/counters").status == 200);
    REQUIRE(managerA.post("/api/v1/staff/loket-noord/disable").status == 200);
    CHECK(staff.get("/api/v1/counters").status == 401);
}

} // namespace loket::test
