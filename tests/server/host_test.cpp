// The host at the door on the real server (issue 18): marking needs and answering questions at
// the door are staff actions in the audit trail — free of what the needs are — and a finished
// day's door answers survive the daily purge as counts per service, so the statistics of that
// day still show them.
#include "server_process.hpp"

#include <catch2/catch.hpp>

using namespace loket::test;

namespace {

int doorAnswersOf(const Json& stats, const std::string& service) {
    for (const auto& s : stats["by_service"])
        if (s["service"] == service) return s["answered_at_door"];
    return -1;
}

} // namespace

TEST_CASE("host: marking needs and door answers are in the audit trail by service, never which needs") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient host(server, "demo-admin-token"); // the host's routes are the admin's too
    auto ticket = host.post("/api/v1/host/tickets", {{"service", "paspoort"}}, {{"Idempotency-Key", "h1"}});
    REQUIRE(ticket.status == 201);
    const std::string id = ticket.json["ticket"]["id"].dump();
    const Json needs = {{"kinds", {"sitting_desk", "interpreter"}}, {"language", "Tigrinya"}};
    REQUIRE(host.post("/api/v1/host/tickets/" + id + "/needs", {{"needs", needs}}).status == 200);
    REQUIRE(host.post("/api/v1/host/tickets/" + id + "/needs", {{"needs", {{"kinds", Json::array()}}}}).status == 200);
    CHECK(host.post("/api/v1/host/tickets/999999/needs", {{"needs", needs}}).status >= 400); // refused: not in the trail
    REQUIRE(host.post("/api/v1/host/door", {{"service", "ophalen"}}).status == 201);
    CHECK(host.post("/api/v1/host/door", {{"service", "bestaat-niet"}}).status >= 400);

    auto audit = host.get("/api/v1/audit?day=" + hallDate(server));
    INFO(audit.body);
    REQUIRE(audit.status == 200);
    const auto& e = audit.json["entries"];
    REQUIRE(e.size() == 4);
    CHECK(e[0]["action"] == "host.walk_in");
    CHECK(e[1]["action"] == "host.needs");
    CHECK(e[1]["actor"] == "admin-api");
    CHECK(e[1]["target"] == "paspoort");
    CHECK(e[1]["detail"] == "3 needs"); // two kinds and a language: how many, not which
    CHECK(e[2]["action"] == "host.needs");
    CHECK(e[2]["detail"] == "0 needs"); // cleared
    CHECK(e[3]["action"] == "host.door_answer");
    CHECK(e[3]["target"] == "ophalen");
    // Needs are health data purged at day end; the trail outlives the purge and never holds them.
    for (const char* word : {"sitting", "interpreter", "Tigrinya", "wheelchair"}) CHECK(audit.body.find(word) == std::string::npos);
    // Nor the ticket the needs were marked on.
    CHECK(e[1]["target"] != ticket.json["ticket"]["number"]);
}

TEST_CASE("host: a finished day's door answers stay in its statistics after the daily purge") {
    TempDir dir;
    const auto db = dir.path() / "hall.db";
    std::string day0;
    {
        ServerProcess server(db, ServerProcess::defaultConfig(), {hallClockAt(9 * 3600, 0)});
        day0 = hallDate(server);
        ApiClient host(server, "demo-admin-token");
        for (const char* service : {"paspoort", "paspoort", "ophalen"})
            REQUIRE(host.post("/api/v1/host/door", {{"service", service}}).status == 201);
        REQUIRE(ApiClient(server, "demo-kiosk-token").post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "k0"}}).status == 201);
        CHECK(host.get("/api/v1/stats").json["answered_at_door"] == 3);
    }
    ServerProcess server(db, ServerProcess::defaultConfig(), {hallClockAt(9 * 3600, 1)});
    ApiClient admin(server, "demo-admin-token");
    // The next day's first command starts it: yesterday's events (and with them the door
    // answers' events) are purged.
    REQUIRE(ApiClient(server, "demo-kiosk-token").post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "k1"}}).status == 201);
    REQUIRE(hallDate(server) != day0);
    auto today = admin.get("/api/v1/stats");
    REQUIRE(today.status == 200);
    CHECK(today.json["answered_at_door"] == 0);
    CHECK(today.json["visitors"] == 1);

    auto past = admin.get("/api/v1/stats?date=" + day0);
    INFO(past.body);
    REQUIRE(past.status == 200);
    CHECK(past.json["visitors"] == 1);
    CHECK(past.json["answered_at_door"] == 3);
    CHECK(doorAnswersOf(past.json, "paspoort") == 2);
    CHECK(doorAnswersOf(past.json, "ophalen") == 1);
    // A day with none kept answers zero.
    CHECK(admin.get("/api/v1/stats?date=2020-01-01").json["answered_at_door"] == 0);
}
