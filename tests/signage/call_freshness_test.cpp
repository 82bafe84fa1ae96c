// The rule for what the display may still say after it was not live (shared/signage/call_freshness.hpp),
// on a test clock: monotonic seconds and wall-clock epochs are plain numbers, nothing sleeps.
#include "shared/signage/call_freshness.hpp"

#include <catch2/catch.hpp>

using loket::signage::CallFreshness;

namespace {
constexpr std::int64_t kWall = 1'800'000'000; // the display's wall clock at monotonic 0
// disconnected after 4 s, catch-up for 3 s after contact returns, fresh = made at most 10 s ago.
CallFreshness rule() {
    CallFreshness f(4, 3, 10, 0);
    f.alive(0);
    return f;
}
} // namespace

TEST_CASE("offline: the display is live while signs of life come at most 4 s apart") {
    auto f = rule();
    CHECK(f.live(4));
    CHECK_FALSE(f.live(4.01));
    f.alive(2);
    CHECK(f.live(6));
    CHECK_FALSE(f.live(6.5));
}

TEST_CASE("offline: a call that arrives while live is spoken, whatever the display's clock says") {
    auto f = rule();
    f.alive(1);
    CHECK(f.mayAnnounce(1, kWall + 1, kWall + 1));
    // A display clock 5 minutes fast (or slow): live news is still news.
    f.alive(2);
    CHECK(f.mayAnnounce(2, kWall + 302, kWall + 2));
    f.alive(3);
    CHECK(f.mayAnnounce(3, kWall - 297, kWall + 3));
    CHECK_FALSE(f.catchingUp(3));
}

TEST_CASE("offline: after an outage a caught-up call older than 10 s is shown only, a newer one is spoken") {
    auto f = rule();
    f.alive(1);
    REQUIRE(f.mayAnnounce(1, kWall + 1, kWall + 1));
    // The server is away from 1 s to 61 s; the stream replays what was called meanwhile.
    CHECK_FALSE(f.live(10));
    f.alive(61);
    CHECK(f.catchingUp(61));
    CHECK_FALSE(f.mayAnnounce(61, kWall + 61, kWall + 20)); // 41 s old: the visitor heard nothing, the screen shows it
    CHECK_FALSE(f.mayAnnounce(61, kWall + 61, kWall + 50)); // 11 s old
    CHECK(f.mayAnnounce(61, kWall + 61, kWall + 51));       // 10 s old: still spoken
    CHECK(f.mayAnnounce(61.5, kWall + 61, kWall + 60));
    // The catch-up ends 3 s after contact returned: from then on calls are live news again.
    f.alive(64.5);
    CHECK_FALSE(f.catchingUp(64.5));
    CHECK(f.mayAnnounce(64.5, kWall + 64, kWall + 40));
}

TEST_CASE("offline: the age of a caught-up call is judged with the clock offset measured on live calls") {
    // This display's clock is 120 s ahead of the server's; live calls arrive 0–2 s after they are made.
    auto f = rule();
    const std::int64_t ahead = 120;
    f.alive(1);
    REQUIRE(f.mayAnnounce(1, kWall + ahead + 2, kWall + 0));
    f.alive(2);
    REQUIRE(f.mayAnnounce(2, kWall + ahead + 2, kWall + 2));
    CHECK(f.clockOffsetS() == ahead);
    // An outage, then catch-up: 8 s old by the server's clock is fresh, 30 s old is not.
    f.alive(40);
    CHECK(f.mayAnnounce(40, kWall + ahead + 40, kWall + 32));
    CHECK_FALSE(f.mayAnnounce(40, kWall + ahead + 40, kWall + 10));
    // Caught-up calls are no samples: the offset stays what live calls measured.
    CHECK(f.clockOffsetS() == ahead);
}

TEST_CASE("offline: missed calls from a reloaded snapshot are judged as catch-up even while live") {
    auto f = rule();
    f.alive(1);
    CHECK_FALSE(f.catchingUp(1));
    CHECK(f.mayAnnounce(1, kWall + 100, kWall + 95, /*missed=*/true));
    CHECK_FALSE(f.mayAnnounce(1, kWall + 100, kWall + 80, /*missed=*/true));
    // A call whose time cannot be read is spoken only as live news.
    CHECK(f.mayAnnounce(1, kWall + 100, std::nullopt));
    CHECK_FALSE(f.mayAnnounce(1, kWall + 100, std::nullopt, /*missed=*/true));
}
