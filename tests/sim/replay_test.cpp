#include "hall_day_fixture.hpp"

#include "shared/core/hall_time.hpp"
#include "shared/sim/generator.hpp"
#include "shared/sim/replay.hpp"
#include "shared/sim/scenario.hpp"

#include <regex>

using namespace loket;
using namespace loket::sim;
using namespace loket::sim::test;

namespace {

ReplayResult replayed(const Trace& trace, core::PolicyKind policy, bool clairvoyant = false) {
    ReplayOptions options;
    options.policy = policy;
    options.keepLog = true;
    options.clairvoyant = clairvoyant;
    auto result = replay(trace, options);
    INFO((result ? std::string() : result.error().message));
    REQUIRE(result.has_value());
    return result.value();
}

const VisitOutcome& outcome(const ReplayResult& r, const Trace& t, const std::string& id) {
    for (const auto& v : r.visits)
        if (t.visits[v.visit].id == id) return v;
    FAIL("no outcome for " << id);
    return r.visits.front();
}

// Seconds of the trace day at which a log line happened ("… t<instant> …").
Seconds lineTime(const std::string& line) {
    static const std::regex time(" t([0-9]+)");
    std::smatch m;
    if (!std::regex_search(line, m, time)) return 0;
    core::LocalDay day = 0;
    core::parseDate("2025-03-03", day);
    return std::stoll(m[1]) - static_cast<Seconds>(day) * 86400;
}

// The walk-in W1 keeps the only counter busy until 1000; then W2 (waiting since 100) or the
// appointment A1 (at 1000, checked in at 700) is next.
const std::string kWalkInOrAppointment = hallHeader(kOneCounter) +
    R"({"type":"appointment","id":"A1","t_appt":1000,"services":["PAS"],"truth":{"show":true,"t_checkin":700,"dur_s":[200]}}
{"type":"walkin","id":"W1","services":["PAS"],"truth":{"t_checkin":0,"dur_s":[1000]}}
{"type":"walkin","id":"W2","services":["AFH"],"truth":{"t_checkin":100,"dur_s":[100]}}
)";

} // namespace

TEST_CASE("replay: fifo calls the earliest check-in as soon as the counter is free") {
    const Trace t = traceOf(hallHeader(kOneCounter) +
        R"({"type":"walkin","id":"W1","services":["PAS"],"truth":{"t_checkin":100,"dur_s":[300]}}
{"type":"walkin","id":"W2","services":["AFH"],"truth":{"t_checkin":150,"dur_s":[100]}}
)");
    const ReplayResult r = replayed(t, core::PolicyKind::Fifo);
    CHECK(*outcome(r, t, "W1").firstCallAt == 100);
    CHECK(*outcome(r, t, "W2").firstCallAt == 400);
    CHECK(outcome(r, t, "W2").served);
    CHECK(r.lastEndS == 500);
}

TEST_CASE("replay: the baselines choose as sim-trace.md defines them") {
    const Trace t = traceOf(kWalkInOrAppointment);
    // fifo: W2 checked in first. edf: W2 is due at 700, A1 at 1300.
    CHECK(*outcome(replayed(t, core::PolicyKind::Fifo), t, "W2").firstCallAt == 1000);
    CHECK(*outcome(replayed(t, core::PolicyKind::Edf), t, "W2").firstCallAt == 1000);
    // appointments_first: A1's time is at most 120 s away, so it goes first.
    const ReplayResult af = replayed(t, core::PolicyKind::AppointmentsFirst);
    CHECK(*outcome(af, t, "A1").firstCallAt == 1000);
    CHECK(*outcome(af, t, "W2").firstCallAt == 1200);
}

TEST_CASE("replay: an unanswered call costs no_answer_s and the visitor is called again after 300 s") {
    const Trace t = traceOf(hallHeader(kOneCounter) +
        R"({"type":"walkin","id":"W1","services":["AFH"],"truth":{"t_checkin":100,"dur_s":[200],"answers_call":[false,true]}}
{"type":"walkin","id":"W2","services":["AFH"],"truth":{"t_checkin":110,"dur_s":[100]}}
)");
    const ReplayResult r = replayed(t, core::PolicyKind::Fifo);
    CHECK(*outcome(r, t, "W1").firstCallAt == 100);   // statistics count the first call
    CHECK(*outcome(r, t, "W2").firstCallAt == 160);   // after the 60 s wait for W1
    CHECK(outcome(r, t, "W1").served);
    CHECK(r.lastEndS == 460 + 200);                   // W1 callable again at 160 + 300
}

