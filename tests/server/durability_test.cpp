// Durability: every acknowledged ticket, call and counter state survives kill -9, with the same
// numbers, and the event ids continue.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

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

TEST_CASE("server: at the next day yesterday's personal data are gone and only anonymous figures stay") {
    TempDir dir;
    const auto db = dir.path() / "hall.db";
    std::string yesterday, publicCode;
    {
        ServerProcess server(db);
        ApiClient admin(server, "demo-admin-token");
        const std::string now = ApiClient(server, "demo-display-token").get("/api/v1/hall").json["hall"]["now"];
        yesterday = now.substr(0, 10);
        REQUIRE(admin.post("/api/v1/appointments", {{"code", "GONE22"}, {"service", "paspoort"}, {"starts_at", now}, {"name", "A. Privé"}}).status == 201);
        auto t = ApiClient(server, "demo-kiosk-token").post("/api/v1/tickets", {{"appointment_code", "GONE22"}}, {{"Idempotency-Key", "y1"}});
        REQUIRE(t.status == 201);
        publicCode = t.json["ticket"]["public_code"];
        ApiClient staff(server, loginDemo(server));
        REQUIRE(staff.post("/api/v1/counters/b1/open").status == 200);
        REQUIRE(staff.post("/api/v1/counters/b1/call", {{"ticket_id", t.json["ticket"]["id"]}}).status == 200);
        REQUIRE(staff.post("/api/v1/tickets/" + t.json["ticket"]["id"].dump() + "/complete", {{"outcome", "handled"}}).status == 200);
    }
    // The same hall a day later (the server's clock reads tomorrow morning).
    ServerProcess server(db, ServerProcess::defaultConfig(), {hallClockAt(9 * 3600, 1)});
    ApiClient admin(server, "demo-admin-token");
    CHECK(ApiClient(server).get("/api/v1/visits/" + publicCode).status == 404);
    auto fresh = ApiClient(server, "demo-kiosk-token").post("/api/v1/tickets", {{"service", "paspoort"}}, {{"Idempotency-Key", "y1"}});
    CHECK(fresh.status == 201); // yesterday's retry keys are gone too
    CHECK(fresh.json["ticket"]["number"] == "A001");
    auto stats = admin.get("/api/v1/stats?date=" + yesterday);
    REQUIRE(stats.status == 200);
    CHECK(stats.json["visitors"] == 1);
    CHECK(stats.json["pct_appointments_within_norm"] == 100.0);
    auto csv = admin.get("/api/v1/export?date=" + yesterday);
    CHECK(csv.body.find("A001") != std::string::npos);
    CHECK(csv.body.find("GONE22") == std::string::npos);
    CHECK(admin.get("/api/v1/appointments?date=" + yesterday).json.empty());
    // Nothing personal is left in the database file.
    server.stop();
    std::ifstream in(db, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ifstream wal(db.string() + "-wal", std::ios::binary);
    std::string walBytes((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
    CHECK(bytes.find("Privé") == std::string::npos);
    CHECK(walBytes.find("Privé") == std::string::npos);
}
