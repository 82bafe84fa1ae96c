#include "shared/sim/planner.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace loket;
using namespace loket::sim;

namespace {
ScenarioSpec smallTown() {
    auto spec = loadScenario("small_town_tuesday", std::string(LOKET_SOURCE_DIR) + "/sim/scenarios");
    REQUIRE(spec.has_value());
    return spec.value();
}
} // namespace

TEST_CASE("planner: Erlang C matches the M/M/1 and M/M/2 closed forms") {
    // M/M/1 with load 0.5: P(wait) = 0.5, so P(W ≤ 0) = 0.5 and P(W ≤ t) = 1 − 0.5·e^(−0.5 t/S).
    CHECK(erlangCWithin(1, 0.5, 300, 0) == Approx(0.5));
    CHECK(erlangCWithin(1, 0.5, 300, 300) == Approx(1 - 0.5 * std::exp(-0.5)));
    // M/M/2 with A = 1: P(wait) = 1/3.
    CHECK(erlangCWithin(2, 1.0, 300, 0) == Approx(2.0 / 3.0));
    CHECK(erlangCWithin(2, 2.0, 300, 300) == 0);   // overloaded
}

TEST_CASE("planner: every hour of the plan holds the target in its own simulation") {
    PlanOptions options;
    options.replications = 3;
    options.target = 0.9;
    auto plan = planStaffing(smallTown(), options);
    REQUIRE(plan.has_value());
    REQUIRE(plan.value().feasible);
    CHECK(plan.value().hours.front().hour == 8);
    for (const PlanHour& h : plan.value().hours) {
        INFO("hour " << h.hour);
        CHECK(h.counters >= 1);
        CHECK(h.apptOnTime >= 0.9);
        CHECK(h.walkInOnTime >= 0.9);
    }
    const std::string svg = planChartSvg(plan.value());
    CHECK(svg.rfind("<svg", 0) == 0);
    CHECK(svg.find("08:00") != std::string::npos);
}

TEST_CASE("planner: an exported day becomes a scenario with its counts, mix and durations") {
    std::string csv = "ticket,kind,services,issued_at,appointment_at,first_called_at,started_at,ended_at,status\n";
    for (int i = 0; i < 6; ++i)
        csv += std::to_string(i) + ",walk_in,AFHALEN,09:0" + std::to_string(i) + ":00,,,09:1" + std::to_string(i) +
               ":00,09:1" + std::to_string(i) + ":30,done\n";
    csv += "7,appointment,PAS_AANVR+ID_AANVR,09:50,10:00,,10:00,10:20,done\n";
    csv += "8,appointment,PAS_AANVR,,10:00,,,,no_show\n";
    auto spec = scenarioFromExportText(csv, smallTown());
    REQUIRE(spec.has_value());
    CHECK(spec.value().walkIns == 6);
    CHECK(spec.value().appointments == 2);
    CHECK(spec.value().noShowShare == Approx(0.5));
    CHECK(spec.value().twoServicesShare == Approx(0.5));
    for (const auto& s : spec.value().services)
        if (s.service.id == "AFHALEN") CHECK(s.service.dur.meanS == Approx(30));
}

TEST_CASE("planner: a bad export line is refused with its number") {
    auto bad = scenarioFromExportText("kind,services,issued_at,appointment_at,started_at,ended_at,status\n"
                                      "walk_in,NOPE,09:00,,,,done\n", smallTown());
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message == "export line 2: unknown service 'NOPE'");
}
