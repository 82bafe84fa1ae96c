// The reactive norm policy's (norm_v1) limits and the prediction's view of the appointment book,
// as tuned with the simulator (docs/benchmarks.md, "Simulator and the norm policy").
#include "shared/core/command_handler.hpp"
#include "shared/core/dispatch_policy.hpp"
#include "shared/core/wait_prediction.hpp"

#include <catch2/catch.hpp>

using namespace loket;
using namespace loket::core;

namespace {

constexpr Seconds kNow = 40000;

Candidate appointment(TicketId id, Seconds at, Seconds checkedIn) {
    return Candidate{id, TicketKind::Appointment, checkedIn, at, 1, 0, std::nullopt, 600, 600};
}
Candidate walkIn(TicketId id, Seconds checkedIn) {
    return Candidate{id, TicketKind::WalkIn, checkedIn, 0, 1, 0, std::nullopt, 600, 600};
}

TicketId choose(const std::vector<Candidate>& waiting, NormPolicyParams params = {}) {
    const std::vector<CounterSlot> counters{{0, 1, kNow, true}};
    DispatchInput in{PolicyKind::NormV1, params, 300, kNow, waiting, counters, {}};
    auto i = chooseNext(in, counters[0]);
    REQUIRE(i.has_value());
    return waiting[*i].id;
}

} // namespace

TEST_CASE("norm_v1: an appointment visitor an hour past the norm goes before those still on time") {
    const std::vector<Candidate> waiting{appointment(1, kNow - 4000, kNow - 4500), walkIn(2, kNow - 100),
                                         appointment(3, kNow, kNow - 600)};
    CHECK(choose(waiting) == 1);
    NormPolicyParams patient;
    patient.lateAppointmentS = 7200;  // not yet late enough: the visitor still on time goes first
    CHECK(choose(waiting, patient) == 3);
}

TEST_CASE("norm_v1: a walk-in ten minutes past its target goes before an appointment on time") {
    CHECK(choose({walkIn(1, kNow - 1200), appointment(2, kNow, kNow - 600)}) == 1);
    CHECK(choose({walkIn(1, kNow - 1100), appointment(2, kNow, kNow - 600)}) == 2);
}

namespace {

HallConfig passportHall() {
    HallConfig c;
    ServiceConfig pas;
    pas.id = "PAS";
    pas.expectedDurationS = 600;
    c.services = {pas};
    c.counters = {{"b1", "1", 1}};
    c.hours.alwaysOpen = true;
    c.walkInHours.alwaysOpen = true;
    c.earlyCheckInS = 3600;
    return c;
}

Now at(Seconds secondOfDay) { return Now{20000 * 86400 + secondOfDay, 0}; }

// A morning in which `cameOfTen` of ten booked visitors at 08:00 came, then three booked for
// 09:40; the wait a walk-in at 09:38 is told.
Seconds walkInWaitAfter(int cameOfTen) {
    const HallConfig c = passportHall();
    HallState s(c);
    REQUIRE(execute(s, StartDay{20000}, at(0)).has_value());
    REQUIRE(execute(s, OpenCounter{"b1", std::nullopt}, at(7 * 3600)).has_value());
    for (int i = 0; i < 10; ++i)
        REQUIRE(execute(s, BookAppointment{"EARLY" + std::string(1, char('A' + i)), {"PAS"}, at(8 * 3600).t, 20000, 0, 1, ""}, at(6 * 3600)).has_value());
    for (int i = 0; i < 3; ++i)
        REQUIRE(execute(s, BookAppointment{"LATER" + std::string(1, char('A' + i)), {"PAS"}, at(9 * 3600 + 2400).t, 20000, 0, 1, ""}, at(6 * 3600)).has_value());
    for (int i = 0; i < cameOfTen; ++i) {
        auto issued = execute(s, CheckInAppointment{"EARLY" + std::string(1, char('A' + i)), "nl", ""}, at(7 * 3600 + 3000));
        REQUIRE(issued.has_value());
        const TicketId id = std::get<TicketIssued>(issued.value().back()).ticket.id;
        REQUIRE(execute(s, CallTicket{"b1", id}, at(7 * 3600 + 3000 + i)).has_value());
        REQUIRE(execute(s, CompleteTicket{id, Outcome::Handled, ""}, at(7 * 3600 + 3000 + i + 1)).has_value());
    }
    auto estimate = predictNewWalkIn(s, at(9 * 3600 + 2280).t, 0);
    REQUIRE(estimate.has_value());
    return estimate->waitS;
}

} // namespace

TEST_CASE("prediction: booked visitors count by today's show rate") {
    // With everyone coming, the three booked for 09:40 go first; after a morning where nobody
    // came, the prediction expects fewer of them.
    CHECK(walkInWaitAfter(0) < walkInWaitAfter(10));
}
