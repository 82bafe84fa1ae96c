// The planning norm policy (dispatch_planner.hpp) and the two rules every caller shares
// (visit_rules.hpp): the cases the planner adds to the reactive norm_v1.
#include "shared/core/dispatch_planner.hpp"
#include "shared/core/visit_rules.hpp"

#include "candidate_fixture.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace loket::core;
using namespace loket::core::test;

namespace {

struct Hall {
    Seconds now = 10000;
    std::vector<Candidate> waiting;
    std::vector<CounterSlot> counters{{0, kA, 10000, true}};
    std::vector<UpcomingAppointment> upcoming;
    NormPolicyParams params;

    std::optional<TicketId> next(CounterIndex counter = 0) const {
        DispatchInput in{PolicyKind::Norm, params, 300, now, waiting, counters, upcoming};
        auto i = chooseNext(in, counters[counter]);
        return i ? std::optional<TicketId>(waiting[*i].id) : std::nullopt;
    }
};

} // namespace

TEST_CASE("planner: the hard cap goes before the plan, and the visitor only this counter can serve first") {
    Hall h;
    h.counters = {{0, kA | kB, h.now, true}, {1, kA, h.now, true}};
    // An appointment due in four minutes would be missed if counter 0 took a walk-in now…
    h.waiting = {appointment(1, h.now - 600, h.now - 60, kA, 600), walkIn(2, h.now - h.params.hardCapS - 100, kA, 600)};
    CHECK(h.next(0) == 2); // …but the walk-in has waited the hard cap
    // Two visitors past the cap: counter 0 first takes the one no other counter can serve, though
    // the other has waited longer.
    h.waiting.push_back(walkIn(3, h.now - h.params.hardCapS, kB, 600));
    CHECK(h.next(0) == 3);
    CHECK(h.next(1) == 2);
}

TEST_CASE("planner: a walk-in past its bound waits for the plan's leave, and no longer than the grace") {
    Hall h;
    const Seconds bound = 600 + h.params.walkInStarvationS; // a quiet hall: target + starvation
    // The appointment is due in 4 minutes; a 10-minute walk-in now would breach it.
    h.waiting = {appointment(1, h.now - 600, h.now - 60, kA, 600), walkIn(2, h.now - bound - 60, kA, 600)};
    CHECK(h.next() == 1);
    h.waiting[1].checkedInAt = h.now - bound - h.params.walkInGraceS;
    CHECK(h.next() == 2);
    // With no appointment visitor here who can still be helped in time, the bound alone decides.
    Hall quiet;
    quiet.waiting = {walkIn(2, quiet.now - bound, kA, 600), appointment(1, quiet.now - 4000, quiet.now - 3000, kA, 300)};
    CHECK(quiet.next() == 2);
}

TEST_CASE("planner: the walk-in bound follows the day's load") {
    // The same walk-in, past target + grace on a quiet day, is not yet past the bound of a hall
    // whose backlog is two hours per counter (a surge): the appointment due soon goes first.
    Hall h;
    const Seconds waited = 600 + h.params.walkInStarvationS + h.params.walkInGraceS;
    h.waiting = {appointment(1, h.now - 600, h.now - 60, kA, 600), walkIn(2, h.now - waited, kA, 600)};
    CHECK(h.next() == 2);
    for (TicketId id = 10; id < 22; ++id) h.waiting.push_back(walkIn(id, h.now - 60, kB, 600)); // 2 h of work
    CHECK(h.next() == 1);
    h.params.walkInLoadPercent = 0; // the knob at zero: a fixed bound again…
    h.params.walkInGracePercent = 0; // …and a fixed grace
    CHECK(h.next() == 2);
}

TEST_CASE("planner: the grace past the bound follows the day's load too") {
    // A fixed bound (the load knob at zero) and a walk-in past bound + the fixed 10-minute grace,
    // with an appointment visitor due in four minutes at the one counter.
    Hall h;
    h.params.walkInLoadPercent = 0;
    const Seconds waited = 600 + h.params.walkInStarvationS + h.params.walkInGraceS + 60;
    h.waiting = {appointment(1, h.now - 600, h.now - 60, kA, 600), walkIn(2, h.now - waited, kA, 600)};
    CHECK(h.next() == 2); // a quiet hall: the grace is the fixed 10 minutes, and it is over
    for (TicketId id = 10; id < 22; ++id) h.waiting.push_back(walkIn(id, h.now - 60, kB, 600)); // 2 h of work
    CHECK(h.next() == 1); // a surge: half the backlog per counter (70 min) is the grace now
    h.params.walkInGracePercent = 0;
    CHECK(h.next() == 2);
}

TEST_CASE("planner: the plan is hall-wide: a walk-in here may not make another counter's booked visitor late") {
    // Counter 0 does A; counter 1 does A and B (a scarce skill). The appointment visitor for A is
    // due in four minutes; the one for B, whom only counter 1 can serve, is due in ten.
    Hall h;
    h.counters = {{0, kA, h.now, true}, {1, kA | kB, h.now, true}};
    h.waiting = {appointment(1, h.now - 600, h.now - 60, kA, 600), walkIn(2, h.now - 700, kA, 180)};
    // Alone, the A visitor can go to counter 1 while counter 0 takes the (short) walk-in.
    CHECK(h.next(0) == 2);
    // But counter 1 has its own booked visitor: sending the A visitor there makes them late.
    h.waiting.push_back(appointment(3, h.now - 900, h.now + 300, kB, 600));
    CHECK(h.next(0) == 1);
    // A B visitor who will be late whatever counter 0 does (counter 1 is busy for 50 minutes) does
    // not hold up counter 0's walk-ins.
    h.waiting.erase(h.waiting.begin());
    h.counters[1].freeAt = h.now + 3000;
    CHECK(h.next(0) == 2);
}

