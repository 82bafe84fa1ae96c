// The wait predictor in-process: a check-in answer takes the latest results without running
// the forward run itself, and the predictor's own refresher brings them up to date behind it.
#include "server/wait_predictor.hpp"

#include "../core/hall_fixture.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace loket;
using namespace loket::core;
using namespace loket::core::test;
using namespace loket::server;

namespace {

// The hall in the live state and a scratch copy that decides the commands (as the command
// executor does): both fold the same events.
struct PredictedHall {
    HallConfig config = smallHall(PolicyKind::Fifo);
    HallState scratch{config};
    LiveState live{config};
    std::int64_t eventId = 0;

    std::vector<Event> run(const Command& command, Now now) {
        auto events = must(scratch, command, now);
        eventId += static_cast<std::int64_t>(events.size());
        live.apply(events, eventId, [](const HallState&) {});
        return events;
    }
};

// Polls `done` until it holds or 10 s pass (a condition, not a fixed sleep).
template <typename F>
bool eventuallyHolds(F&& done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::yield();
    }
    return true;
}

} // namespace

TEST_CASE("wait predictor: a check-in's answer takes the latest results and the refresher adds its ticket") {
    PredictedHall hall;
    hall.run(OpenCounter{"b2", std::nullopt}, at(9, 0));
    const TicketId first = issuedId(hall.run(IssueWalkIn{"ophalen", "nl", "a"}, at(9, 0)));
    WaitPredictor predictor(hall.live);

    // Nothing computed yet: the first answer computes, on the state that has its ticket.
    LatestWaits one = predictor.latest(at(9, 0).t);
    REQUIRE(one.prediction);
    REQUIRE(one.walkIn);
    CHECK(one.prediction->tickets.count(first) == 1);

    // The next check-in is answered from what is there (a run that does not know its ticket
    // yet: its service's walk-in wait stands in), never by running the prediction itself...
    const TicketId second = issuedId(hall.run(IssueWalkIn{"ophalen", "nl", "b"}, at(9, 0)));
    LatestWaits two = predictor.latest(at(9, 0).t);
    REQUIRE(two.walkIn);
    if (!two.prediction->tickets.count(second)) {
        // ...unless the refresher was faster: then the answer had its own ticket.
        REQUIRE((*two.walkIn)[1].has_value());
        CHECK((*two.walkIn)[1]->position >= 2); // the first visitor is ahead
    }

    // The refresher brings the prediction up to date without anyone asking for a run.
    REQUIRE(eventuallyHolds([&] { return predictor.latest(at(9, 0).t).prediction->tickets.count(second) == 1; }));
    const LatestWaits three = predictor.latest(at(9, 0).t);
    CHECK(three.prediction->tickets.at(first).position == 1);
    CHECK(three.prediction->tickets.at(second).position == 2);
    CHECK(three.prediction->tickets.at(second).waitS == 200); // the first visit's expected time
    // And the walk-in waits too: a third visitor would be third.
    REQUIRE(eventuallyHolds([&] {
        auto w = predictor.latest(at(9, 0).t).walkIn;
        return (*w)[1] && (*w)[1]->position == 3;
    }));
}

TEST_CASE("wait predictor: results are computed for the time the last answer asked for") {
    PredictedHall hall;
    hall.run(OpenCounter{"b2", std::nullopt}, at(9, 0));
    hall.run(IssueWalkIn{"ophalen", "nl", "a"}, at(9, 0));
    const TicketId waiting = issuedId(hall.run(IssueWalkIn{"ophalen", "nl", "b"}, at(9, 0)));
    WaitPredictor predictor(hall.live);
    CHECK(predictor.latest(at(9, 0).t).predictionAt == at(9, 0).t);
    // Twenty seconds on, nothing changed: the 10 s age rule makes the refresher run again, for
    // the new time.
    REQUIRE(eventuallyHolds([&] { return predictor.latest(at(9, 0, 20).t).predictionAt == at(9, 0, 20).t; }));
    CHECK(predictor.latest(at(9, 0, 20).t).prediction->tickets.count(waiting) == 1);
}
