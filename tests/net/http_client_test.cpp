#include "shared/net/http_client.hpp"

#include "scripted_peer.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>

using loket::ErrorCode;
using loket::net::HttpClient;
using loket::net::HttpOptions;
using namespace std::chrono_literals;

TEST_CASE("http: a GET sends the bearer token and returns the JSON body") {
    ScriptedPeer peer;
    std::string seenAuth;
    peer.server.Get("/api/v1/hall", [&](const httplib::Request& req, httplib::Response& res) {
        seenAuth = req.get_header_value("Authorization");
        res.set_content(R"({"ok":true})", "application/json");
    });
    peer.start();
    HttpClient client(HttpOptions{peer.url(), "demo-display-token"});
    auto reply = client.get("/api/v1/hall");
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(reply->body == R"({"ok":true})");
    CHECK(seenAuth == "Bearer demo-display-token");
}

TEST_CASE("http: an API error becomes its error code with the server's message and status") {
    ScriptedPeer peer;
    peer.server.Post("/api/v1/counters/b1/next", [](const httplib::Request&, httplib::Response& res) {
        res.status = 409;
        res.set_content(R"({"error":{"code":"counter_busy","message":"Balie 1 heeft nog een nummer."}})", "application/json");
    });
    peer.start();
    HttpClient client(HttpOptions{peer.url(), "t"});
    auto reply = client.post("/api/v1/counters/b1/next", "{}");
    REQUIRE_FALSE(reply);
    CHECK(reply.error().code == ErrorCode::CounterBusy);
    CHECK(reply.error().message == "Balie 1 heeft nog een nummer.");
    REQUIRE(client.lastFailure());
    CHECK(client.lastFailure()->status == 409);
    CHECK(client.lastFailure()->apiCode == "counter_busy");
}

TEST_CASE("http: an API error's typed details arrive in the client's error") {
    ScriptedPeer peer;
    peer.server.Post("/api/v1/tickets", [](const httplib::Request&, httplib::Response& res) {
        res.status = 422;
        res.set_content(R"({"error":{"code":"too_early","message":"Too early: check in from 10:25.",)"
                        R"("details":{"check_in_from":"2026-11-23T10:25:00+01:00"}}})",
                        "application/json");
    });
    peer.start();
    HttpClient client(HttpOptions{peer.url(), "t"});
    auto reply = client.post("/api/v1/tickets", "{}");
    REQUIRE_FALSE(reply);
    CHECK(reply.error().code == ErrorCode::TooEarly);
    REQUIRE(reply.error().details.checkInFrom);
    CHECK(reply.error().details.checkInFrom->utcOffsetS == 3600);
    CHECK(loket::core::localSecondOfDay(*reply.error().details.checkInFrom) == 10 * 3600 + 25 * 60);
}

TEST_CASE("http: a slow server is a timeout, a closed port is unavailable") {
    ScriptedPeer peer;
    peer.server.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(400ms);
        res.set_content("{}", "application/json");
    });
    peer.start();
    HttpClient slow(HttpOptions{peer.url(), "", 1000ms, 100ms});
    auto late = slow.get("/slow");
    REQUIRE_FALSE(late);
    CHECK(late.error().code == ErrorCode::Timeout);

    const std::string url = peer.url();
    peer.stop();
    HttpClient closed(HttpOptions{url, "", 500ms, 500ms});
    auto refused = closed.get("/anything");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::Unavailable);
    CHECK(closed.lastFailure()->status == 0);
}

TEST_CASE("http: postWithRetry repeats a failed POST with the same idempotency key until it succeeds") {
    ScriptedPeer peer;
    std::mutex mutex;
    std::vector<std::string> keys;
    std::vector<std::string> bodies;
    peer.server.Post("/api/v1/tickets", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(mutex);
        keys.push_back(req.get_header_value("Idempotency-Key"));
        bodies.push_back(req.body);
        if (keys.size() < 3) {
            res.status = 503;
            res.set_content(R"({"error":{"code":"unavailable","message":"busy"}})", "application/json");
            return;
        }
        res.status = 201;
        res.set_content(R"({"ticket":{}})", "application/json");
    });
    peer.start();
    HttpClient client(HttpOptions{peer.url(), "demo-kiosk-token"});
    const std::string key = loket::net::makeIdempotencyKey();
    auto reply = client.postWithRetry("/api/v1/tickets", R"({"service":"paspoort"})", key, {5, 5ms, 20ms});
    REQUIRE(reply);
    CHECK(reply->status == 201);
    REQUIRE(keys.size() == 3);
    CHECK(std::set<std::string>(keys.begin(), keys.end()) == std::set<std::string>{key});
    CHECK(bodies[2] == R"({"service":"paspoort"})");
}

TEST_CASE("http: postWithRetry does not repeat an answer that will not change") {
    ScriptedPeer peer;
    std::atomic<int> calls{0};
    peer.server.Post("/api/v1/tickets", [&](const httplib::Request&, httplib::Response& res) {
        ++calls;
        res.status = 422;
        res.set_content(R"({"error":{"code":"walk_in_not_offered","message":"Alleen op afspraak."}})", "application/json");
    });
    peer.start();
    HttpClient client(HttpOptions{peer.url(), "k"});
    auto reply = client.postWithRetry("/api/v1/tickets", "{}", loket::net::makeIdempotencyKey(), {5, 1ms, 5ms});
    REQUIRE_FALSE(reply);
    CHECK(reply.error().code == ErrorCode::WalkInNotOffered);
    CHECK(calls == 1);
}

TEST_CASE("http: idempotency keys are fresh UUIDs") {
    auto a = loket::net::makeIdempotencyKey();
    auto b = loket::net::makeIdempotencyKey();
    CHECK(a.size() == 36);
    CHECK(a[14] == '4');
    CHECK(a != b);
}
