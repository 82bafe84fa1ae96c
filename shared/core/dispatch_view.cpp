#include "dispatch_view.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace loket::core {
namespace {

// The share of booked visitors who come, as today shows it: of the appointments whose time is
// well past, how many checked in. A prior worth six bookings at 92 % (the scenarios' typical
// no-show rate is 4-8 %) keeps the first hour from swinging on one visitor.
double showRate(const HallState& state, Seconds now) {
    constexpr double kPriorShow = 0.92, kPriorWeight = 6;
    constexpr Seconds kSettledS = 900; // by then a visitor who is coming has checked in (late_grace_s)
    double past = 0, came = 0;
    for (const auto& [code, a] : state.appointments()) {
        if (a.day != state.day() || a.status == AppointmentStatus::Cancelled || a.startsAt + kSettledS > now) continue;
        past += 1;
        if (a.status != AppointmentStatus::Booked) came += 1;
    }
    return (came + kPriorShow * kPriorWeight) / (past + kPriorWeight);
}

// Today's check-in times relative to the appointment (negative: early), sorted.
std::vector<Seconds> checkInOffsets(const HallState& state) {
    std::vector<Seconds> out;
    for (const Ticket& t : state.tickets())
        if (t.kind == TicketKind::Appointment) out.push_back(t.issuedAt - t.appointmentAt);
    std::sort(out.begin(), out.end());
    return out;
}

// P(a visitor who comes checks in later than `untilS` before their time). From today's offsets
// once there are enough; before that, from a typical hall: most come about ten minutes early
// (sim-trace.md: about Normal(−10 min, 10 min)).
double stillToCome(const std::vector<Seconds>& offsets, Seconds untilS) {
    constexpr std::size_t kEnough = 20;
    if (offsets.size() >= kEnough) {
        auto later = offsets.end() - std::upper_bound(offsets.begin(), offsets.end(), -untilS);
        return std::max(0.02, static_cast<double>(later) / static_cast<double>(offsets.size()));
    }
    const double z = (static_cast<double>(-untilS) + 600.0) / 600.0;
    return std::max(0.02, 0.5 * std::erfc(z / std::sqrt(2.0)));
}

} // namespace

void sortUpcoming(std::vector<UpcomingAppointment>& upcoming) {
    std::sort(upcoming.begin(), upcoming.end(), [](const UpcomingAppointment& a, const UpcomingAppointment& b) {
        return std::tie(a.appointmentAt, a.services, a.expectedDurationS) < std::tie(b.appointmentAt, b.services, b.expectedDurationS);
    });
}

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
                                         t.onlyCounter, state.durations().expectedVisit(config, t.services), target,
                                         t.needs.sittingDesk});
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
                                            c.state == CounterState::Open, config.counters[i].sittingDesk});
    }
    // Booked visitors who have not checked in: as many of them will come as today's show rate
    // says — with a 35 % no-show day, counting every one made plans and estimates minutes too
    // long (the simulator's heavy_no_show) — and one who has not checked in yet a few minutes
    // before their time is less likely to come at all (Bayes on today's check-in offsets).
    const double show = showRate(state, now);
    const std::vector<Seconds> offsets = checkInOffsets(state);
    for (const auto& [code, a] : state.appointments()) {
        if (a.status != AppointmentStatus::Booked || a.day != state.day()) continue;
        if (a.startsAt + config.normS < now) continue; // long past: probably not coming
        ServiceMask mask = 0;
        for (auto s : a.services) mask |= bit(s);
        const double notYet = stillToCome(offsets, a.startsAt - now);
        const double p = show * notYet / (show * notYet + (1 - show));
        view.upcoming.push_back({a.startsAt, mask, state.durations().expectedVisit(config, a.services), p});
    }
    sortUpcoming(view.upcoming);
    return view;
}

} // namespace loket::core
