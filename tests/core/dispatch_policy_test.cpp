// Who a counter calls next, policy by policy (../shared/sim-trace.md defines the baselines).
#include "shared/core/dispatch_policy.hpp"

#include "candidate_fixture.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace loket::core;
using namespace loket::core::test;

namespace {

struct Scene {
    Scene(PolicyKind p, Seconds t, std::vector<Candidate> w) : policy(p), now(t), waiting(std::move(w)) {}
    PolicyKind policy;
    Seconds now;
    std::vector<Candidate> waiting;
    std::vector<CounterSlot> counters{{0, kA | kB, 0, true}};
    std::vector<UpcomingAppointment> upcoming;

    NormPolicyParams params;

    std::optional<TicketId> next(CounterIndex counter = 0) const {
        DispatchInput in{policy, params, 300, now, waiting, counters, upcoming};
        auto i = chooseNext(in, counters[counter]);
        return i ? std::optional<TicketId>(waiting[*i].id) : std::nullopt;
    }
};

} // namespace

TEST_CASE("dispatch fifo: the earliest check-in the counter may serve") {
    Scene s{PolicyKind::Fifo, 1000, {walkIn(2, 500), walkIn(1, 400, kB), appointment(3, 300, 2000)}};
    CHECK(s.next() == 3);
    s.counters[0].services = kB;
    CHECK(s.next() == 1);
}

TEST_CASE("dispatch: nobody eligible means nobody is called") {
    Scene s{PolicyKind::Norm, 1000, {walkIn(1, 400, kB)}};
    s.counters[0].services = kA;
    CHECK_FALSE(s.next());
}

TEST_CASE("dispatch: a visitor in the no-answer cool-down is not called") {
    Candidate c = walkIn(1, 400);
    c.notBefore = 1200;
    Scene s{PolicyKind::Fifo, 1000, {c, walkIn(2, 900)}};
    CHECK(s.next() == 2);
}

TEST_CASE("dispatch appointments_first: appointments within 120 s of their time, then walk-ins, then early appointments") {
    Scene s{PolicyKind::AppointmentsFirst, 1000, {walkIn(1, 100), appointment(2, 500, 1100), appointment(3, 400, 1500)}};
    CHECK(s.next() == 2); // due in 100 s: active
    s.waiting.erase(s.waiting.begin() + 1);
    CHECK(s.next() == 1); // the other appointment is 500 s away: the walk-in first
    s.waiting.erase(s.waiting.begin());
    CHECK(s.next() == 3); // nothing else: the early appointment
}

TEST_CASE("dispatch edf: the earliest due time, an early appointment is not due before its time") {
    // walk-in due 100 + 600 = 700; appointment due max(1200, 300) + 300 = 1500
    Scene s{PolicyKind::Edf, 1000, {appointment(2, 300, 1200), walkIn(1, 100)}};
    CHECK(s.next() == 1);
    // a walk-in who came later than the appointment's due time minus its target goes after it
    Scene t{PolicyKind::Edf, 1000, {appointment(2, 300, 900), walkIn(1, 700)}};
    CHECK(t.next() == 2);
}

TEST_CASE("dispatch norm and norm_v1: an appointment visitor due now goes before walk-ins who came earlier") {
    for (PolicyKind policy : {PolicyKind::Norm, PolicyKind::NormV1}) {
        INFO(policyName(policy));
        // The appointment is at 1000 and due at 1300; serving the 10-minute walk-in first would breach it.
        Scene s{policy, 1000, {walkIn(1, 500, kA, 600), appointment(2, 900, 1000)}};
        CHECK(s.next() == 2);
    }
}

TEST_CASE("dispatch norm and norm_v1: a walk-in is served while the appointments due soon can still be met") {
    for (PolicyKind policy : {PolicyKind::Norm, PolicyKind::NormV1}) {
        INFO(policyName(policy));
        // The appointment is at 1300 (due 1600); a 3-minute walk-in now ends at 1180, and even
        // running long (norm: its overrun margin, 160 % of 3 minutes at one counter) leaves room.
        Scene s{policy, 1000, {appointment(2, 900, 1300), walkIn(1, 500, kA, 180)}};
        CHECK(s.next() == 1);
        // With a second counter free soon, a longer walk-in fits: the appointment visitor (at
        // 1200, due 1500) goes there at 1080.
        Scene t{policy, 1000, {appointment(2, 900, 1200), walkIn(1, 500, kA, 400)}};
        t.counters.push_back({1, kA, 1050, true});
        CHECK(t.next() == 1);
    }
}

TEST_CASE("dispatch norm and norm_v1: prefer a visitor who can still be helped in time over one already late") {
    for (PolicyKind policy : {PolicyKind::Norm, PolicyKind::NormV1}) {
        INFO(policyName(policy));
        // Appointment 3 breached its norm long ago; appointment 2 can still be called in time.
        Scene s{policy, 2000, {appointment(3, 900, 1000), appointment(2, 1700, 1800)}};
        CHECK(s.next() == 2);
    }
}

TEST_CASE("dispatch norm_v1: no walk-in waits far beyond its target") {
    // Walk-in 1 waited 10 + 20 minutes past its target: it goes first even before a due appointment.
    Scene s{PolicyKind::NormV1, 2400, {appointment(2, 2300, 2350), walkIn(1, 600)}};
    CHECK(s.next() == 1);
}
TEST_CASE("dispatch norm and norm_v1: keeps the only counter with a scarce skill free for a visitor due soon") {
    for (PolicyKind policy : {PolicyKind::Norm, PolicyKind::NormV1}) {
        INFO(policyName(policy));
        // Counter 0 is the only one that serves B. A B-appointment is booked for 1100 (not yet here);
        // a long A walk-in now would make it breach, so counter 0 calls the short one.
        Scene s{policy, 1000, {walkIn(1, 500, kA, 900), walkIn(3, 800, kA, 60)}};
        s.counters.push_back({1, kA, 1000, true});
        s.upcoming.push_back({1100, kB, 600});
        CHECK(s.next(0) == 3);
        CHECK(s.next(1) == 1); // the other counter takes the long visit as usual
    }
}
