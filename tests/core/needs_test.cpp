// Needs on a visit (visit_needs.hpp) and the host's questions answered at the door: a visitor who
// needs a desk at sitting height goes only to a counter that has one, under every policy and in
// the wait prediction; a door answer counts in the day's statistics but is no visitor.
#include "hall_fixture.hpp"

#include "shared/core/stats.hpp"
#include "shared/core/wait_prediction.hpp"

using namespace loket;
using namespace loket::core;
using namespace loket::core::test;

namespace {

VisitNeeds sittingDesk() {
    VisitNeeds n;
    n.sittingDesk = true;
    return n;
}

// The small hall with a sitting-height desk at b3 only.
HallConfig hallWithDesk(PolicyKind policy) {
    HallConfig c = smallHall(policy);
    c.counters[2].sittingDesk = true;
    return c;
}

} // namespace

TEST_CASE("needs: a visitor who needs a sitting-height desk is called only at a counter that has one") {
    for (PolicyKind policy : {PolicyKind::Fifo, PolicyKind::AppointmentsFirst, PolicyKind::Edf, PolicyKind::Norm, PolicyKind::NormV1}) {
        INFO("policy " << policyName(policy));
        HallState s(hallWithDesk(policy));
        IssueWalkIn first{"paspoort", "nl", "w1"};
        first.needs = sittingDesk();
        const TicketId wheelchair = issuedId(must(s, first, at(9, 0)));
        const TicketId other = issuedId(must(s, IssueWalkIn{"paspoort", "nl", "w2"}, at(9, 5)));
        must(s, OpenCounter{"b1", std::nullopt}, at(9, 10));
        must(s, OpenCounter{"b3", std::nullopt}, at(9, 10));
        // b1 has no such desk: it calls the visitor who came later.
        CHECK(calledId(must(s, CallNext{"b1"}, at(9, 30))) == other);
        must(s, CompleteTicket{other, Outcome::Handled, ""}, at(9, 40));
        // Nobody else waits whom b1 may serve: it calls no one, though the first visitor still waits.
        CHECK_FALSE(calledId(must(s, CallNext{"b1"}, at(9, 41))).has_value());
        CHECK(calledId(must(s, CallNext{"b3"}, at(9, 42))) == wheelchair);
    }
}

TEST_CASE("needs: the wait prediction counts only counters with a sitting-height desk for such a visitor") {
    HallState s(hallWithDesk(PolicyKind::Norm));
    must(s, OpenCounter{"b1", std::nullopt}, at(9, 0));
    IssueWalkIn cmd{"paspoort", "nl", "w1"};
    cmd.needs = sittingDesk();
    const TicketId wheelchair = issuedId(must(s, cmd, at(9, 1)));
    const TicketId other = issuedId(must(s, IssueWalkIn{"paspoort", "nl", "w2"}, at(9, 2)));
    WaitPrediction p = predictWaits(s, at(9, 3).t);
    CHECK(p.tickets.count(other) == 1);
    CHECK(p.tickets.count(wheelchair) == 0); // no open counter has the desk: no estimate
    must(s, OpenCounter{"b3", std::nullopt}, at(9, 4));
    p = predictWaits(s, at(9, 5).t);
    REQUIRE(p.tickets.count(wheelchair) == 1);
    CHECK(p.tickets.at(wheelchair).waitS == 0); // b3 is free now
}

TEST_CASE("needs: the host marks, changes and clears needs while the visitor is in the hall") {
    HallState s(smallHall());
    const TicketId t = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "w"}, at(9, 0)));
    VisitNeeds needs;
    needs.interpreter = true;
    needs.language = "Tigrinya";
    auto events = must(s, SetNeeds{t, needs}, at(9, 1));
    REQUIRE(events.size() == 1);
    CHECK(std::holds_alternative<NeedsSet>(events[0]));
    CHECK(s.ticket(t)->needs == needs);
    CHECK(needList(s.ticket(t)->needs) == std::vector<std::string>{"interpreter"});
    CHECK(must(s, SetNeeds{t, needs}, at(9, 2)).empty()); // the same again changes nothing
    must(s, SetNeeds{t, VisitNeeds{}}, at(9, 3));
    CHECK_FALSE(s.ticket(t)->needs.any());

    VisitNeeds tooLong;
    tooLong.language = std::string(kMaxNeedLanguageBytes + 1, 'x');
    CHECK(mustFail(s, SetNeeds{t, tooLong}, at(9, 4)) == ErrorCode::InvalidValue);
    CHECK(mustFail(s, SetNeeds{t + 100, needs}, at(9, 4)) == ErrorCode::UnknownTicket);
    must(s, OpenCounter{"b2", std::nullopt}, at(9, 5));
    must(s, CallTicket{"b2", t}, at(9, 6));
    must(s, CompleteTicket{t, Outcome::Handled, ""}, at(9, 10));
    CHECK(mustFail(s, SetNeeds{t, needs}, at(9, 11)) == ErrorCode::InvalidTransition); // the visit is over
}

