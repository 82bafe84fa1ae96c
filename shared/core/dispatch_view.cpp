#include "dispatch_view.hpp"

#include <algorithm>

namespace loket::core {

DispatchInput DispatchView::input(const HallConfig& config, Seconds now) const {
    return DispatchInput{config.policy, config.normParams, config.normS, now, waiting, counters, upcoming};
}

DispatchView buildDispatchView(const HallState& state, Seconds now) {
    const HallConfig& config = state.config();
    DispatchView view;
    for (const Ticket& t : state.tickets()) {
        if (t.status != TicketStatus::Waiting) continue;
        Seconds target = 0;
        for (auto s : t.services) target = std::max(target, config.services[s].walkInTargetS);
        view.waiting.push_back(Candidate{t.id, t.kind, t.issuedAt, t.appointmentAt, t.serviceMask(), t.notBefore,
                                         t.onlyCounter, state.durations().expectedVisit(config, t.services), target});
    }
    for (std::size_t i = 0; i < config.counters.size(); ++i) {
        const CounterStatus& c = state.counters()[i];
        Seconds freeAt = now;
        if (c.ticket) {
            if (const Ticket* t = state.ticket(*c.ticket)) {
                Seconds began = t->startedAt.value_or(t->lastCalledAt.value_or(now));
                // Work in progress: at least a minute more, whatever the average says.
                freeAt = std::max(now + 60, began + state.durations().expectedVisit(config, t->services));
            }
        }
        view.counters.push_back(CounterSlot{static_cast<CounterIndex>(i), c.services, freeAt,
                                            c.state == CounterState::Open});
    }
    for (const auto& [code, a] : state.appointments()) {
        if (a.status != AppointmentStatus::Booked || a.day != state.day()) continue;
        if (a.startsAt + config.normS < now) continue; // long past: probably not coming
        ServiceMask mask = 0;
        for (auto s : a.services) mask |= bit(s);
        view.upcoming.push_back({a.startsAt, mask, state.durations().expectedVisit(config, a.services)});
    }
    return view;
}

} // namespace loket::core
