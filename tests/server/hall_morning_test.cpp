// A whole hall morning against the real server: check-ins, calls, recall, transfer, no-show,
// completion with an outcome, and the statistics that follow.
#include "server_process.hpp"

#include <catch2/catch.hpp>

using namespace loket::test;

namespace {

Json checkIn(ApiClient& kiosk, const std::string& key, const Json& body, int expected = 201) {
    auto r = kiosk.post("/api/v1/tickets", body, {{"Idempotency-Key", key}});
    INFO(r.body);
    REQUIRE(r.status == expected);
    return r.json;
}

std::string todayAt(const ServerProcess& server, const std::string& hhmm) {
    ApiClient display(server, "demo-display-token");
    auto hall = display.get("/api/v1/hall");
    const std::string now = hall.json["hall"]["now"];
    return hall.json["hall"]["date"].get<std::string>() + "T" + hhmm + ":00" + now.substr(19);
}

} // namespace

TEST_CASE("server: a hall morning from check-in to completed visit") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient kiosk(server, "demo-kiosk-token");
    ApiClient staff(server, loginDemo(server));
    ApiClient admin(server, "demo-admin-token");

    // An appointment booked for now (the example hall is open around the clock).
    auto display = ApiClient(server, "demo-display-token").get("/api/v1/hall");
    const std::string now = display.json["hall"]["now"];
    REQUIRE(admin.post("/api/v1/appointments", {{"code", "K7Q2MX"}, {"service", "paspoort"}, {"starts_at", now}, {"name", "J. de Vries"}}).status == 201);

    auto walkIn = checkIn(kiosk, "w1", {{"service", "ophalen"}, {"language", "en"}});
    CHECK(walkIn["ticket"]["number"] == "B001");
    CHECK(walkIn["ticket"]["language"] == "en");
    CHECK(walkIn["visitor_url"].get<std::string>().find("/v/" + walkIn["ticket"]["public_code"].get<std::string>()) != std::string::npos);
    auto appt = checkIn(kiosk, "a1", {{"appointment_code", "k7q2mx"}});
    CHECK(appt["ticket"]["number"] == "A001");
    CHECK(appt["ticket"]["kind"] == "appointment");
    auto second = checkIn(kiosk, "w2", {{"service", "uittreksel"}});

    // The queue for staff, with the appointment's name (staff only).
    auto queue = staff.get("/api/v1/tickets?status=waiting");
    REQUIRE(queue.status == 200);
    REQUIRE(queue.json.size() == 3);
    bool sawName = false;
    for (auto& t : queue.json) sawName |= t["appointment"].is_object() && t["appointment"]["name"] == "J. de Vries";
    CHECK(sawName);

    // Counter 1 opens and calls the appointment visitor by hand (staff may call out of order).
    REQUIRE(staff.post("/api/v1/counters/b1/open").status == 200);
    auto next = staff.post("/api/v1/counters/b1/call", {{"ticket_id", appt["ticket"]["id"]}});
    REQUIRE(next.status == 200);
    CHECK(next.json["ticket"]["number"] == "A001");
    CHECK(next.json["ticket"]["counter"] == "b1");
    CHECK(staff.post("/api/v1/counters/b1/next").json["error"]["code"] == "counter_busy");
    const auto apptId = next.json["ticket"]["id"].get<long long>();
    REQUIRE(staff.post("/api/v1/tickets/" + std::to_string(apptId) + "/recall").status == 200);
    REQUIRE(staff.post("/api/v1/tickets/" + std::to_string(apptId) + "/start").status == 200);
    // The passport question needs the back office's signature too: transfer, same number, same place.
    auto moved = staff.post("/api/v1/tickets/" + std::to_string(apptId) + "/transfer", {{"service", "verhuizing"}});
    REQUIRE(moved.status == 200);
    CHECK(moved.json["ticket"]["number"] == "A001");
    CHECK(moved.json["ticket"]["status"] == "waiting");
    CHECK(moved.json["ticket"]["services"] == Json::array({"verhuizing"}));

    // Counter 4 takes document pickups and extracts.
    REQUIRE(staff.post("/api/v1/counters/b4/open").status == 200);
    auto pickup = staff.post("/api/v1/counters/b4/next");
    REQUIRE(pickup.status == 200);
    CHECK(pickup.json["ticket"]["number"] == "B001");
    const auto pickupId = pickup.json["ticket"]["id"].get<long long>();
    REQUIRE(staff.post("/api/v1/tickets/" + std::to_string(pickupId) + "/no-show").status == 200);
    auto extract = staff.post("/api/v1/counters/b4/next");
    CHECK(extract.json["ticket"]["number"] == second["ticket"]["number"]);
    auto done = staff.post("/api/v1/tickets/" + extract.json["ticket"]["id"].dump() + "/complete", {{"outcome", "handled"}, {"note", "klaar"}});
    REQUIRE(done.status == 200);
    CHECK(done.json["ticket"]["status"] == "done");
    CHECK(done.json["ticket"]["outcome"] == "handled");
    CHECK(staff.post("/api/v1/counters/b4/next").status == 204); // nobody b4 may serve

    // Counter 1 is free again and calls the transferred visitor.
    auto again = staff.post("/api/v1/counters/b1/next");
    REQUIRE(again.status == 200);
    CHECK(again.json["ticket"]["number"] == "A001");
    REQUIRE(staff.post("/api/v1/tickets/" + std::to_string(apptId) + "/complete", {{"outcome", "backoffice"}}).status == 200);

    auto stats = admin.get("/api/v1/stats");
    REQUIRE(stats.status == 200);
    CHECK(stats.json["visitors"] == 3);
    CHECK(stats.json["appointments"] == 1);
    CHECK(stats.json["walk_ins"] == 2);
    CHECK(stats.json["no_shows"] == 1);
    CHECK(stats.json["pct_appointments_within_norm"] == 100.0);
    CHECK(stats.json["outcomes"]["handled"] == 1);
    CHECK(stats.json["outcomes"]["backoffice"] == 1);

    auto csv = admin.get("/api/v1/export");
    REQUIRE(csv.status == 200);
    CHECK(csv.body.find("A001") != std::string::npos);
    CHECK(csv.body.find("J. de Vries") == std::string::npos); // no personal data in the export
    CHECK(csv.body.find("K7Q2MX") == std::string::npos);

    // The visitor's page: public, numbers only, feedback once after the visit.
    ApiClient visitor(server);
    const std::string code = second["ticket"]["public_code"];
    auto page = visitor.get("/api/v1/visits/" + code);
    REQUIRE(page.status == 200);
    CHECK(page.json["status"] == "done");
    CHECK(visitor.post("/api/v1/visits/" + code + "/feedback", {{"score", 9}}).status == 201);
    CHECK(visitor.post("/api/v1/visits/" + code + "/feedback", {{"score", 9}}).status == 409);
    CHECK(visitor.get("/api/v1/visits/AAAAAAAAAAAAAAAAAAAAAA").json["error"]["code"] == "unknown_visit");
    CHECK(admin.get("/api/v1/stats").json["feedback"]["average"] == 9.0);
}

