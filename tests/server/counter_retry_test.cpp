// The counter console retries its last action with the same Idempotency-Key after a lost answer
// (issue 13): against the real server, a retried "next" calls one visitor, also after the server
// was killed (-9) between the first try and the retry; a key is bound to its request.
#include "server_process.hpp"

#include <catch2/catch.hpp>

using namespace loket::test;

namespace {
std::string header(const ApiResponse& r, const std::string& name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string() : it->second;
}
int countWithStatus(const ServerProcess& server, const std::string& status) {
    auto list = ApiClient(server, "demo-admin-token").get("/api/v1/tickets?status=" + status);
    REQUIRE(list.status == 200);
    return static_cast<int>(list.json.size());
}
} // namespace

TEST_CASE("offline: a next retried with the same Idempotency-Key calls one visitor, also after a kill -9") {
    TempDir dir;
    const auto db = dir.path() / "hall.db";
    std::string first;
    {
        ServerProcess server(db);
        ApiClient kiosk(server, "demo-kiosk-token");
        ApiClient staff(server, loginDemo(server));
        REQUIRE(staff.post("/api/v1/counters/b1/open").status == 200);
        for (int i = 0; i < 3; ++i)
            REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "uittreksel"}}, {{"Idempotency-Key", "v" + std::to_string(i)}}).status == 201);

        auto called = staff.post("/api/v1/counters/b1/next", Json::object(), {{"Idempotency-Key", "next-1"}});
        REQUIRE(called.status == 200);
        first = called.json["ticket"]["number"];
        CHECK(header(called, "Idempotency-Replayed").empty());
        // The answer was lost; the console sends the same request with the same key.
        auto again = staff.post("/api/v1/counters/b1/next", Json::object(), {{"Idempotency-Key", "next-1"}});
        REQUIRE(again.status == 200);
        CHECK(again.json["ticket"]["number"] == first);
        CHECK(header(again, "Idempotency-Replayed") == "true");
        CHECK(countWithStatus(server, "called") == 1);
        CHECK(countWithStatus(server, "waiting") == 2);
        // The same key for another request is refused, and calls nobody.
        auto other = staff.post("/api/v1/counters/b2/next", Json::object(), {{"Idempotency-Key", "next-1"}});
        CHECK(other.status == 409);
        CHECK(other.json["error"]["code"] == "idempotency_conflict");
        CHECK(staff.post("/api/v1/counters/b1/next", Json::object(), {{"Idempotency-Key", ""}}).status == 400);
        // A ticket action: the retried start answers the started ticket instead of a refusal.
        const std::string id = called.json["ticket"]["id"].dump();
        CHECK(staff.post("/api/v1/tickets/" + id + "/start", Json::object(), {{"Idempotency-Key", "start-1"}}).status == 200);
        auto started = staff.post("/api/v1/tickets/" + id + "/start", Json::object(), {{"Idempotency-Key", "start-1"}});
        CHECK(started.status == 200);
        CHECK(started.json["ticket"]["status"] == "serving");
        CHECK(header(started, "Idempotency-Replayed") == "true");
        CHECK(staff.post("/api/v1/tickets/" + id + "/complete", {{"outcome", "handled"}}, {{"Idempotency-Key", "done-1"}}).status == 200);
        server.kill9();
    }
    // The server crashed after answering; the console's retry reaches the restarted server.
    ServerProcess server(db);
    ApiClient staff(server, loginDemo(server));
    auto retried = staff.post("/api/v1/counters/b1/next", Json::object(), {{"Idempotency-Key", "next-1"}});
    REQUIRE(retried.status == 200);
    CHECK(retried.json["ticket"]["number"] == first);
    CHECK(header(retried, "Idempotency-Replayed") == "true");
    CHECK(countWithStatus(server, "called") == 0); // the first visitor was served and done
    CHECK(countWithStatus(server, "waiting") == 2);
    // A new press is a new key: it calls the next visitor.
    auto next = staff.post("/api/v1/counters/b1/next", Json::object(), {{"Idempotency-Key", "next-2"}});
    REQUIRE(next.status == 200);
    CHECK(next.json["ticket"]["number"] != first);
    CHECK(countWithStatus(server, "waiting") == 1);
    // Only the actions that ran are in the audit trail: one counter.next per key, one start.
    auto audit = ApiClient(server, "demo-admin-token").get("/api/v1/audit");
    REQUIRE(audit.status == 200);
    int nexts = 0, starts = 0;
    for (const auto& line : audit.json["entries"]) {
        if (line["action"] == "counter.next") ++nexts;
        if (line["action"] == "ticket.start") ++starts;
    }
    CHECK(nexts == 2);
    CHECK(starts == 1);
}
