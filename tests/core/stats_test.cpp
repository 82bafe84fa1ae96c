// Day statistics against the norm.
#include "hall_fixture.hpp"

#include "shared/core/stats.hpp"

using namespace loket;
using namespace loket::core;
using namespace loket::core::test;

TEST_CASE("stats: share of appointments within the norm and walk-ins within their target") {
    HallConfig c = smallHall(PolicyKind::Fifo);
    HallState s(c);
    must(s, booking("AAAA22", {"paspoort"}, at(10, 0)), at(8, 0));
    must(s, booking("BBBB22", {"paspoort"}, at(10, 0)), at(8, 0));
    auto a = issuedId(must(s, CheckInAppointment{"AAAA22", "nl", "a"}, at(9, 50)));
    auto b = issuedId(must(s, CheckInAppointment{"BBBB22", "nl", "b"}, at(9, 55)));
    auto w = issuedId(must(s, IssueWalkIn{"ophalen", "nl", "w"}, at(9, 0)));
    must(s, OpenCounter{"b1", std::nullopt}, at(9, 0));
    must(s, CallTicket{"b1", w}, at(9, 20)); // walk-in waited 20 min: beyond its 10
    must(s, CompleteTicket{w, Outcome::Handled, ""}, at(9, 25));
    must(s, CallTicket{"b1", a}, at(10, 4)); // 4 min after the appointment time: within
    must(s, CompleteTicket{a, Outcome::Handled, ""}, at(10, 10));
    must(s, CallTicket{"b1", b}, at(10, 12)); // 12 min: outside
    must(s, MarkNoShow{b, false}, at(10, 13));
    std::vector<VisitRecord> visits;
    for (const auto& t : s.tickets()) visits.push_back(visitRecordOf(s, t, kOffset));
    DayStats d = computeDayStats("2026-11-23", visits, {});
    CHECK(d.visitors == 3);
    CHECK(d.appointments == 2);
    CHECK(d.walkIns == 1);
    CHECK(d.noShows == 1);
    CHECK(d.pctAppointmentsWithinNorm == Approx(50.0));
    CHECK(d.pctWalkInsWithinTarget == Approx(0.0));
    CHECK(d.appointmentWait.max == 12 * 60);
    CHECK(d.walkInWait.p50 == 20 * 60);
    CHECK(d.outcomes["handled"] == 2);
}

TEST_CASE("stats: percentiles are waits some visitor really had") {
    auto w = summarise({10, 20, 30, 40, 50, 60, 70, 80, 90, 100});
    CHECK(w.p50 == 50);
    CHECK(w.p95 == 100);
    CHECK(w.max == 100);
    CHECK(summarise({}).count == 0);
}