TEST_CASE("replay: a visitor who never answers is gone after the last call") {
    const Trace t = traceOf(hallHeader(kOneCounter) +
        R"({"type":"walkin","id":"W1","services":["AFH"],"truth":{"t_checkin":100,"dur_s":[200],"answers_call":[false]}}
)");
    const ReplayResult r = replayed(t, core::PolicyKind::Fifo);
    CHECK_FALSE(outcome(r, t, "W1").served);
    CHECK(std::any_of(r.log.begin(), r.log.end(), [](const std::string& l) { return l.find("gone") != std::string::npos; }));
}

TEST_CASE("replay: a counter that goes down finishes its visit and takes no new one until it is up") {
    const Trace t = traceOf(hallHeader(kOneCounter) +
        R"({"type":"counter_event","counter":"B01","t":150,"kind":"down","until":900,"truth":true}
{"type":"walkin","id":"W1","services":["PAS"],"truth":{"t_checkin":100,"dur_s":[400]}}
{"type":"walkin","id":"W2","services":["AFH"],"truth":{"t_checkin":200,"dur_s":[100]}}
)");
    const ReplayResult r = replayed(t, core::PolicyKind::Fifo);
    CHECK(outcome(r, t, "W1").served);
    CHECK(*outcome(r, t, "W2").firstCallAt == 900);
}

TEST_CASE("replay: at a shift end the visit in progress ends and nobody new is called") {
    const Trace t = traceOf(hallHeader(
        R"({"type":"counter","id":"B01","skills":["REISDOC","AFHALEN"],"shifts":[[0,300]]})" "\n") +
        R"({"type":"walkin","id":"W1","services":["PAS"],"truth":{"t_checkin":100,"dur_s":[400]}}
{"type":"walkin","id":"W2","services":["AFH"],"truth":{"t_checkin":200,"dur_s":[100]}}
)");
    const ReplayResult r = replayed(t, core::PolicyKind::Fifo);
    CHECK(outcome(r, t, "W1").served);
    CHECK(r.lastEndS == 500);
    CHECK_FALSE(outcome(r, t, "W2").firstCallAt.has_value());
}

TEST_CASE("replay: a counter serves only visits whose skills it has all") {
    const Trace t = traceOf(hallHeader(
        R"({"type":"counter","id":"B01","skills":["AFHALEN"],"shifts":[[0,7200]]})" "\n") +
        R"({"type":"walkin","id":"W1","services":["PAS","AFH"],"truth":{"t_checkin":100,"dur_s":[400,100]}}
{"type":"walkin","id":"W2","services":["AFH"],"truth":{"t_checkin":200,"dur_s":[100]}}
)");
    const ReplayResult r = replayed(t, core::PolicyKind::Fifo);
    CHECK_FALSE(outcome(r, t, "W1").firstCallAt.has_value());
    CHECK(*outcome(r, t, "W2").firstCallAt == 200);
}

