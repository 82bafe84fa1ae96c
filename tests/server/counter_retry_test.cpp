// The counter console retries its last action with the same Idempotency-Key after a lost answer
// (issue 13): against the real server, a retried "next" calls one visitor, also after the server
// was killed (-9) between the first try and the retry; a key is bound to its request.
#include "server_process.hpp"

#include <catch2/catch.hpp>

using namespace loket::test;

namespace {
// A staff POST with an Idempotency-Key; `replayed` tells whether the server marked the answer as
// the replay of an earlier try.
struct Keyed {
    int status = 0;
    Json json;
    bool replayed = false;
};
Keyed postWithKey(const ServerProcess& server, const std::string& token, const std::string& path, const std::string& key,
                  const Json& body = Json::object()) {
    httplib::Client client("127.0.0.1", server.port());
    auto r = client.Post(path.c_str(), {{"Authorization", "Bearer " + token}, {"Idempotency-Key", key}}, body.dump(), "application/json");
    if (!r) return Keyed{-1, {}, false};
    return Keyed{r->status, Json::parse(r->body, nullptr, false), r->get_header_value("Idempotency-Replayed") == "true"};
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
        const std::string token = loginDemo(server);
        ApiClient staff(server, token);
        REQUIRE(staff.post("/api/v1/counters/b1/open").status == 200);
        for (int i = 0; i < 3; ++i)
            REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "uittreksel"}}, {{"Idempotency-Key", "v" + std::to_string(i)}}).status == 201);

        auto called = postWithKey(server, token, "/api/v1/counters/b1/next", "next-1");
        REQUIRE(called.status == 200);
        first = called.json["ticket"]["number"];
        CHECK_FALSE(called.replayed);
        // The answer was lost; the console sends the same request with the same key.
        auto again = postWithKey(server, token, "/api/v1/counters/b1/next", "next-1");
        REQUIRE(again.status == 200);
        CHECK(again.json["ticket"]["number"] == first);
        CHECK(again.replayed);
        CHECK(countWithStatus(server, "called") == 1);
        CHECK(countWithStatus(server, "waiting") == 2);
        // The same key for another request is refused, and calls nobody.
        auto other = postWithKey(server, token, "/api/v1/counters/b2/next", "next-1");
        CHECK(other.status == 409);
        CHECK(other.json["error"]["code"] == "idempotency_conflict");
        CHECK(postWithKey(server, token, "/api/v1/counters/b1/next", std::string(129, 'k')).status == 400); // too long
        // A ticket action: the retried start answers the started ticket instead of a refusal.
        const std::string id = called.json["ticket"]["id"].dump();
        CHECK(postWithKey(server, token, "/api/v1/tickets/" + id + "/start", "start-1").status == 200);
        auto started = postWithKey(server, token, "/api/v1/tickets/" + id + "/start", "start-1");
        CHECK(started.status == 200);
        CHECK(started.json["ticket"]["status"] == "serving");
        CHECK(started.replayed);
        CHECK(postWithKey(server, token, "/api/v1/tickets/" + id + "/complete", "done-1", {{"outcome", "handled"}}).status == 200);
        server.kill9();
    }
    // The server crashed after answering; the console's retry reaches the restarted server.
    ServerProcess server(db);
    const std::string token = loginDemo(server);
    auto retried = postWithKey(server, token, "/api/v1/counters/b1/next", "next-1");
    REQUIRE(retried.status == 200);
    CHECK(retried.json["ticket"]["number"] == first);
    CHECK(retried.replayed);
    CHECK(countWithStatus(server, "called") == 0); // the first visitor was served and done
    CHECK(countWithStatus(server, "waiting") == 2);
    // A new press is a new key: it calls the next visitor.
    auto next = postWithKey(server, token, "/api/v1/counters/b1/next", "next-2");
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
