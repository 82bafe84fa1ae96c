// What each audience sees: displays and kiosks stand in the hall for anyone to read, the visitor
// page is open to anyone with its link. Each gets the fields listed here and nothing more; a
// service with a neutral label (a sensitive matter) shows only that label and an opaque id.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace loket::test;

namespace {

using Keys = std::set<std::string>;

const Keys kDisplayTicket = {"id", "number", "service", "status", "counter", "counter_name", "language", "called_at"};
const Keys kKioskTicket = {"id", "number", "service", "services", "kind", "status", "issued_at", "due_at", "called_at",
                           "counter", "counter_name", "language", "position", "estimated_wait_s", "estimated_wait_range_s",
                           "appointment", "public_code"};
const Keys kDisplayService = {"id", "name", "public_label", "prefix", "walk_in", "waiting", "estimated_wait_s",
                              "estimated_wait_range_s"};
const Keys kKioskService = {"id", "name", "description", "bring", "public_label", "prefix", "walk_in", "appointment",
                            "online", "expected_duration_s", "walk_in_target_s", "waiting", "estimated_wait_s",
                            "estimated_wait_range_s"};
const Keys kCounter = {"id", "name", "services", "state", "ticket"};
const Keys kCall = {"number", "counter", "counter_name", "called_at", "language", "recall"};
const Keys kRecentCall = {"ticket_id", "number", "counter", "counter_name", "called_at", "recall", "language"};
const Keys kVisitorPage = {"number", "service", "service_name", "status", "kind", "position", "estimated_wait_s",
                           "estimated_wait_range_s", "counter", "language", "feedback_given", "appointment_at", "hall"};
// Staff see everything, including what the public never does.
const Keys kStaffTicket = {"id", "number", "service", "services", "kind", "status", "issued_at", "due_at", "called_at",
                           "first_called_at", "started_at", "ended_at", "counter", "counter_name", "language", "outcome",
                           "position", "estimated_wait_s", "estimated_wait_range_s", "appointment", "public_code", "note",
                           "feedback", "only_counter", "calls", "not_before", "needs"};

Keys keysOf(const Json& object) {
    Keys out;
    for (auto& [k, v] : object.items()) out.insert(k);
    return out;
}

// Every key of `object` is among `allowed`.
void checkOnly(const Json& object, const Keys& allowed, const std::string& where) {
    INFO(where << ": " << object.dump());
    REQUIRE(object.is_object());
    for (const auto& k : keysOf(object)) {
        INFO("field " << k);
        CHECK(allowed.count(k) == 1);
    }
}

void checkCounter(const Json& c, const std::string& where) {
    checkOnly(c, kCounter, where);
    if (c["ticket"].is_object()) checkOnly(c["ticket"], kDisplayTicket, where + ".ticket");
}

// A morning with a named appointment for a sensitive service, a walk-in and a call of each.
struct Morning {
    TempDir dir;
    ServerProcess server{dir.path() / "hall.db"};
    ApiClient kiosk{server, "demo-kiosk-token"};
    ApiClient display{server, "demo-display-token"};
    ApiClient admin{server, "demo-admin-token"};
    Json appointmentTicket, walkInTicket;

    Morning() {
        const std::string now = display.get("/api/v1/hall").json["hall"]["now"];
        REQUIRE(admin.post("/api/v1/appointments", {{"code", "HUW222"}, {"service", "huwelijk"}, {"starts_at", now}, {"name", "Fatima Yilmaz"}}).status == 201);
        auto a = kiosk.post("/api/v1/tickets", {{"appointment_code", "HUW222"}}, {{"Idempotency-Key", "a"}});
        REQUIRE(a.status == 201);
        appointmentTicket = a.json;
        auto w = kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "w"}});
        REQUIRE(w.status == 201);
        walkInTicket = w.json;
        ApiClient staff(server, loginDemo(server));
        REQUIRE(staff.post("/api/v1/counters/b5/open").status == 200);
        REQUIRE(staff.post("/api/v1/counters/b5/call", {{"ticket_id", a.json["ticket"]["id"]}}).status == 200);
        REQUIRE(staff.post("/api/v1/counters/b4/open").status == 200);
        REQUIRE(staff.post("/api/v1/counters/b4/next").status == 200);
    }
};

} // namespace

