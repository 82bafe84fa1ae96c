#include "shared/signage/rfc3339.hpp"

#include <catch2/catch.hpp>

using namespace loket::signage;

TEST_CASE("rfc3339: the hall's timestamps compare in seconds across offsets") {
    auto a = parseRfc3339("2026-11-23T09:15:00+01:00");
    auto b = parseRfc3339("2026-11-23T08:15:00Z");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(*a == *b);
    CHECK(*parseRfc3339("1970-01-01T00:00:00Z") == 0);
    CHECK(*parseRfc3339("2026-03-29T03:00:00.250+02:00") - *parseRfc3339("2026-03-29T01:59:00+01:00") == 60);
    CHECK(localClockText("2026-11-23T09:15:00+01:00") == "09:15");
}

TEST_CASE("rfc3339: anything else is rejected") {
    CHECK_FALSE(parseRfc3339("2026-11-23 09:15"));
    CHECK_FALSE(parseRfc3339("2026-13-23T09:15:00Z"));
    CHECK_FALSE(parseRfc3339("2026-11-23T09:15:00+0100"));
    CHECK_FALSE(parseRfc3339("2026-11-23T09:15:00Zjunk"));
    CHECK(localClockText("nonsense").empty());
}
