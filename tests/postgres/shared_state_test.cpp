// Two loket-server instances on one PostgreSQL database share what is not in the event log:
// staff accounts made on /beheer and their sessions, enrolled devices and their pairing codes,
// and the host's print jobs. A change through one instance counts on the other without a
// restart: a log-in reads the store, a device token unknown to an instance is looked up there,
// and every other change is announced (NOTIFY loket_shared) and re-read by the others, which
// the tests wait for with a bound of two seconds, like a revoked device's stream on one instance
// (tests/server/enrolment_test.cpp). Real PostgreSQL (postgres_process.hpp), real servers.
#include "postgres_process.hpp"
#include "programs.hpp"
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <latch>
#include <thread>
#include <vector>

using namespace loket::test;
using namespace std::chrono_literals;

namespace {

struct OneDatabaseTwoServers {
    PostgresProcess postgres;
    std::string url = postgres.createDatabase("hall");
    TempDir dir;
    ServerProcess a{dir.path() / "a.db", ServerProcess::defaultConfig(), {}, {"--store", url}};
    ServerProcess b{dir.path() / "b.db", ServerProcess::defaultConfig(), {}, {"--store", url}};
};

const std::string kPassword = "een-lang-wachtwoord";
const std::string kNewPassword = "nog-een-lang-wachtwoord";

ApiResponse login(const ServerProcess& server, const std::string& user, const std::string& password) {
    return ApiClient(server).post("/api/v1/login", {{"username", user}, {"password", password}});
}

Json accountOf(ApiClient& admin, const std::string& name) {
    auto list = admin.get("/api/v1/staff");
    for (const auto& a : list.json["accounts"])
        if (a["username"] == name) return a;
    return nullptr;
}

Json enrolledOf(ApiClient& admin, const std::string& id) {
    for (const auto& d : admin.get("/api/v1/devices/enrolled").json)
        if (d["id"] == id) return d;
    return nullptr;
}

} // namespace

TEST_CASE("postgres: a staff account made, changed or disabled through one instance counts on the other at once, and disabling ends its sessions and streams on both") {
    OneDatabaseTwoServers hall;
    ApiClient adminA(hall.a, loginDemo(hall.a, "beheer"));
    ApiClient adminB(hall.b, loginDemo(hall.b, "beheer"));

    // Made on A: it logs in on B straight away, and B's session works on A.
    REQUIRE(adminA.post("/api/v1/staff", {{"username", "j.jansen"}, {"password", kPassword}, {"role", "counter"}, {"counters", {"b1"}}}).status == 201);
    auto onB = login(hall.b, "j.jansen", kPassword);
    REQUIRE(onB.status == 200);
    CHECK(onB.json["counters"] == Json::array({"b1"}));
    const std::string tokenB = onB.json["token"];
    CHECK(ApiClient(hall.a, tokenB).get("/api/v1/counters").status == 200);
    // The name is taken on B too.
    CHECK(adminB.post("/api/v1/staff", {{"username", "j.jansen"}, {"password", kPassword}, {"role", "counter"}}).status == 409);

    // Counters changed on B: A's list shows them, and a log-in on A gets them.
    REQUIRE(adminB.post("/api/v1/staff/j.jansen/access", {{"role", "counter"}, {"counters", {"b1", "b2"}}}).status == 200);
    CHECK(waitUntil([&] { return accountOf(adminA, "j.jansen")["counters"] == Json::array({"b1", "b2"}); }, 2s));
    auto onA = login(hall.a, "j.jansen", kPassword);
    REQUIRE(onA.status == 200);
    CHECK(onA.json["counters"] == Json::array({"b1", "b2"}));
    const std::string tokenA = onA.json["token"];

    // A new password on A: on B the old one fails and the new one works, at once.
    REQUIRE(adminA.post("/api/v1/staff/j.jansen/password", {{"password", kNewPassword}}).status == 200);
    CHECK(login(hall.b, "j.jansen", kPassword).status == 401);
    auto again = login(hall.b, "j.jansen", kNewPassword);
    REQUIRE(again.status == 200);

    // A log-out on A ends that session on B too.
    ApiClient loggedOut(hall.b, again.json["token"].get<std::string>());
    REQUIRE(loggedOut.get("/api/v1/counters").status == 200); // B has the session in its cache now
    REQUIRE(ApiClient(hall.a, loggedOut.token()).post("/api/v1/logout").status / 100 == 2);
    CHECK(waitUntil([&] { return loggedOut.get("/api/v1/counters").status == 401; }, 2s));

    // Disabled on A while it has a session and an event stream on each instance: both sessions
    // and both streams end, and it logs in nowhere.
    RawConnection streamA = openEventStream(hall.a, tokenA);
    RawConnection streamB = openEventStream(hall.b, tokenB);
    REQUIRE(waitForStreams(hall.a, 1));
    REQUIRE(waitForStreams(hall.b, 1));
    REQUIRE(ApiClient(hall.b, tokenB).get("/api/v1/counters").status == 200);
    const auto disabledAt = std::chrono::steady_clock::now();
    REQUIRE(adminA.post("/api/v1/staff/j.jansen/disable").status == 200);
    CHECK(ApiClient(hall.a, tokenA).get("/api/v1/counters").status == 401);
    CHECK(waitUntil([&] { return ApiClient(hall.b, tokenB).get("/api/v1/counters").status == 401; }, 2s));
    CHECK(streamB.waitClosed(2000));
    CHECK(streamA.waitClosed(2000));
    INFO("both streams ended within " << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - disabledAt).count()
                                      << " ms");
    CHECK(login(hall.b, "j.jansen", kNewPassword).status == 401);
    CHECK(accountOf(adminB, "j.jansen")["disabled"] == true);

    // Enabled again on B: it logs in on A.
    REQUIRE(adminB.post("/api/v1/staff/j.jansen/enable").status == 200);
    CHECK(login(hall.a, "j.jansen", kNewPassword).status == 200);
}