TEST_CASE("server: a retried check-in never makes a second ticket") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient kiosk(server, "demo-kiosk-token");
    auto first = checkIn(kiosk, "retry-1", {{"service", "ophalen"}});
    auto retry = checkIn(kiosk, "retry-1", {{"service", "ophalen"}}, 200);
    CHECK(retry["ticket"]["id"] == first["ticket"]["id"]);
    CHECK(retry["ticket"]["number"] == first["ticket"]["number"]);
    auto conflict = kiosk.post("/api/v1/tickets", {{"service", "paspoort"}}, {{"Idempotency-Key", "retry-1"}});
    CHECK(conflict.status == 409);
    CHECK(conflict.json["error"]["code"] == "idempotency_conflict");
    auto noKey = kiosk.post("/api/v1/tickets", {{"service", "ophalen"}});
    CHECK(noKey.status == 400);
    CHECK(noKey.json["error"]["code"] == "missing_idempotency_key");
    ApiClient staff(server, loginDemo(server));
    CHECK(staff.get("/api/v1/tickets").json.size() == 1);
}

TEST_CASE("server: check-in errors say what happened and what to do") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient kiosk(server, "demo-kiosk-token");
    ApiClient admin(server, "demo-admin-token");
    auto code = [&](const Json& body, const std::string& key) {
        auto r = kiosk.post("/api/v1/tickets", body, {{"Idempotency-Key", key}});
        return std::pair(r.status, r.json["error"]["code"].is_string() ? r.json["error"]["code"].get<std::string>() : std::string());
    };
    CHECK(code({{"service", "huwelijk"}}, "e1") == std::pair(422, std::string("walk_in_not_offered")));
    CHECK(code({{"service", "nope"}}, "e2") == std::pair(404, std::string("unknown_service")));
    CHECK(code({{"appointment_code", "ZZZZ99"}}, "e3") == std::pair(404, std::string("unknown_appointment")));
    REQUIRE(admin.post("/api/v1/appointments", {{"code", "LATER2"}, {"service", "paspoort"}, {"starts_at", todayAt(server, "23:59")}}).status == 201);
    // The hall's clock reads the morning (ServerProcess): check-in opens half an hour before.
    auto early = kiosk.post("/api/v1/tickets", {{"appointment_code", "LATER2"}}, {{"Idempotency-Key", "e4"}});
    CHECK(early.status == 422);
    CHECK(early.json["error"]["code"] == "too_early");
    CHECK(early.json["error"]["message"].get<std::string>().find("23:29") != std::string::npos);
}
