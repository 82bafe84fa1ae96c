#include "visit_rules.hpp"

#include <algorithm>

namespace loket::core {

Seconds waitStartsAt(TicketKind kind, Seconds appointmentAt, Seconds issuedAt) {
    return kind == TicketKind::Appointment ? std::max(appointmentAt, issuedAt) : issuedAt;
}

Seconds waitStartsAt(const Ticket& ticket) { return waitStartsAt(ticket.kind, ticket.appointmentAt, ticket.issuedAt); }

bool servesAll(ServiceMask counterServices, ServiceMask visitServices) { return (visitServices & ~counterServices) == 0; }

bool deskSuits(bool counterHasSittingDesk, bool visitNeedsSittingDesk) { return counterHasSittingDesk || !visitNeedsSittingDesk; }

bool counterMayServe(CounterIndex counter, ServiceMask counterServices, bool counterHasSittingDesk, ServiceMask visitServices,
                     bool visitNeedsSittingDesk, Seconds notBefore, std::optional<CounterIndex> onlyCounter, Seconds now) {
    return servesAll(counterServices, visitServices) && deskSuits(counterHasSittingDesk, visitNeedsSittingDesk) &&
           notBefore <= now && (!onlyCounter || *onlyCounter == counter);
}

bool counterMayServe(CounterIndex counter, ServiceMask counterServices, bool counterHasSittingDesk, const Ticket& ticket,
                     Seconds now) {
    return ticket.status == TicketStatus::Waiting &&
           counterMayServe(counter, counterServices, counterHasSittingDesk, ticket.serviceMask(), ticket.needs.sittingDesk,
                           ticket.notBefore, ticket.onlyCounter, now);
}

} // namespace loket::core
