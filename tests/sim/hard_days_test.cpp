// The hard-day scenarios of issue 17, the printed range's score and the norm policy's frontier.
#include "shared/sim/frontier.hpp"
#include "shared/sim/generator.hpp"
#include "shared/sim/metrics.hpp"
#include "shared/sim/scenario.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace loket;
using namespace loket::sim;

namespace {

ScenarioSpec scenario(const std::string& name) {
    auto spec = loadScenario(name, std::string(LOKET_SOURCE_DIR) + "/sim/scenarios");
    REQUIRE(spec.has_value());
    return spec.value();
}

} // namespace

TEST_CASE("scenarios: a planned failure takes its counter down inside its window, in every replication") {
    const ScenarioSpec spec = scenario("failure_short_staffed");
    REQUIRE(spec.failures.size() == 1);
    for (int rep = 0; rep < 5; ++rep) {
        const Trace t = generateTrace(spec, spec.seed, rep);
        int found = 0;
        for (const CounterEvent& e : t.counterEvents)
            if (e.counter == "B02") {
                ++found;
                CHECK(e.kind == "down");
                CHECK(e.t >= 10 * 3600);
                CHECK(e.t < 11 * 3600);
                CHECK(e.until == 13 * 3600 + 1800);
            }
        CHECK(found == 1);
    }
}

TEST_CASE("scenarios: the hard days load, each with its own seed") {
    for (const char* name : {"walk_in_surge", "failure_short_staffed", "single_scarce_skill"}) {
        INFO(name);
        const ScenarioSpec spec = scenario(name);
        CHECK(spec.name == name);
        CHECK(spec.appointments > 0);
        CHECK(spec.walkIns > 0);
    }
}

TEST_CASE("scenarios: a failure that names no counter of the hall is refused, naming the file") {
    const auto dir = std::filesystem::temp_directory_path() / "loket_sim_failure_test";
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(std::string(LOKET_SOURCE_DIR) + "/sim/scenarios/services.toml", dir / "services.toml",
                               std::filesystem::copy_options::overwrite_existing);
    std::ifstream in(std::string(LOKET_SOURCE_DIR) + "/sim/scenarios/failure_short_staffed.toml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.replace(text.find("counter = \"B02\""), 15, "counter = \"X09\"");
    std::ofstream(dir / "bad.toml") << text;
    auto spec = loadScenarioFile((dir / "bad.toml").string());
    REQUIRE_FALSE(spec.has_value());
    CHECK(spec.error().message.find("bad.toml") != std::string::npos);
    CHECK(spec.error().message.find("X09") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("replay: the range printed around each prediction is kept and scored") {
    const ScenarioSpec spec = scenario("small_town_tuesday");
    ReplayOptions options;
    options.scorePredictions = true;
    auto r = replay(generateTrace(spec, spec.seed, 0), options);
    REQUIRE(r.has_value());
    int ranged = 0;
    for (const VisitOutcome& v : r.value().visits)
        if (v.predictedWaitS) {
            ++ranged;
            REQUIRE(v.predictedLowS.has_value());
            REQUIRE(v.predictedHighS.has_value());
            CHECK(*v.predictedLowS <= *v.predictedWaitS);
            CHECK(*v.predictedWaitS <= *v.predictedHighS);
        }
    CHECK(ranged > 0);
    const DayMetrics m = computeMetrics(r.value());
    REQUIRE(m.predInRange.has_value());
    CHECK(*m.predInRange >= 0.0);
    CHECK(*m.predInRange <= 1.0);
}

TEST_CASE("frontier: one point per knob value on the norm's curve, and fifo, appointments_first and norm_v1 beside it") {
    const ScenarioSpec spec = scenario("small_town_tuesday");
    auto f = sweepFrontier(generateReplications(spec, spec.seed, 2), {0, 300}, {});
    REQUIRE(f.has_value());
    REQUIRE(f.value().points.size() == 5);
    CHECK(f.value().points[0].curve);
    CHECK(f.value().points[1].knob == 300);
    CHECK(f.value().points[2].label == "fifo");
    CHECK(f.value().points[3].label == "appointments_first");
    CHECK(f.value().points[4].label == "norm_v1");
    for (const auto& p : f.value().points) {
        CHECK(p.apptOnTime.n == 2);
        CHECK(p.apptOnTime.mean >= 0);
        CHECK(p.apptOnTime.mean <= 100);
    }
    const std::string svg = frontierSvg(f.value(), {});
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(svg.find("appointments_first") != std::string::npos);
    CHECK_FALSE(sweepFrontier({}, {0}, {}).has_value());
}
