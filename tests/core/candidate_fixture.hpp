// Waiting visits as a dispatch policy sees them, for the policy and planner tests: two services
// (A, B), five-minute visits unless told otherwise, the walk-in target ten minutes.
#pragma once

#include "shared/core/dispatch_policy.hpp"

namespace loket::core::test {

constexpr ServiceMask kA = 1, kB = 2;

inline Candidate walkIn(TicketId id, Seconds checkedIn, ServiceMask services = kA, Seconds duration = 300) {
    Candidate c;
    c.id = id;
    c.kind = TicketKind::WalkIn;
    c.checkedInAt = checkedIn;
    c.services = services;
    c.expectedDurationS = duration;
    c.walkInTargetS = 600;
    return c;
}

inline Candidate appointment(TicketId id, Seconds checkedIn, Seconds at, ServiceMask services = kA, Seconds duration = 300) {
    Candidate c = walkIn(id, checkedIn, services, duration);
    c.kind = TicketKind::Appointment;
    c.appointmentAt = at;
    return c;
}

} // namespace loket::core::test
