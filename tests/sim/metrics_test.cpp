#include "hall_day_fixture.hpp"

#include "shared/sim/metrics.hpp"

using namespace loket;
using namespace loket::sim;
using namespace loket::sim::test;

namespace {
DayMetrics metricsOf(const std::string& text, core::PolicyKind policy) {
    auto result = replay(traceOf(text), ReplayOptions{policy, {}, false, true, false, false});
    REQUIRE(result.has_value());
    return computeMetrics(result.value());
}
} // namespace

TEST_CASE("metrics: an appointment visitor is on time when first called within 300 s of max(time, check-in)") {
    // A1 checks in early (900) and the free counter calls it at once; it takes 600 s. A2 checks in
    // late at 1100 and is called at 1500: 400 s after its check-in, so late. A3 never comes.
    const DayMetrics m = metricsOf(hallHeader(kOneCounter) +
        R"({"type":"appointment","id":"A1","t_appt":1000,"services":["PAS"],"truth":{"show":true,"t_checkin":900,"dur_s":[600]}}
{"type":"appointment","id":"A2","t_appt":1000,"services":["AFH"],"truth":{"show":true,"t_checkin":1100,"dur_s":[100]}}
{"type":"appointment","id":"A3","t_appt":1000,"services":["AFH"],"truth":{"show":false}}
)", core::PolicyKind::Fifo);
    CHECK(m.appointmentsShown == 2);
    CHECK(m.apptOnTime == Approx(0.5));
    CHECK(m.apptP50 == 0);
    CHECK(m.apptP95 == 400);
    CHECK(m.apptMax == 400);
    CHECK(m.utilisation == Approx(700.0 / 7200.0));
    CHECK(m.overtimeS == 0);
    CHECK(m.unserved == 0);
}

TEST_CASE("metrics: walk-in shares within 10 and 15 minutes, and overtime past doors close") {
    // One counter: W1 takes 700 s, W2 waits 700 s, W3 waits 950 s; the last visit ends at 7250,
    // 50 s after doors close (7200).
    const DayMetrics m = metricsOf(hallHeader(kOneCounter) +
        R"({"type":"walkin","id":"W1","services":["PAS"],"truth":{"t_checkin":0,"dur_s":[700]}}
{"type":"walkin","id":"W2","services":["AFH"],"truth":{"t_checkin":0,"dur_s":[250]}}
{"type":"walkin","id":"W3","services":["AFH"],"truth":{"t_checkin":0,"dur_s":[100]}}
{"type":"walkin","id":"W4","services":["PAS"],"truth":{"t_checkin":6000,"dur_s":[1250]}}
)", core::PolicyKind::Fifo);
    CHECK(m.walkIns == 4);
    CHECK(m.walkIn10 == Approx(0.5));   // W1 (0 s) and W4 (0 s)
    CHECK(m.walkIn15 == Approx(0.75));  // and W2 (700 s)
    CHECK(m.walkMax == 950);
    CHECK(m.overtimeS == 50);
}

TEST_CASE("metrics: a visitor still waiting at the end of the day counts as unserved and late") {
    const DayMetrics m = metricsOf(hallHeader(
        R"({"type":"counter","id":"B01","skills":["REISDOC","AFHALEN"],"shifts":[[0,1000]]})" "\n") +
        R"({"type":"walkin","id":"W1","services":["PAS"],"truth":{"t_checkin":0,"dur_s":[1200]}}
{"type":"walkin","id":"W2","services":["AFH"],"truth":{"t_checkin":100,"dur_s":[100]}}
)", core::PolicyKind::Fifo);
    CHECK(m.unserved == 1);
    CHECK(m.walkIn15 == Approx(0.5));
    CHECK(m.walkMax == 1200 - 100);   // waited until the last visit ended
}

TEST_CASE("metrics: the prediction is scored against the wait each ticket really had") {
    const DayMetrics m = metricsOf(hallHeader(kOneCounter) +
        R"({"type":"walkin","id":"W1","services":["PAS"],"truth":{"t_checkin":0,"dur_s":[600]}}
{"type":"walkin","id":"W2","services":["PAS"],"truth":{"t_checkin":10,"dur_s":[600]}}
)", core::PolicyKind::Fifo);
    // W1 is predicted 0 and waits 0; W2 is predicted the expected 600 s minus the 10 s already
    // served, and waits 590: both exact.
    REQUIRE(m.predMae.has_value());
    CHECK(*m.predMae == Approx(0).margin(1));
    REQUIRE(m.queueMae.has_value());
}

TEST_CASE("metrics: the 95 % interval uses Student's t") {
    const Interval i = interval95({1, 2, 3, 4, 5});
    CHECK(i.mean == Approx(3));
    CHECK(i.halfWidth == Approx(2.776 * std::sqrt(2.5 / 5)));
    CHECK(interval95({7}).halfWidth == 0);
}