TEST_CASE("planner: in a crunch ahead, an appointment visitor who came early is served now") {
    Hall h;
    // A long walk-in (not past its bound) and an appointment visitor for 20 minutes from now;
    // three booked visitors who need this counter are due in 5 minutes: the plan already misses.
    h.waiting = {walkIn(1, h.now - 300, kA, 900), appointment(2, h.now - 300, h.now + 1200, kA, 300)};
    CHECK(h.next() == 1); // no crunch: the walk-in
    for (int k = 0; k < 3; ++k) h.upcoming.push_back({h.now + 300, kA, 600, 1.0});
    CHECK(h.next() == 2);
}

TEST_CASE("planner: a visit transferred to one counter is never taken by another, even past the cap") {
    Hall h;
    h.counters = {{0, kA, h.now, true}, {1, kA, h.now, true}};
    Candidate moved = walkIn(1, h.now - 2 * h.params.hardCapS);
    moved.onlyCounter = CounterIndex{1};
    h.waiting = {moved, walkIn(2, h.now - 60)};
    CHECK(h.next(0) == 2);
    CHECK(h.next(1) == 1);
}

TEST_CASE("planner: a walk-in goes first only with a margin for its own overrun, shared by the open counters") {
    // A 10-minute walk-in who has waited its target, a 2-minute one behind it, and an appointment
    // visitor for 800 s from now (due at 1100 s). With the walk-in done at 600 s the plan holds on
    // expected durations alone — but that visit may run long, and with one counter all of the
    // overrun lands on the appointment: the short walk-in goes first.
    Hall h;
    h.waiting = {walkIn(1, h.now - 600, kA, 600), walkIn(2, h.now - 300, kA, 120), appointment(3, h.now - 300, h.now + 800, kA, 300)};
    CHECK(h.next() == 2);
    h.params.walkInRiskPercent = 0;
    CHECK(h.next() == 1);
    // Three open counters share the overrun (the others are busy, so the plan is the same): the
    // margin is a third, and the long walk-in fits.
    h.params = {};
    h.counters = {{0, kA, h.now, true}, {1, kA, h.now + 2000, true}, {2, kA, h.now + 2000, true}};
    CHECK(h.next() == 1);
}

TEST_CASE("planner: the counter with a scarce skill takes the visitor only it can serve, another takes the one due first") {
    // Counter 0 does A; counter 1 does A and B. The A visitor is due first, the B visitor two
    // minutes later: the plan gives A to counter 0 and B to counter 1, whichever asks.
    Hall h;
    h.counters = {{0, kA, h.now, true}, {1, kA | kB, h.now, true}};
    h.waiting = {appointment(1, h.now - 900, h.now - 60, kA, 600), appointment(2, h.now - 900, h.now + 60, kB, 600)};
    CHECK(h.next(1) == 2);
    CHECK(h.next(0) == 1);
}

TEST_CASE("planner: booked visitors are expected by their show probability, deterministically") {
    const std::vector<UpcomingAppointment> book{{100, kA, 600, 0.5}, {200, kA, 600, 0.5}, {300, kA, 600, 0.5},
                                                {400, kA, 600, 0.5}, {5000, kA, 600, 1.0}};
    CHECK(expectedArrivals(book, 1000) == std::vector<std::size_t>{0, 2});
    CHECK(expectedArrivals(book, 6000) == std::vector<std::size_t>{0, 2, 4});
}

TEST_CASE("rules: a wait starts at check-in, or at the appointment time for an early visitor") {
    CHECK(waitStartsAt(TicketKind::Appointment, 1000, 400) == 1000);
    CHECK(waitStartsAt(TicketKind::Appointment, 1000, 1300) == 1300);
    CHECK(waitStartsAt(TicketKind::WalkIn, 0, 400) == 400);
    Ticket t;
    t.kind = TicketKind::Appointment;
    t.appointmentAt = 1000;
    t.issuedAt = 700;
    CHECK(waitStartsAt(t) == 1000);
}

TEST_CASE("rules: a counter serves a waiting visit whose every service it has, after the cooldown, unless transferred elsewhere") {
    Ticket t;
    t.services = {0, 1};
    t.notBefore = 500;
    CHECK_FALSE(counterMayServe(0, bit(0), false, t, 600));          // lacks service 1
    CHECK(counterMayServe(0, bit(0) | bit(1), false, t, 600));
    CHECK_FALSE(counterMayServe(0, bit(0) | bit(1), false, t, 400)); // still in the no-answer cooldown
    t.onlyCounter = CounterIndex{2};
    CHECK_FALSE(counterMayServe(0, bit(0) | bit(1), false, t, 600));
    CHECK(counterMayServe(2, bit(0) | bit(1), false, t, 600));
    t.status = TicketStatus::Called;
    CHECK_FALSE(counterMayServe(2, bit(0) | bit(1), false, t, 600));
    CHECK(servesAll(bit(0) | bit(1), bit(1)));
    CHECK_FALSE(servesAll(bit(1), bit(0) | bit(1)));
}