TEST_CASE("audience: displays, kiosks, the visitor page and staff each get only their listed fields") {
    Morning m;
    for (const std::string token : {"demo-display-token", "demo-kiosk-token"}) {
        const bool kiosk = token == "demo-kiosk-token";
        ApiClient device(m.server, token);
        auto hall = device.get("/api/v1/hall");
        REQUIRE(hall.status == 200);
        for (auto& s : hall.json["services"]) checkOnly(s, kiosk ? kKioskService : kDisplayService, token + " hall.services");
        for (auto& c : hall.json["counters"]) checkCounter(c, token + " hall.counters");
        REQUIRE(!hall.json["recent_calls"].empty());
        for (auto& c : hall.json["recent_calls"]) checkOnly(c, kRecentCall, token + " hall.recent_calls");
        for (auto& s : device.get("/api/v1/services").json) checkOnly(s, kiosk ? kKioskService : kDisplayService, token + " services");

        auto events = readEvents(m.server, token, 20, "0", 1000);
        REQUIRE(events.size() >= 6);
        bool sawCall = false;
        for (auto& e : events) {
            auto data = Json::parse(e.data);
            checkOnly(data, {"ticket", "counter", "call"}, token + " " + e.type);
            if (data.contains("ticket")) checkOnly(data["ticket"], kDisplayTicket, token + " " + e.type + ".ticket");
            if (data.contains("counter")) checkCounter(data["counter"], token + " " + e.type + ".counter");
            if (data.contains("call")) {
                checkOnly(data["call"], kCall, token + " " + e.type + ".call");
                sawCall = true;
            }
        }
        CHECK(sawCall);
    }
    // The display's call names no appointment time (it is no one's business when the visitor was due).
    for (auto& e : readEvents(m.server, "demo-display-token", 20, "0", 1000)) CHECK(e.data.find("starts_at") == std::string::npos);

    // The kiosk's own answer: the ticket it prints.
    checkOnly(m.appointmentTicket, {"ticket", "visitor_url", "estimate"}, "check-in reply");
    checkOnly(m.appointmentTicket["ticket"], kKioskTicket, "check-in reply.ticket");
    CHECK(keysOf(m.appointmentTicket["ticket"]["appointment"]) == Keys{"starts_at"});

    // The visitor page.
    auto page = ApiClient(m.server).get("/api/v1/visits/" + m.walkInTicket["ticket"]["public_code"].get<std::string>());
    REQUIRE(page.status == 200);
    checkOnly(page.json, kVisitorPage, "visitor page");

    // Staff: the full record, names included.
    ApiClient staff(m.server, loginDemo(m.server));
    auto tickets = staff.get("/api/v1/tickets");
    REQUIRE(tickets.json.size() == 2);
    for (auto& t : tickets.json) CHECK(keysOf(t) == kStaffTicket);
    CHECK(tickets.json.dump().find("Fatima Yilmaz") != std::string::npos);
}

TEST_CASE("audience: a service with a neutral label shows displays, kiosks and visitors only that label") {
    Morning m;
    std::string shown;
    for (const std::string token : {"demo-display-token", "demo-kiosk-token"}) {
        ApiClient device(m.server, token);
        shown += device.get("/api/v1/hall").body + device.get("/api/v1/services").body;
        for (auto& e : readEvents(m.server, token, 20, "0", 1000)) shown += e.data;
    }
    shown += m.appointmentTicket.dump();
    auto page = ApiClient(m.server).get("/api/v1/visits/" + m.appointmentTicket["ticket"]["public_code"].get<std::string>());
    REQUIRE(page.status == 200);
    shown += page.body;
    for (const std::string secret : {"huwelijk", "Huwelijk", "partnerschap", "marriage"}) {
        INFO(secret);
        CHECK(shown.find(secret) == std::string::npos);
    }
    CHECK(shown.find("Burgerzaken") != std::string::npos);
    CHECK(page.json["service_name"]["nl"] == "Burgerzaken");
    // One opaque id everywhere, and the kiosk may check in with it.
    const std::string opaque = m.appointmentTicket["ticket"]["service"];
    CHECK(page.json["service"] == opaque);
    bool listed = false;
    for (auto& s : m.kiosk.get("/api/v1/services").json) listed |= s["id"] == opaque && s["name"]["nl"] == "Burgerzaken";
    CHECK(listed);
    auto walkIn = m.kiosk.post("/api/v1/tickets", {{"service", opaque}}, {{"Idempotency-Key", "o"}});
    CHECK(walkIn.json["error"]["code"] == "walk_in_not_offered"); // understood as huwelijk, which takes no walk-ins
    // Staff see the real service.
    ApiClient staff(m.server, loginDemo(m.server));
    CHECK(staff.get("/api/v1/tickets").body.find("\"huwelijk\"") != std::string::npos);
}

TEST_CASE("needs: a visitor's needs reach staff only, never a display, a kiosk or the visitor page") {
    Morning m;
    ApiClient admin(m.server, "demo-admin-token");
    const auto id = m.walkInTicket["ticket"]["id"].get<std::int64_t>();
    auto set = admin.post("/api/v1/host/tickets/" + std::to_string(id) + "/needs",
                          {{"needs", {{"kinds", {"interpreter", "hearing_loop"}}, {"language", "Tigrinya"}}}});
    REQUIRE(set.status == 200);
    CHECK(set.json["ticket"]["needs"]["language"] == "Tigrinya");
    CHECK(admin.post("/api/v1/host/tickets/" + std::to_string(id) + "/needs", {{"needs", {{"kinds", {"wings"}}}}}).status == 400);
    for (const std::string token : {"demo-display-token", "demo-kiosk-token"}) {
        ApiClient device(m.server, token);
        const std::string hall = device.get("/api/v1/hall").json.dump();
        CHECK(hall.find("Tigrinya") == std::string::npos);
        CHECK(hall.find("needs") == std::string::npos);
        for (auto& e : readEvents(m.server, token, 20, "0", 1000)) {
            INFO(token << " " << e.type);
            CHECK(e.data.find("Tigrinya") == std::string::npos);
            CHECK(e.data.find("interpreter") == std::string::npos);
        }
    }
    const std::string page = ApiClient(m.server).get("/api/v1/visits/" + m.walkInTicket["ticket"]["public_code"].get<std::string>()).json.dump();
    CHECK(page.find("Tigrinya") == std::string::npos);
    CHECK(page.find("needs") == std::string::npos);
    ApiClient staff(m.server, loginDemo(m.server));
    CHECK(staff.get("/api/v1/tickets").json.dump().find("Tigrinya") != std::string::npos);
    bool streamed = false;
    for (auto& e : readEvents(m.server, loginDemo(m.server), 20, "0", 1000))
        streamed |= e.type == "ticket.needs_set" && e.data.find("Tigrinya") != std::string::npos;
    CHECK(streamed);
}
