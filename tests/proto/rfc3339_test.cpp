#include "shared/proto/rfc3339.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <random>

using namespace loket;
using namespace loket::core;
using proto::parseRfc3339;
using proto::rfc3339;

TEST_CASE("rfc3339: the hall's timestamps compare in seconds across offsets") {
    auto a = parseRfc3339("2026-11-23T09:15:00+01:00");
    auto b = parseRfc3339("2026-11-23T08:15:00Z");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->t == b->t);
    CHECK(a->utcOffsetS == 3600);
    CHECK(parseRfc3339("1970-01-01T00:00:00Z")->t == 0);
    CHECK(parseRfc3339("2026-03-29T03:00:00.250+02:00")->t - parseRfc3339("2026-03-29T01:59:00+01:00")->t == 60);
    CHECK(proto::localClockText("2026-11-23T09:15:00+01:00") == "09:15");
    CHECK(proto::localDateText("2026-11-23T00:15:00+01:00") == "2026-11-23");
}

TEST_CASE("rfc3339: what is written reads back as the same instant and offset") {
    for (std::int32_t offset : {0, 3600, 7200, -5 * 3600 - 1800}) {
        const core::Now at{1795425300, offset};
        auto back = parseRfc3339(proto::rfc3339(at));
        REQUIRE(back);
        CHECK(back->t == at.t);
        CHECK(back->utcOffsetS == offset);
    }
    CHECK(proto::rfc3339(core::Now{0, 3600}) == "1970-01-01T01:00:00+01:00");
}

TEST_CASE("rfc3339: anything else is rejected") {
    CHECK_FALSE(parseRfc3339("2026-11-23 09:15"));
    CHECK_FALSE(parseRfc3339("2026-13-23T09:15:00Z"));
    CHECK_FALSE(parseRfc3339("2026-02-30T09:15:00Z"));
    CHECK_FALSE(parseRfc3339("2026-11-23T09:15:00+0100"));
    CHECK_FALSE(parseRfc3339("2026-11-23T09:15:00Zjunk"));
    CHECK_FALSE(parseRfc3339("2026-11-23T24:15:00Z"));
    CHECK(proto::localClockText("nonsense").empty());
}

TEST_CASE("rfc3339: the ISO 8601 that other systems write is read by the same scanner, a local time without offset") {
    auto local = proto::parseIso8601("2026-11-23 09:15");
    REQUIRE(local);
    CHECK(local->secondOfDay == 9 * 3600 + 15 * 60);
    CHECK_FALSE(local->utcOffsetS.has_value()); // the caller applies the hall's zone
    auto compact = proto::parseIso8601("2026-11-23T09:15:30.5+0100");
    REQUIRE(compact);
    CHECK(compact->secondOfDay == 9 * 3600 + 15 * 60 + 30);
    CHECK(compact->utcOffsetS == std::optional<std::int32_t>(3600));
    CHECK(proto::parseIso8601("2026-11-23T09:15:00Z")->utcOffsetS == std::optional<std::int32_t>(0));
    auto strict = proto::parseIso8601("2026-11-23T09:15:00+01:00");
    REQUIRE(strict);
    CHECK(core::instantOf(strict->day, strict->secondOfDay, *strict->utcOffsetS) == parseRfc3339("2026-11-23T09:15:00+01:00")->t);
    CHECK_FALSE(proto::parseIso8601("2026-11-23T9:15"));
    CHECK_FALSE(proto::parseIso8601("2026-11-23T09:15+1"));
    CHECK_FALSE(proto::parseIso8601("2026-11-23T09:15 extra"));
}

TEST_CASE("rfc3339: written digit by digit exactly as the printf version wrote it") {
    // The printf version, kept here as the oracle.
    auto printed = [](Seconds t, std::int32_t utcOffsetS) {
        const Now now{t, utcOffsetS};
        const std::string date = formatDate(localDay(now));
        const std::int32_t s = localSecondOfDay(now);
        const std::int32_t off = utcOffsetS < 0 ? -utcOffsetS : utcOffsetS;
        char buf[64];
        std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%c%02d:%02d", date.c_str(), s / 3600, (s / 60) % 60, s % 60,
                      utcOffsetS < 0 ? '-' : '+', off / 3600, (off / 60) % 60);
        return std::string(buf);
    };
    std::mt19937_64 rng(3339);
    for (int i = 0; i < 20000; ++i) {
        const auto t = static_cast<Seconds>(rng() % 8'000'000'000ULL) - 2'000'000'000;
        // Real offsets, odd ones, and offsets of 100 hours and more.
        const std::int32_t offsets[] = {0, 3600, 7200, -18000, 19800, -34200, 45 * 60, static_cast<std::int32_t>(rng() % 720000) - 360000};
        for (const auto off : offsets) {
            INFO(t << " " << off);
            CHECK(rfc3339(t, off) == printed(t, off));
        }
    }
}
