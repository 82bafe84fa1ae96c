// Durability: every acknowledged ticket, call and counter state survives kill -9, with the same
// numbers, and the event ids continue.
#include "server_process.hpp"

#include <catch2/catch.hpp>

using namespace loket::test;

TEST_CASE("server: after kill -9 and a restart every acknowledged change is back") {
    TempDir dir;
    const auto db = dir.path() / "hall.db";
    Json ticketsBefore, countersBefore;
    std::string lastEventId;
    std::string staffToken;
    {
        ServerProcess server(db);
        ApiClient kiosk(server, "demo-kiosk-token");
        staffToken = loginDemo(server);
        ApiClient staff(server, staffToken);
        for (int i = 0; i < 25; ++i)
            REQUIRE(kiosk.post("/api/v1/tickets", {{"service", i % 2 ? "ophalen" : "uittreksel"}}, {{"Idempotency-Key", "k" + std::to_string(i)}}).status == 201);
        REQUIRE(staff.post("/api/v1/counters/b4/open").status == 200);
        REQUIRE(staff.post("/api/v1/counters/b2/open").status == 200);
        REQUIRE(staff.post("/api/v1/counters/b2/pause").status == 200);
        auto called = staff.post("/api/v1/counters/b4/next");
        REQUIRE(called.status == 200);
        REQUIRE(staff.post("/api/v1/tickets/" + called.json["ticket"]["id"].dump() + "/complete", {{"outcome", "handled"}}).status == 200);
        REQUIRE(staff.post("/api/v1/counters/b4/next").status == 200);
        ticketsBefore = staff.get("/api/v1/tickets").json;
        countersBefore = staff.get("/api/v1/counters").json;
        lastEventId = std::to_string(ApiClient(server, "demo-display-token").get("/api/v1/hall").json["event_id"].get<long long>());
        server.kill9();
    }
    ServerProcess server(db);
    ApiClient staff(server, staffToken); // the staff session survived too
    auto tickets = staff.get("/api/v1/tickets");
    REQUIRE(tickets.status == 200);
    REQUIRE(tickets.json.size() == ticketsBefore.size());
    for (std::size_t i = 0; i < tickets.json.size(); ++i) {
        CHECK(tickets.json[i]["number"] == ticketsBefore[i]["number"]);
        CHECK(tickets.json[i]["status"] == ticketsBefore[i]["status"]);
        CHECK(tickets.json[i]["counter"] == ticketsBefore[i]["counter"]);
        CHECK(tickets.json[i]["public_code"] == ticketsBefore[i]["public_code"]);
    }
    auto counters = staff.get("/api/v1/counters").json;
    for (std::size_t i = 0; i < counters.size(); ++i) CHECK(counters[i]["state"] == countersBefore[i]["state"]);
    // The same retry key still answers with the same ticket after the crash.
    ApiClient kiosk(server, "demo-kiosk-token");
    auto retry = kiosk.post("/api/v1/tickets", {{"service", "uittreksel"}}, {{"Idempotency-Key", "k0"}});
    CHECK(retry.status == 200);
    CHECK(retry.json["ticket"]["number"] == "U001");
    // New numbers continue where they stopped, and so do event ids.
    auto next = kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "after"}});
    CHECK(next.json["ticket"]["number"] == "B013");
    auto events = readEvents(server, staffToken, 1, lastEventId, 3000);
    REQUIRE(events.size() == 1);
    CHECK(events[0].type == "ticket.issued");
    CHECK(std::stoll(events[0].id) > std::stoll(lastEventId));
}
