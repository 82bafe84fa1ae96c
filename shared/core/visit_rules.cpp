#include "visit_rules.hpp"

#include <algorithm>

namespace loket::core {

Seconds waitStartsAt(TicketKind kind, Seconds appointmentAt, Seconds issuedAt) {
    return kind == TicketKind::Appointment ? std::max(appointmentAt, issuedAt) : issuedAt;
}

Seconds waitStartsAt(const Ticket& ticket) { return waitStartsAt(ticket.kind, ticket.appointmentAt, ticket.issuedAt); }

bool servesAll(ServiceMask counterServices, ServiceMask visitServices) { return (visitServices & ~counterServices) == 0; }

bool counterMayServe(CounterIndex counter, ServiceMask counterServices, ServiceMask visitServices, Seconds notBefore,
                     std::optional<CounterIndex> onlyCounter, Seconds now) {
    return servesAll(counterServices, visitServices) && notBefore <= now && (!onlyCounter || *onlyCounter == counter);
}

bool counterMayServe(CounterIndex counter, ServiceMask counterServices, const Ticket& ticket, Seconds now) {
    return ticket.status == TicketStatus::Waiting &&
           counterMayServe(counter, counterServices, ticket.serviceMask(), ticket.notBefore, ticket.onlyCounter, now);
}

} // namespace loket::core
