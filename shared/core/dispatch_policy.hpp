// Dispatch policies: which waiting visitor a counter calls next. Pure functions of a compact view
// of the hall (candidates, counters, the appointment book) and the time, so the server, the wait
// prediction and the simulator run the very same code.
//
// fifo, appointments_first and edf are exactly as ../shared/sim-trace.md defines them, so other
// simulators reproduce our baselines. `norm` is the hall's own and plans ahead over all open
// counters (dispatch_planner.hpp); `norm_v1`, the earlier reactive one, looks at the queue in
// front of one counter: keep every appointment visitor within the norm where that is still
// possible, use the slack to serve walk-ins, and let no walk-in wait far beyond its target.
// Who may be served where is core::counterMayServe (visit_rules.hpp). Standard library only.
#pragma once

#include "hall_config.hpp"
#include "ticket.hpp"
#include "visit_rules.hpp"

#include <optional>
#include <span>

namespace loket::core {

// A waiting visit as a policy sees it.
struct Candidate {
    TicketId id = 0;                 // also the final tie-break (ids follow check-in order)
    TicketKind kind = TicketKind::WalkIn;
    Seconds checkedInAt = 0;         // place in the queue (kept on transfer)
    Seconds appointmentAt = 0;       // appointments only
    ServiceMask services = 0;
    Seconds notBefore = 0;           // not callable before (unanswered call, or not yet arrived)
    std::optional<CounterIndex> onlyCounter;
    Seconds expectedDurationS = 0;
    Seconds walkInTargetS = 600;
    bool needsSittingDesk = false;   // only a counter with a sitting-height desk (core::deskSuits)
};

// A counter as a policy sees it.
struct CounterSlot {
    CounterIndex index = 0;
    ServiceMask services = 0;        // what it serves now
    Seconds freeAt = 0;              // when its current visit is expected to end (≤ now: free)
    bool available = true;           // open (not closed or paused)
    bool sittingDesk = false;        // has a desk at sitting height (CounterConfig::sittingDesk)
};

// A booked appointment that has not checked in yet: the norm policy keeps room for it.
struct UpcomingAppointment {
    Seconds appointmentAt = 0;
    ServiceMask services = 0;
    Seconds expectedDurationS = 0;
    double showProbability = 1;      // that this visitor still comes (today's show rate, Bayes on the hour)
};

struct DispatchInput {
    PolicyKind policy = PolicyKind::Norm;
    NormPolicyParams params;
    Seconds normS = 300;
    Seconds now = 0;
    std::span<const Candidate> waiting;
    std::span<const CounterSlot> counters;
    std::span<const UpcomingAppointment> upcoming;  // in order of appointment time
};

// (Inline: the policies ask these for every candidate at every decision, and the wait
// prediction's forward run makes hundreds of decisions per run.)
// May `counter` serve `candidate` at `now`? (core::counterMayServe)
inline bool eligible(const Candidate& candidate, const CounterSlot& counter, Seconds now) {
    return counterMayServe(counter.index, counter.services, counter.sittingDesk, candidate.services, candidate.needsSittingDesk,
                           candidate.notBefore, candidate.onlyCounter, now);
}
// Could `counter` serve `candidate` at all, whenever it is callable: skills, desk and a transfer to
// one counter (counterMayServe without the time). The planners use it to see who can go where.
inline bool canServe(const Candidate& candidate, const CounterSlot& counter) {
    return counterMayServe(counter.index, counter.services, counter.sittingDesk, candidate.services, candidate.needsSittingDesk,
                           candidate.notBefore, candidate.onlyCounter, candidate.notBefore);
}
// When the candidate's wait started (core::waitStartsAt).
inline Seconds candidateWaitFrom(const Candidate& c) { return waitStartsAt(c.kind, c.appointmentAt, c.checkedInAt); }
// When a waiting visit breaches its norm (appointment) or target (walk-in).
inline Seconds candidateDueAt(const Candidate& c, Seconds normS) {
    return candidateWaitFrom(c) + (c.kind == TicketKind::Appointment ? normS : c.walkInTargetS);
}

// The index in `input.waiting` of the visit `counter` should call now; nullopt when none is eligible.
std::optional<std::size_t> chooseNext(const DispatchInput& input, const CounterSlot& counter);

} // namespace loket::core