TEST_CASE("postgres: a device pairs through one instance, is approved on the other, and its token, name and revocation count on both") {
    OneDatabaseTwoServers hall;
    ApiClient device(hall.a);
    auto pair = device.post("/api/v1/devices/pair", {{"role", "kiosk"}});
    REQUIRE(pair.status == 201);
    const std::string code = pair.json["pairing_code"], secret = pair.json["pairing_secret"];
    REQUIRE(device.post("/api/v1/devices/pair/claim", {{"pairing_secret", secret}}).status == 202);

    // The code waits in the database: the manager sees and approves it on B.
    ApiClient adminA(hall.a, "demo-admin-token"), adminB(hall.b, "demo-admin-token");
    auto pending = adminB.get("/api/v1/devices/pairings");
    REQUIRE(pending.status == 200);
    REQUIRE(pending.json.size() == 1);
    CHECK(pending.json[0]["pairing_code"] == code);
    REQUIRE(adminB.post("/api/v1/devices/pairings/" + code + "/approve", {{"name", "Kiosk bij de lift"}}).status == 201);
    CHECK(adminA.get("/api/v1/devices/pairings").json.empty());
    CHECK(adminA.post("/api/v1/devices/pairings/" + code + "/approve", {{"name", "Nog een"}}).status == 404); // approved once

    // Collected on A (the secret works once, on either instance); the token works on both at once.
    auto claim = device.post("/api/v1/devices/pair/claim", {{"pairing_secret", secret}});
    REQUIRE(claim.status == 200);
    CHECK(ApiClient(hall.b, "").post("/api/v1/devices/pair/claim", {{"pairing_secret", secret}}).status == 404);
    const std::string token = claim.json["token"], id = claim.json["device_id"];
    CHECK(ApiClient(hall.b, token).get("/api/v1/services").status == 200);
    CHECK(ApiClient(hall.a, token).get("/api/v1/services").status == 200);
    // A renewed token from B works on A.
    auto renewed = ApiClient(hall.b, token).post("/api/v1/devices/token");
    REQUIRE(renewed.status == 200);
    CHECK(ApiClient(hall.a, renewed.json["token"].get<std::string>()).get("/api/v1/services").status == 200);

    // Renamed on A: B lists the new name.
    REQUIRE(adminA.post("/api/v1/devices/enrolled/" + id + "/rename", {{"name", "Kiosk bij de trap"}}).status == 200);
    CHECK(waitUntil([&] { return enrolledOf(adminB, id)["name"] == "Kiosk bij de trap"; }, 2s));
    CHECK(ApiClient(hall.b, token).get("/api/v1/services").status == 200);

    // Revoked on B while its event stream is open on A: A refuses it and ends the stream.
    RawConnection stream = openEventStream(hall.a, token);
    REQUIRE(waitForStreams(hall.a, 1));
    REQUIRE(adminB.post("/api/v1/devices/enrolled/" + id + "/revoke").status == 200);
    CHECK(ApiClient(hall.b, token).get("/api/v1/services").status == 401);
    CHECK(waitUntil([&] { return ApiClient(hall.a, token).get("/api/v1/services").status == 401; }, 2s));
    CHECK(stream.waitClosed(2000));
    CHECK_FALSE(enrolledOf(adminA, id)["revoked_at"].is_null());
}

