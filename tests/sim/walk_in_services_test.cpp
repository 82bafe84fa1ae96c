// The core addition for the simulator: a walk-in for several services at once.
#include "shared/core/command_handler.hpp"

#include <catch2/catch.hpp>

using namespace loket;
using namespace loket::core;

namespace {
HallConfig threeServiceHall() {
    HallConfig c;
    ServiceConfig pas;
    pas.id = "PAS";
    pas.prefix = 'P';
    ServiceConfig afh;
    afh.id = "AFH";
    afh.prefix = 'A';
    afh.expectedDurationS = 200;
    ServiceConfig nat;
    nat.id = "NAT";
    nat.walkIn = false;
    c.services = {pas, afh, nat};
    c.hours.alwaysOpen = true;
    c.walkInHours.alwaysOpen = true;
    return c;
}
} // namespace

TEST_CASE("core: a walk-in may ask for several services, the ticket holds them all") {
    const HallConfig config = threeServiceHall();
    HallState state(config);
    auto events = execute(state, IssueWalkIn{"PAS", "nl", "", {"AFH"}}, Now{1000, 0});
    REQUIRE(events.has_value());
    const Ticket& t = state.tickets().back();
    CHECK(t.services == std::vector<ServiceIndex>{0, 1});
    CHECK(t.number[0] == 'P');
    CHECK(state.durations().expectedVisit(config, t.services) == 800);
}

TEST_CASE("core: a walk-in with one service works as before") {
    const HallConfig config = threeServiceHall();
    HallState state(config);
    REQUIRE(execute(state, IssueWalkIn{"AFH", "nl", ""}, Now{1000, 0}).has_value());
    CHECK(state.tickets().back().services == std::vector<ServiceIndex>{1});
}

TEST_CASE("core: a walk-in's further service must exist and take walk-ins") {
    const HallConfig config = threeServiceHall();
    HallState state(config);
    auto unknown = execute(state, IssueWalkIn{"PAS", "nl", "", {"NOPE"}}, Now{1000, 0});
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().code == ErrorCode::UnknownService);
    auto appointmentOnly = execute(state, IssueWalkIn{"PAS", "nl", "", {"NAT"}}, Now{1000, 0});
    REQUIRE_FALSE(appointmentOnly.has_value());
    CHECK(appointmentOnly.error().code == ErrorCode::WalkInNotOffered);
}
