// Replay: one trace through the real core (shared/core), with the information a real hall has at
// each moment. The appointment book is booked at the start of the day; everything under `truth`
// is revealed only when it happens — a check-in at its time, a duration when the visit ends, an
// unanswered call when the counter has waited `no_answer_s`, a counter going down when it does.
// Events at the same second run in the order of sim-trace.md: counter down (and shift end),
// service end, counter up (and shift start), check-in, appointment time, then dispatch — every
// free open counter in id order sends `CallNext`. No randomness: the same trace and policy give the
// same event log, and so the same fingerprint.
//
// The clairvoyant reference runs the same policy code on a view that is told the truth (true
// durations, which booked visitors will not come, which calls go unanswered): how far a policy is
// from what its own rules could attain with perfect knowledge.
#pragma once

#include "trace.hpp"
#include "shared/core/hall_config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace loket::sim {

struct ReplayOptions {
    core::PolicyKind policy = core::PolicyKind::Norm;
    core::NormPolicyParams normParams;
    bool clairvoyant = false;
    bool scorePredictions = false;  // run the wait prediction at each check-in (costly in big halls)
    bool keepLog = false;           // keep the event log lines, not only their fingerprint
    bool timeDecisions = false;     // measure each CallNext
};

struct VisitOutcome {
    std::size_t visit = 0;                  // index in Trace::visits
    bool appointment = false;
    bool showed = true;
    Seconds checkInAt = 0;                  // seconds of the trace day
    Seconds waitFrom = 0;                   // check-in, or the appointment time for an early visitor
    Seconds limitS = 0;                     // the norm (appointments) or the walk-in target
    std::optional<Seconds> firstCallAt;
    bool served = false;                    // answered a call and was helped
    std::optional<Seconds> predictedWaitS;  // the core's prediction when the ticket was issued
    std::optional<Seconds> queueEstimateS;  // a plain queue-length estimate at the same moment
    std::optional<Seconds> predictedLowS;   // the range printed around the prediction
    std::optional<Seconds> predictedHighS;

    // Called within the norm (appointments) or the walk-in target: the metrics' and the staffing
    // planner's one test.
    bool withinLimit() const { return firstCallAt && *firstCallAt - waitFrom <= limitS; }
};

struct ReplayResult {
    std::vector<VisitOutcome> visits;       // visitors who came, in check-in order; then no-shows
    std::string fingerprint;                // SHA-256 of the ordered event log
    std::vector<std::string> log;           // when ReplayOptions::keepLog
    std::size_t events = 0;
    std::vector<double> decisionUs;         // when ReplayOptions::timeDecisions
    Seconds availableS = 0;                 // counter time open for visitors
    Seconds busyS = 0;                      // counter time with a visitor called or served
    Seconds idleWhileWaitingS = 0;          // open, free, and an eligible visitor waiting
    Seconds doorsCloseS = 0;
    Seconds lastEndS = 0;                   // the last visit's end
    Seconds dayEndS = 0;                    // last shift end or last visit end, whichever is later
};

Result<ReplayResult> replay(const Trace& trace, const ReplayOptions& options);

} // namespace loket::sim
