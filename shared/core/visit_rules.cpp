#include "visit_rules.hpp"

#include <algorithm>

namespace loket::core {

Seconds waitStartsAt(const Ticket& ticket) { return waitStartsAt(ticket.kind, ticket.appointmentAt, ticket.issuedAt); }

bool counterMayServe(CounterIndex counter, ServiceMask counterServices, bool counterHasSittingDesk, const Ticket& ticket,
                     Seconds now) {
    return ticket.status == TicketStatus::Waiting &&
           counterMayServe(counter, counterServices, counterHasSittingDesk, ticket.serviceMask(), ticket.needs.sittingDesk,
                           ticket.notBefore, ticket.onlyCounter, now);
}

} // namespace loket::core
