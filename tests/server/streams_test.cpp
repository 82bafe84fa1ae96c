// Event streams and waiting connections hold no request thread: many open streams, a credential
// at its stream limit, and clients that never finish their request head all leave the hall
// answering check-ins (issue 11, defect 1).
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <fstream>
#include <sstream>

using namespace loket::test;

TEST_CASE("streams: with 300 event streams open a check-in is answered and every stream sees it") {
    TempDir dir;
    // 64 request threads: before the hub, 64 open streams stopped the server.
    ServerProcess server(dir.path() / "hall.db", configWith(dir, "max_streams_per_credential = 64", "max_streams_per_credential = 400"));
    std::vector<RawConnection> streams;
    for (int i = 0; i < 300; ++i) streams.push_back(openEventStream(server, "demo-display-token"));
    for (auto& s : streams) REQUIRE(s.readUntil("retry: 2000").find("retry: 2000") != std::string::npos);
    REQUIRE(waitForStreams(server, 300));
    ApiClient kiosk(server, "demo-kiosk-token");
    auto ticket = kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "s1"}});
    REQUIRE(ticket.status == 201);
    CHECK(ApiClient(server).get("/healthz").status == 200);
    for (auto& s : streams) CHECK(s.readUntil("event: ticket.issued").find("event: ticket.issued") != std::string::npos);
}

TEST_CASE("streams: one stream more than the credential's limit is answered 429, and a closed one frees its place") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db", configWith(dir, "max_streams_per_credential = 64", "max_streams_per_credential = 3"));
    std::vector<RawConnection> streams;
    for (int i = 0; i < 3; ++i) {
        streams.push_back(openEventStream(server, "demo-display-token"));
        REQUIRE(statusOf(streams.back().readUntil("retry: 2000")) == 200);
    }
    auto refused = openEventStream(server, "demo-display-token");
    REQUIRE(refused.waitClosed(5000));
    CHECK(statusOf(refused.received()) == 429);
    CHECK(jsonOf(refused.received())["error"]["code"] == "too_many_requests");
    // Another credential is not counted against this one.
    auto kiosk = openEventStream(server, "demo-kiosk-token");
    CHECK(statusOf(kiosk.readUntil("retry: 2000")) == 200);
    // An unauthenticated stream is refused with a JSON 401, not held.
    auto anonymous = RawConnection(server);
    REQUIRE(anonymous.send("GET /api/v1/events?access_token=nope HTTP/1.1\r\nHost: loket\r\n\r\n"));
    REQUIRE(anonymous.waitClosed(5000));
    CHECK(statusOf(anonymous.received()) == 401);
    CHECK(jsonOf(anonymous.received())["error"]["code"] == "unauthorized");

    streams.pop_back();
    REQUIRE(waitForStreams(server, 3)); // two displays and the kiosk
    auto again = openEventStream(server, "demo-display-token");
    CHECK(statusOf(again.readUntil("retry: 2000")) == 200);
}

TEST_CASE("streams: 200 half-sent requests do not hold the server, and time out with a 408") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db", ServerProcess::defaultConfig(), {}, {"--header-timeout", "2"});
    std::vector<RawConnection> slow;
    for (int i = 0; i < 200; ++i) {
        slow.emplace_back(server);
        REQUIRE(slow.back().send("GET /healthz HTTP/1.1\r\nHost: loket\r\nX-Slow-1: a\r\n"));
    }
    for (auto& s : slow) REQUIRE(s.send("X-Slow-2: b\r\n")); // a slowloris adds a line now and then
    ApiClient kiosk(server, "demo-kiosk-token");
    CHECK(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "s1"}}).status == 201);
    CHECK(ApiClient(server).get("/metrics").status == 200);
    for (auto& s : slow) {
        REQUIRE(s.waitClosed(10000));
        CHECK(statusOf(s.received()) == 408);
        CHECK(jsonOf(s.received())["error"]["code"] == "timeout");
    }
}

TEST_CASE("streams: a stream resumed with Last-Event-ID in the query gets what it missed") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient kiosk(server, "demo-kiosk-token");
    REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "1"}}).status == 201);
    REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "2"}}).status == 201);
    RawConnection c(server);
    REQUIRE(c.send("GET /api/v1/events?access_token=demo-display-token&last_event_id=0 HTTP/1.1\r\nHost: loket\r\n\r\n"));
    const std::string text = c.readUntil("B002");
    CHECK(text.find("B001") != std::string::npos);
    CHECK(text.find("B002") != std::string::npos);
}

TEST_CASE("streams: the server raises its open-files limit to the hard limit at start, and its service unit sets LimitNOFILE") {
    // Thousands of streams are thousands of sockets: a soft limit of 1,024 (a shell's default)
    // would refuse the 1,000th display.
    rlimit mine{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &mine) == 0);
    if (mine.rlim_max == RLIM_INFINITY || mine.rlim_max <= 256) {
        // Nothing to raise to, or no room below the hard limit: the second half still holds.
        WARN("hard open-files limit " << mine.rlim_max << ": the raise is not observable here");
    } else {
        rlimit lowered = mine;
        lowered.rlim_cur = 256; // the server inherits this soft limit
        REQUIRE(setrlimit(RLIMIT_NOFILE, &lowered) == 0);
        TempDir dir;
        ServerProcess server(dir.path() / "hall.db");
        REQUIRE(setrlimit(RLIMIT_NOFILE, &mine) == 0);
        std::ifstream limits("/proc/" + std::to_string(server.pid()) + "/limits");
        std::string line, soft, hard;
        while (std::getline(limits, line))
            if (line.rfind("Max open files", 0) == 0) std::istringstream(line.substr(26)) >> soft >> hard;
        CHECK(soft == std::to_string(mine.rlim_max));
        CHECK(hard == std::to_string(mine.rlim_max));
    }
    std::ifstream unit(std::string(LOKET_SOURCE_DIR) + "/packaging/systemd/loket-server.service");
    std::stringstream text;
    text << unit.rdbuf();
    const auto at = text.str().find("\nLimitNOFILE=");
    REQUIRE(at != std::string::npos);
    CHECK(std::atol(text.str().c_str() + at + 13) >= 4096);
}