TEST_CASE("replay: no decision depends on truth that has not happened yet") {
    // The base day and a variant that differs only in what is revealed later: W1's duration
    // (learned at its end), W2's check-in and duration (learned at 2000 at the earliest), and
    // whether the booked A1 comes (learned at its check-in, 2500).
    const std::string base = hallHeader(kOneCounter) +
        R"({"type":"appointment","id":"A1","t_appt":3000,"services":["PAS"],"truth":{"show":false}}
{"type":"walkin","id":"W0","services":["AFH"],"truth":{"t_checkin":50,"dur_s":[100]}}
{"type":"walkin","id":"W1","services":["PAS"],"truth":{"t_checkin":100,"dur_s":[600]}}
{"type":"walkin","id":"W3","services":["AFH"],"truth":{"t_checkin":300,"dur_s":[150]}}
{"type":"walkin","id":"W2","services":["AFH"],"truth":{"t_checkin":2000,"dur_s":[100]}}
)";
    const std::string variant = hallHeader(kOneCounter) +
        R"({"type":"appointment","id":"A1","t_appt":3000,"services":["PAS"],"truth":{"show":true,"t_checkin":2500,"dur_s":[700]}}
{"type":"walkin","id":"W0","services":["AFH"],"truth":{"t_checkin":50,"dur_s":[100]}}
{"type":"walkin","id":"W1","services":["PAS"],"truth":{"t_checkin":100,"dur_s":[900]}}
{"type":"walkin","id":"W3","services":["AFH"],"truth":{"t_checkin":300,"dur_s":[150]}}
{"type":"walkin","id":"W2","services":["AFH"],"truth":{"t_checkin":2100,"dur_s":[800]}}
)";
    for (auto policy : {core::PolicyKind::Norm, core::PolicyKind::Fifo, core::PolicyKind::AppointmentsFirst, core::PolicyKind::Edf}) {
        INFO(core::policyName(policy));
        const ReplayResult a = replayed(traceOf(base), policy), b = replayed(traceOf(variant), policy);
        std::size_t same = 0;
        while (same < a.log.size() && same < b.log.size() && a.log[same] == b.log[same]) ++same;
        REQUIRE(same < a.log.size());
        // The first difference is W1's end: at 700 (base) or 1000 (variant). Before it, all equal.
        CHECK(lineTime(a.log[same]) == 150 + 600);
        CHECK(lineTime(b.log[same]) == 150 + 900);
    }
}

TEST_CASE("replay: the clairvoyant reference runs the same policy on the true durations") {
    // Expecting both walk-ins to take the passport's 600 s, norm serves W0 (the earlier) at 0,
    // cannot fit W1 before A1's norm at 600 and calls A1. Told that W1 really takes 100 s, the
    // same rule serves W1 first at 0 (short enough to leave A1 room even if it ran long), then
    // W0, and A1 still within the norm at 700.
    const Trace t = traceOf(hallHeader(kOneCounter) +
        R"({"type":"walkin","id":"W0","services":["PAS"],"truth":{"t_checkin":0,"dur_s":[600]}}
{"type":"walkin","id":"W1","services":["PAS"],"truth":{"t_checkin":0,"dur_s":[100]}}
{"type":"appointment","id":"A1","t_appt":700,"services":["PAS"],"truth":{"show":true,"t_checkin":10,"dur_s":[600]}}
)");
    const ReplayResult real = replayed(t, core::PolicyKind::Norm), seeing = replayed(t, core::PolicyKind::Norm, true);
    CHECK(*outcome(real, t, "A1").firstCallAt == 600);
    CHECK(*outcome(real, t, "W1").firstCallAt == 1200);
    CHECK(*outcome(seeing, t, "W1").firstCallAt == 0);
    CHECK(*outcome(seeing, t, "W0").firstCallAt == 100);
    CHECK(*outcome(seeing, t, "A1").firstCallAt == 700);
}

TEST_CASE("replay: the same trace and policy give the same fingerprint, run after run") {
    auto spec = loadScenario("small_town_tuesday", std::string(LOKET_SOURCE_DIR) + "/sim/scenarios");
    REQUIRE(spec.has_value());
    const Trace t = generateTrace(spec.value(), spec.value().seed, 0);
    for (auto policy : {core::PolicyKind::Norm, core::PolicyKind::Fifo, core::PolicyKind::AppointmentsFirst, core::PolicyKind::Edf}) {
        const ReplayResult a = replayed(t, policy), b = replayed(traceOf(writeTrace(t)), policy);
        CHECK(a.fingerprint == b.fingerprint);
        CHECK(a.fingerprint.size() == 64);
    }
    CHECK(replayed(t, core::PolicyKind::Fifo).fingerprint != replayed(t, core::PolicyKind::AppointmentsFirst).fingerprint);
}

TEST_CASE("replay: the fingerprint of a fixed day is the same on every machine") {
    // Pinned: any change to the replay order, the baselines or the event log changes it, and that
    // change must be deliberate (other simulators compare against these figures).
    const Trace t = traceOf(kWalkInOrAppointment);
    CHECK(replayed(t, core::PolicyKind::Fifo).fingerprint == "d2d1a5cb97d659ceecd59c76092547e9dad9f90a72558c08ea1b9a8ee3723485");
    CHECK(replayed(t, core::PolicyKind::AppointmentsFirst).fingerprint == "2de544fd52ca2e8f7ac68da54591a0c28e78f75beaac899c9520099df1529ed9");
}