TEST_CASE("needs: an appointment checked in with needs carries them, a new day has none") {
    HallState s(smallHall());
    must(s, booking("KQ7R2M", {"paspoort"}, at(10, 0)), at(8, 0));
    CheckInAppointment cmd{"KQ7R2M", "nl", "a"};
    cmd.needs.hearingLoop = true;
    cmd.needs.companion = true;
    const TicketId t = issuedId(must(s, cmd, at(9, 50)));
    CHECK(needList(s.ticket(t)->needs) == std::vector<std::string>{"hearing_loop", "companion"});
    must(s, StartDay{testDay() + 1}, at(23, 59));
    CHECK(s.tickets().empty()); // the needs went with the day's tickets
}

TEST_CASE("host: questions answered at the door count in the day statistics per service, not as visitors") {
    HallState s(smallHall());
    must(s, AnswerAtDoor{"paspoort"}, at(9, 0));
    must(s, AnswerAtDoor{"paspoort"}, at(9, 1));
    must(s, AnswerAtDoor{"ophalen"}, at(9, 2));
    CHECK(mustFail(s, AnswerAtDoor{"bestaat-niet"}, at(9, 3)) == ErrorCode::UnknownService);
    const TicketId w = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "w"}, at(9, 4)));
    std::vector<VisitRecord> visits;
    for (const auto& t : s.tickets()) visits.push_back(visitRecordOf(s, t, kOffset));
    const DayStats d = computeDayStats("2026-11-23", visits, doorAnswerCounts(s));
    CHECK(d.answeredAtDoor == 3);
    CHECK(d.visitors == 1);
    CHECK(d.waiting == 1);
    REQUIRE(d.byService.size() == 2);
    for (const auto& svc : d.byService) {
        INFO(svc.service);
        CHECK(svc.answeredAtDoor == (svc.service == "paspoort" ? 2 : 1));
        CHECK(svc.visitors == (svc.service == "ophalen" ? 1 : 0));
    }
    (void)w;
    must(s, StartDay{testDay() + 1}, at(23, 59));
    CHECK(s.doorAnswers().empty());
}

TEST_CASE("host: no question is counted at the door while the hall is closed") {
    HallConfig c = smallHall();
    c.hours.alwaysOpen = false;
    HallState s(c);
    CHECK(mustFail(s, AnswerAtDoor{"paspoort"}, at(9, 0)) == ErrorCode::HallClosed);
}

TEST_CASE("host: a finished day's door answers are kept as counts per service, nothing else") {
    HallState s(smallHall());
    CHECK(doorAnswerDays(s).empty()); // no day yet: nothing to keep
    must(s, AnswerAtDoor{"paspoort"}, at(9, 0));
    must(s, AnswerAtDoor{"ophalen"}, at(9, 1));
    must(s, AnswerAtDoor{"paspoort"}, at(9, 2));
    // What the server writes with the finished day's visit records: the service and a count.
    const std::vector<DoorAnswerDay> kept = doorAnswerDays(s);
    CHECK(kept == std::vector<DoorAnswerDay>{{testDay(), "ophalen", 1}, {testDay(), "paspoort", 2}});
    must(s, StartDay{testDay() + 1}, at(23, 59));
    CHECK(doorAnswerDays(s).empty()); // the new day starts at zero

    // A past day's statistics from what was kept (the store sums the records of that day).
    DoorAnswerCounts door;
    for (const DoorAnswerDay& r : kept) door[r.service] += r.count;
    const DayStats d = computeDayStats("2026-11-23", {}, door);
    CHECK(d.answeredAtDoor == 3);
    CHECK(d.visitors == 0);
}
