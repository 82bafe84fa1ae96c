#include "shared/sim/generator.hpp"
#include "shared/sim/random.hpp"

#include "hall_day_fixture.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace loket::sim;
using loket::sim::test::shippedScenario;

namespace {
struct Moments {
    double mean = 0, sd = 0;
};
template <typename Draw>
Moments moments(int n, Draw&& draw) {
    double sum = 0, sq = 0;
    for (int i = 0; i < n; ++i) {
        const double x = draw();
        sum += x;
        sq += x * x;
    }
    Moments m;
    m.mean = sum / n;
    m.sd = std::sqrt(sq / n - m.mean * m.mean);
    return m;
}

} // namespace

TEST_CASE("generator: the same seed gives the same stream, another seed another") {
    Rng a(42), b(42), c(43);
    for (int i = 0; i < 100; ++i) REQUIRE(a.next() == b.next());
    Rng d(42);
    int same = 0;
    for (int i = 0; i < 100; ++i) same += d.next() == c.next();
    CHECK(same == 0);
}

TEST_CASE("generator: uniform, normal and exponential draws have their means") {
    Rng rng(7);
    auto u = moments(50000, [&] { return rng.uniform(); });
    CHECK(u.mean == Approx(0.5).margin(0.01));
    CHECK(u.sd == Approx(std::sqrt(1.0 / 12)).margin(0.01));
    auto z = moments(50000, [&] { return rng.normal(-600, 600); });
    CHECK(z.mean == Approx(-600).margin(12));
    CHECK(z.sd == Approx(600).margin(12));
    auto e = moments(50000, [&] { return rng.exponential(2700); });
    CHECK(e.mean == Approx(2700).epsilon(0.03));
}

TEST_CASE("generator: lognormal durations have the scenario's mean and CV") {
    Rng rng(11);
    for (auto [mean, cv] : {std::pair{600.0, 0.35}, std::pair{210.0, 0.40}, std::pair{1500.0, 0.5}}) {
        auto m = moments(50000, [&] { return rng.lognormalMeanCv(mean, cv); });
        CHECK(m.mean == Approx(mean).epsilon(0.02));
        CHECK(m.sd / m.mean == Approx(cv).epsilon(0.05));
    }
}

TEST_CASE("generator: a duration is whole seconds within its bounds") {
    Rng rng(3);
    DurationDist d{"lognormal", 300, 1.5, 100, 700};
    for (int i = 0; i < 2000; ++i) {
        Seconds s = drawDuration(rng, d);
        REQUIRE(s >= 100);
        REQUIRE(s <= 700);
    }
}

TEST_CASE("generator: picks follow their weights") {
    Rng rng(5);
    std::vector<double> weights{70, 20, 10, 0};
    std::vector<int> counts(4, 0);
    for (int i = 0; i < 50000; ++i) counts[rng.pick(weights)]++;
    CHECK(counts[0] / 50000.0 == Approx(0.70).margin(0.01));
    CHECK(counts[1] / 50000.0 == Approx(0.20).margin(0.01));
    CHECK(counts[3] == 0);
}

TEST_CASE("generator: arrivals follow the profile's weights") {
    std::vector<RatePeriod> profile{{0, 3600, 1.0}, {3600, 7200, 3.0}};
    CHECK(profileQuantile(profile, 0.0) == 0);
    CHECK(profileQuantile(profile, 0.125) == 1800);
    CHECK(profileQuantile(profile, 0.25) == 3600);
    CHECK(profileQuantile(profile, 0.625) == 5400);
}

TEST_CASE("generator: a scenario day has its counts, no-show share and early check-ins") {
    const ScenarioSpec spec = shippedScenario("heavy_no_show");
    int appts = 0, walks = 0, noShows = 0, counters = 0;
    double offset = 0;
    int shown = 0;
    for (int r = 0; r < 10; ++r) {
        const Trace t = generateTrace(spec, spec.seed, r);
        counters = static_cast<int>(t.counters.size());
        for (const auto& v : t.visits) {
            (v.appointment ? appts : walks) += 1;
            if (v.appointment && !v.truth.show) ++noShows;
            if (v.appointment && v.truth.show) {
                offset += static_cast<double>(v.truth.tCheckIn - v.tAppt);
                ++shown;
            }
        }
    }
    CHECK(appts == 10 * 520);
    CHECK(walks == 10 * 150);
    CHECK(counters == 12);
    CHECK(static_cast<double>(noShows) / appts == Approx(0.35).margin(0.02));
    CHECK(offset / shown == Approx(-600).margin(40)); // sim-trace.md: about Normal(−10 min, 10 min)
}

TEST_CASE("generator: the same scenario, seed and replication give the same trace") {
    const ScenarioSpec spec = shippedScenario("small_town_tuesday");
    CHECK(writeTrace(generateTrace(spec, 99, 3)) == writeTrace(generateTrace(spec, 99, 3)));
    CHECK(writeTrace(generateTrace(spec, 99, 3)) != writeTrace(generateTrace(spec, 99, 4)));
}

TEST_CASE("generator: every scenario file loads and every visit can be served by some counter") {
    for (const char* name : {"small_town_tuesday", "medium_monday_peak", "large_city_25", "passport_rush_june", "heavy_no_show"}) {
        const ScenarioSpec spec = shippedScenario(name);
        CHECK(spec.name == name);
        auto parsed = parseTrace(writeTrace(generateTrace(spec, spec.seed, 0)));
        REQUIRE(parsed.has_value());
    }
}

TEST_CASE("generator: a bad scenario file is refused with the file and the key") {
    auto missing = loadScenario("no_such_scenario", std::string(LOKET_SOURCE_DIR) + "/sim/scenarios");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message.find("no_such_scenario") != std::string::npos);
}