TEST_CASE("postgres: the host's print job made through one instance is taken once by its kiosk polling either, and its outcome shows on both") {
    OneDatabaseTwoServers hall;
    ApiClient kioskA(hall.a, "demo-kiosk-token"), kioskB(hall.b, "demo-kiosk-token");
    // The kiosk reports to B only; the host on A still sees it online with paper.
    REQUIRE(kioskB.post("/api/v1/devices/heartbeat", {{"status", "ok"}, {"detail", {{"printer", "ok"}}}}).status == 200);
    ApiClient host(hall.a, loginDemo(hall.a, "gastheer"));
    auto walkIn = host.post("/api/v1/host/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "host-1"}});
    REQUIRE(walkIn.status == 201);
    const std::string ticket = std::to_string(walkIn.json["ticket"]["id"].get<std::int64_t>());

    auto job = host.post("/api/v1/host/tickets/" + ticket + "/print", {{"kiosk", "kiosk-1"}});
    INFO(job.body);
    REQUIRE(job.status == 202);
    const std::string jobId = std::to_string(job.json["job"].get<std::int64_t>());

    // Both instances polled at once: exactly one poll gets the job.
    ApiResponse fromA, fromB;
    std::thread pollA([&] { fromA = kioskA.get("/api/v1/kiosk/print-jobs"); });
    std::thread pollB([&] { fromB = kioskB.get("/api/v1/kiosk/print-jobs"); });
    pollA.join();
    pollB.join();
    REQUIRE(fromA.status == 200);
    REQUIRE(fromB.status == 200);
    REQUIRE(fromA.json["jobs"].size() + fromB.json["jobs"].size() == 1);
    const Json taken = fromA.json["jobs"].empty() ? fromB.json["jobs"][0] : fromA.json["jobs"][0];
    CHECK(taken["reply"]["ticket"]["number"] == walkIn.json["ticket"]["number"]);
    CHECK(host.get("/api/v1/host/print-jobs/" + jobId).json["status"] == "printing");

    // Reported on B; the host on A sees it printed.
    REQUIRE(kioskB.post("/api/v1/kiosk/print-jobs/" + jobId, {{"status", "printed"}}).status == 200);
    auto done = host.get("/api/v1/host/print-jobs/" + jobId);
    REQUIRE(done.status == 200);
    CHECK(done.json["status"] == "printed");
    CHECK(kioskA.get("/api/v1/kiosk/print-jobs").json["jobs"].empty());
}

TEST_CASE("postgres: two managers making one account name at the same instant on two instances get one account, the others 409 already_exists, and the first is left as it is") {
    OneDatabaseTwoServers hall;
    const std::string tokenA = loginDemo(hall.a, "beheer"), tokenB = loginDemo(hall.b, "beheer");
    auto passwordOf = [](int i) { return "wachtwoord-van-manager-" + std::to_string(i); };
    auto counterOf = [](int i) { return "b" + std::to_string(i + 1); };
    // Each round: one request for one new name on each instance, released together. Before the
    // store decided it, both instances could find the name free and the last write won.
    constexpr int kManagers = 2;
    for (int round = 0; round < 30; ++round) {
        const std::string name = "gelijk." + std::to_string(round);
        std::vector<ApiResponse> answers(kManagers);
        std::latch start(kManagers);
        std::vector<std::thread> managers;
        for (int i = 0; i < kManagers; ++i)
            managers.emplace_back([&, i] {
                ApiClient admin(i % 2 ? hall.b : hall.a, i % 2 ? tokenB : tokenA);
                start.arrive_and_wait();
                answers[i] = admin.post("/api/v1/staff", {{"username", name}, {"password", passwordOf(i)}, {"role", "counter"}, {"counters", {counterOf(i)}}});
            });
        for (auto& m : managers) m.join();
        int winner = -1, made = 0;
        for (int i = 0; i < kManagers; ++i) {
            INFO("round " << round << ", request " << i << ": " << answers[i].body);
            if (answers[i].status == 201) {
                ++made;
                winner = i;
                continue;
            }
            CHECK(answers[i].status == 409);
            CHECK(answers[i].json["error"]["code"] == "already_exists");
            CHECK(answers[i].json["error"]["details"]["field"] == "username");
        }
        INFO("round " << round);
        REQUIRE(made == 1);
        // The account is the one that was made first, on both instances: its counters, its password.
        ApiClient adminA(hall.a, tokenA), adminB(hall.b, tokenB);
        CHECK(waitUntil([&] { return accountOf(adminB, name)["counters"] == Json::array({counterOf(winner)}); }, 2s));
        CHECK(accountOf(adminA, name)["counters"] == Json::array({counterOf(winner)}));
        CHECK(login(hall.b, name, passwordOf(winner)).status == 200);
        for (int i = 0; i < kManagers; ++i)
            if (i != winner) CHECK(login(hall.a, name, passwordOf(i)).status == 401);
    }
}

TEST_CASE("postgres: a kiosk's unsent tickets count the same on both instances, whichever one its heartbeat and its upload reached") {
    OneDatabaseTwoServers hall;
    ApiClient kioskA(hall.a, "demo-kiosk-token"), kioskB(hall.b, "demo-kiosk-token");
    ApiClient staffA(hall.a, "demo-admin-token"), staffB(hall.b, "demo-admin-token");
    auto unsentOn = [](ApiClient& staff) -> Json {
        for (const auto& d : staff.get("/api/v1/devices").json)
            if (d["id"] == "kiosk-1") return d["detail"].value("unsent_tickets", Json());
        return nullptr;
    };
    auto metricOn = [](const ServerProcess& server) {
        const std::string text = ApiClient(server).get("/metrics").body;
        const std::string series = "loket_kiosk_unsent_tickets{kiosk=\"kiosk-1\"} ";
        const auto at = text.find(series);
        return at == std::string::npos ? std::string("none") : text.substr(at + series.size(), text.find('\n', at) - at - series.size());
    };
    // Back online, the kiosk's heartbeat reaches A: three tickets still in its journal.
    REQUIRE(kioskA.post("/api/v1/devices/heartbeat", {{"status", "ok"}, {"detail", {{"printer", "ok"}, {"unsent_tickets", 3}}}}).status == 200);
    CHECK(unsentOn(staffA) == 3);
    CHECK(unsentOn(staffB) == 3);

    // Its upload reaches B, and says nothing is left.
    auto leases = kioskB.post("/api/v1/offline/leases", {{"kiosk_time", 1000}});
    REQUIRE(leases.status == 200);
    Json lease;
    for (const auto& l : leases.json["leases"])
        if (l["service"] == "ophalen") lease = l;
    REQUIRE(lease.is_object());
    char number[8];
    std::snprintf(number, sizeof number, "%s%03d", lease["prefix"].get<std::string>().c_str(), lease["first"].get<int>());
    const Json entry = {{"key", "offline-1"}, {"lease", lease["id"]}, {"number", number}, {"service", "ophalen"}, {"code_hash", nullptr},
                        {"checked_in_at", leases.json["server_time"]}, {"visitor_code", "offlineVisitorCode0001"}};
    auto upload = kioskB.post("/api/v1/offline/upload", {{"entries", Json::array({entry})}, {"unsent", 0}});
    INFO(upload.body);
    REQUIRE(upload.status == 200);
    REQUIRE(upload.json["results"][0]["status"] == "accepted");
    // Both instances count the store's figure: none left.
    CHECK(unsentOn(staffB) == 0);
    CHECK(unsentOn(staffA) == 0);
    CHECK(metricOn(hall.b) == "0");
    CHECK(metricOn(hall.a) == "0");
}

TEST_CASE("postgres: an expired pairing code is deleted by housekeeping, though nobody lists the codes again") {
    PostgresProcess postgres;
    const std::string url = postgres.createDatabase("hall");
    TempDir dir;
    {
        ServerProcess a(dir.path() / "a.db", ServerProcess::defaultConfig(), {hallClockAt(9 * 3600)}, {"--store", url});
        REQUIRE(ApiClient(a).post("/api/v1/devices/pair", {{"role", "kiosk"}}).status == 201);
        ServerProcess b(dir.path() / "b.db", ServerProcess::defaultConfig(), {hallClockAt(9 * 3600 + 300)}, {"--store", url});
        CHECK(postgres.sql("hall", "SELECT COUNT(*) FROM pairings") == "1\n"); // five minutes later: still valid
    }
    // Twenty minutes later (a code lives ten): an instance's first housekeeping round, before it
    // listens, deletes the code and its secret's hash.
    ServerProcess b(dir.path() / "b.db", ServerProcess::defaultConfig(), {hallClockAt(9 * 3600 + 1200)}, {"--store", url});
    CHECK(postgres.sql("hall", "SELECT COUNT(*) FROM pairings") == "0\n");
}
