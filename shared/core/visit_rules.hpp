// The two rules that every part of Loket asks about a waiting visit, written once: when its wait
// starts, and whether a counter may serve it. The command handler, the dispatch policies and the
// planner, the wait prediction, the day statistics, the server's metrics and the simulator all call
// these; none writes its own copy (a copy drifts the day someone fixes the original).
// Standard library only.
#pragma once

#include "ticket.hpp"

#include <optional>

namespace loket::core {

// A wait starts at check-in — or, for an appointment visitor who came early, at the appointment
// time: being early is the visitor's choice, not the hall's delay. The norm counts from here.
// (The scalar rules are defined here, inline: the dispatch policies and the wait prediction's
// forward run ask them for every waiting visitor at every step.)
inline Seconds waitStartsAt(TicketKind kind, Seconds appointmentAt, Seconds issuedAt) {
    return kind == TicketKind::Appointment && appointmentAt > issuedAt ? appointmentAt : issuedAt;
}
Seconds waitStartsAt(const Ticket& ticket);

// A counter serves a visit only when every service of the visit is among what it serves now.
inline bool servesAll(ServiceMask counterServices, ServiceMask visitServices) { return (visitServices & ~counterServices) == 0; }

// A visitor who needs a desk at sitting height (a wheelchair; VisitNeeds::sittingDesk) is sent
// only to a counter configured with one (CounterConfig::sittingDesk); anyone else to any counter.
inline bool deskSuits(bool counterHasSittingDesk, bool visitNeedsSittingDesk) { return counterHasSittingDesk || !visitNeedsSittingDesk; }

// May the counter `counter`, serving `counterServices` now, call this waiting visit at `now`?
// Its skills cover the visit, its desk suits the visitor (deskSuits), the visitor is callable
// (not in the cooldown after an unanswered call), and a visit transferred to one counter goes to
// that counter only.
inline bool counterMayServe(CounterIndex counter, ServiceMask counterServices, bool counterHasSittingDesk,
                            ServiceMask visitServices, bool visitNeedsSittingDesk, Seconds notBefore,
                            std::optional<CounterIndex> onlyCounter, Seconds now) {
    return servesAll(counterServices, visitServices) && deskSuits(counterHasSittingDesk, visitNeedsSittingDesk) &&
           notBefore <= now && (!onlyCounter || *onlyCounter == counter);
}
// The same for a ticket, which must also be waiting.
bool counterMayServe(CounterIndex counter, ServiceMask counterServices, bool counterHasSittingDesk, const Ticket& ticket,
                     Seconds now);

} // namespace loket::core
