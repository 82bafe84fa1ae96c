// The event stream: live events, resume with Last-Event-ID, reset when that is impossible, and
// no personal data for displays.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace loket::test;

TEST_CASE("events: a client that reconnects with Last-Event-ID gets every event it missed, in order") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient kiosk(server, "demo-kiosk-token");
    const std::string token = loginDemo(server);
    ApiClient staff(server, token);
    REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "1"}}).status == 201);
    auto first = readEvents(server, token, 1, "0");
    REQUIRE(first.size() == 1);
    // While the client is away: a counter opens and calls, another check-in.
    REQUIRE(staff.post("/api/v1/counters/b4/open").status == 200);
    REQUIRE(staff.post("/api/v1/counters/b4/next").status == 200);
    REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "uittreksel"}}, {{"Idempotency-Key", "2"}}).status == 201);
    auto missed = readEvents(server, token, 3, first[0].id);
    REQUIRE(missed.size() == 3);
    CHECK(missed[0].type == "counter.updated");
    CHECK(missed[1].type == "ticket.called");
    CHECK(missed[2].type == "ticket.issued");
    CHECK(std::stoll(missed[0].id) < std::stoll(missed[1].id));
    CHECK(std::stoll(missed[1].id) < std::stoll(missed[2].id));
    auto call = Json::parse(missed[1].data);
    CHECK(call["call"]["number"] == "B001");
    CHECK(call["call"]["counter_name"] == "4");
}

TEST_CASE("events: a live client sees a call as it happens") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const std::string token = loginDemo(server);
    ApiClient kiosk(server, "demo-kiosk-token");
    REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "1"}}).status == 201);
    std::vector<SseEvent> seen;
    std::thread reader([&] { seen = readEvents(server, "demo-display-token", 2); });
    REQUIRE(waitForStreams(server, 1)); // the reader is connected: what follows is live
    ApiClient staff(server, token);
    REQUIRE(staff.post("/api/v1/counters/b4/open").status == 200);
    REQUIRE(staff.post("/api/v1/counters/b4/next").status == 200);
    reader.join();
    REQUIRE(seen.size() == 2);
    CHECK(seen[1].type == "ticket.called");
}

TEST_CASE("events: a Last-Event-ID the server cannot resume from gets a reset") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    auto events = readEvents(server, "demo-display-token", 1, "999999", 2000);
    REQUIRE(events.size() == 1);
    CHECK(events[0].type == "reset");
}

TEST_CASE("events: displays get numbers only — no names, booking codes, notes or visitor codes") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    ApiClient kiosk(server, "demo-kiosk-token");
    const std::string now = ApiClient(server, "demo-display-token").get("/api/v1/hall").json["hall"]["now"];
    REQUIRE(admin.post("/api/v1/appointments", {{"code", "PRIV22"}, {"service", "paspoort"}, {"starts_at", now}, {"name", "Fatima Yilmaz"}}).status == 201);
    auto ticket = kiosk.post("/api/v1/tickets", {{"appointment_code", "PRIV22"}}, {{"Idempotency-Key", "p"}});
    REQUIRE(ticket.status == 201);
    const std::string publicCode = ticket.json["ticket"]["public_code"];
    ApiClient staff(server, loginDemo(server));
    REQUIRE(staff.post("/api/v1/counters/b1/open").status == 200);
    REQUIRE(staff.post("/api/v1/counters/b1/call", {{"ticket_id", ticket.json["ticket"]["id"]}}).status == 200);
    REQUIRE(staff.post("/api/v1/tickets/" + ticket.json["ticket"]["id"].dump() + "/complete", {{"outcome", "other"}, {"note", "Bijzondere situatie"}}).status == 200);

    auto events = readEvents(server, "demo-display-token", 20, "0", 1000);
    REQUIRE(events.size() >= 4);
    std::string all;
    for (auto& e : events) all += e.data;
    all += ApiClient(server, "demo-display-token").get("/api/v1/hall").body;
    for (const std::string& secret : {std::string("Fatima"), std::string("PRIV22"), publicCode, std::string("Bijzondere")}) {
        INFO(secret);
        CHECK(all.find(secret) == std::string::npos);
    }
    CHECK(all.find("A001") != std::string::npos);
    // Staff do see the name on their own stream.
    auto staffEvents = readEvents(server, loginDemo(server), 20, "0", 1000);
    std::string staffAll;
    for (auto& e : staffEvents) staffAll += e.data;
    CHECK(staffAll.find("Fatima Yilmaz") != std::string::npos);
}
