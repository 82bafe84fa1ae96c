#include "shared/net/backoff.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

TEST_CASE("backoff: delays double from the initial value up to the cap, and reset starts over") {
    loket::net::Backoff backoff(100ms, 1000ms);
    CHECK(backoff.next() == 100ms);
    CHECK(backoff.next() == 200ms);
    CHECK(backoff.next() == 400ms);
    CHECK(backoff.next() == 800ms);
    CHECK(backoff.next() == 1000ms);
    CHECK(backoff.next() == 1000ms);
    backoff.reset();
    CHECK(backoff.next() == 100ms);
}
