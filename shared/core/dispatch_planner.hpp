// The planning `norm` policy: at each "next" it plans, over every open counter (its skills and
// the expected end of the visit in progress), who will be served when — the waiting appointment
// visitors and the booked ones due within the plan horizon who have not arrived yet (as many as
// today's show rate expects) — and answers the counter with the first item of its own plan. The
// plan obeys the core's rules for who may be served where (core::counterMayServe: skills, a
// transfer to one counter, the no-answer cooldown) because it is built from the same candidates.
//
// In order:
//  1. the hard cap: anyone who has waited NormPolicyParams::hardCapS goes first, longest first;
//  2. the walk-in bound, derived from the day's load: a walk-in whose wait passes
//     walkInLoadPercent of the backlog per open counter — what a plain queue would give them now —
//     and at least their target plus walkInStarvationS, goes first when the plan allows it, and in
//     any case a grace later (walkInGraceS, or walkInGracePercent of the backlog when longer);
//  3. the plan: appointment visitors in order of due time, each at the counter that can take it
//     soonest without leaving a gap another needs (between counters free at once, the one with
//     the fewest skills); the asking counter is answered with the first visitor the plan gives it. When the plan shows that someone will miss the
//     norm whatever happens, triage names them explicitly (at most triageLimit, the longest
//     visits, as Moore–Hodgson does on one machine) instead of letting lateness spread;
//  4. a walk-in (or a lost appointment) goes first when, with this counter busy for its expected
//     duration, the plan keeps every other appointment visitor within the norm (with the slack
//     margin plus walkInRiskPercent of the walk-in's duration over the open counters: its overrun). The plan is hall-wide: it also holds the visitors only other counters can serve, and
//     a walk-in here may not make one of them miss the norm who would have kept it; otherwise the first appointment of the plan — or, when only booked visitors who
//     need this counter are at stake (a scarce skill), a visit short enough to leave them room;
//  5. otherwise early appointments, earliest appointment time first. It never idles while an
//     eligible visitor waits.
// Pure and deterministic; the wait prediction runs it forward. Standard library only.
#pragma once

#include "dispatch_policy.hpp"

#include <vector>

namespace loket::core {

// Booked visitors are expected in the hall a little before their time (the planner and the wait
// prediction both count on it).
inline constexpr Seconds kExpectedEarlyArrivalS = 300;

std::optional<std::size_t> choosePlanned(const DispatchInput& input, const CounterSlot& counter);

// Which of the booked visitors in `upcoming` (by time) due before `until` to expect, thinned by
// their show probability: walking the book in time order, a visitor is counted each time the
// summed probability passes a whole number (round half up). Deterministic; indices into upcoming.
std::vector<std::size_t> expectedArrivals(std::span<const UpcomingAppointment> upcoming, Seconds until);

} // namespace loket::core
