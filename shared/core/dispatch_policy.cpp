#include "dispatch_policy.hpp"

#include "best_candidate.hpp"
#include "dispatch_planner.hpp"
#include "visit_rules.hpp"

#include <algorithm>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <vector>

namespace loket::core {
namespace {

template <typename Key>
std::optional<std::size_t> argMin(const DispatchInput& in, const CounterSlot& counter, auto&& filter, Key&& key) {
    return bestCandidate(in.waiting, std::views::iota(std::size_t{0}, in.waiting.size()),
                         [&](std::size_t, const Candidate& c) { return eligible(c, counter, in.now) && filter(c); }, key);
}

constexpr auto kAny = [](const Candidate&) { return true; };

std::optional<std::size_t> chooseFifo(const DispatchInput& in, const CounterSlot& counter) {
    return argMin(in, counter, kAny, [](const Candidate& c) { return c.checkedInAt; });
}

std::optional<std::size_t> chooseEdf(const DispatchInput& in, const CounterSlot& counter) {
    return argMin(in, counter, kAny, [&](const Candidate& c) { return candidateDueAt(c, in.normS); });
}

std::optional<std::size_t> chooseAppointmentsFirst(const DispatchInput& in, const CounterSlot& counter) {
    const Seconds window = 120; // sim-trace.md: appointments whose time is at most 120 s away
    auto active = [&](const Candidate& c) { return c.kind == TicketKind::Appointment && c.appointmentAt - window <= in.now; };
    if (auto i = argMin(in, counter, active, [](const Candidate& c) { return c.appointmentAt; })) return i;
    auto walkIn = [](const Candidate& c) { return c.kind == TicketKind::WalkIn; };
    if (auto i = argMin(in, counter, walkIn, [](const Candidate& c) { return c.checkedInAt; })) return i;
    return argMin(in, counter, kAny, [](const Candidate& c) { return c.appointmentAt; });
}

// The reactive norm policy (norm_v1). In order:
//  1. a walk-in far past its target (walkInStarvationS) or an appointment far past its norm
//     (lateAppointmentS), longest overdue first — no one waits forever;
//  2. appointment visitors who can still be called within the norm, earliest due first — unless
//     the slack allows serving the most urgent other visitor first and still meeting every one of
//     them (and the booked appointments due soon), counting the other counters that will free up;
//  3. otherwise walk-ins and appointments already past their norm, earliest due first — but when
//     that visit would make a booked visitor due soon miss the norm (one who needs this counter's
//     skills), a visit short enough to leave room for them, if there is one;
//  4. otherwise early appointments, earliest appointment time first.
std::optional<std::size_t> chooseNorm(const DispatchInput& in, const CounterSlot& counter) {
    const NormPolicyParams& p = in.params;
    const Seconds now = in.now;

    auto active = [&](const Candidate& c) {
        return c.kind == TicketKind::Appointment && c.appointmentAt - p.activeBeforeS <= now;
    };
    auto starving = [&](const Candidate& c) {
        if (c.kind == TicketKind::WalkIn) return now - c.checkedInAt >= c.walkInTargetS + p.walkInStarvationS;
        return active(c) && now - candidateDueAt(c, in.normS) >= p.lateAppointmentS;
    };
    if (auto i = argMin(in, counter, starving, [&](const Candidate& c) { return candidateDueAt(c, in.normS); })) return i;

    auto saveable = [&](const Candidate& c) { return active(c) && candidateDueAt(c, in.normS) >= now; };
    auto otherUrgent = [&](const Candidate& c) { return c.kind == TicketKind::WalkIn || active(c); };
    auto byDue = [&](const Candidate& c) { return candidateDueAt(c, in.normS); };

    auto firstSaveable = argMin(in, counter, saveable, byDue);
    auto isOther = [&](const Candidate& c) { return otherUrgent(c) && !saveable(c); };
    auto firstOther = argMin(in, counter, isOther, byDue);
    if (firstSaveable && !firstOther) return firstSaveable;
    if (!firstOther) return argMin(in, counter, kAny, [](const Candidate& c) { return c.appointmentAt; });

    // The appointments this counter may have to meet soon: those waiting and those booked.
    struct Need { Seconds earliest; Seconds due; Seconds duration; ServiceMask services; bool needsSittingDesk; };
    std::vector<Need> needs;
    for (const Candidate& c : in.waiting)
        if (c.kind == TicketKind::Appointment && canServe(c, counter) &&
            candidateDueAt(c, in.normS) >= now && c.appointmentAt <= now + p.lookAheadS)
            needs.push_back({std::max(now, std::max(c.notBefore, c.appointmentAt - p.activeBeforeS)),
                             candidateDueAt(c, in.normS), c.expectedDurationS, c.services, c.needsSittingDesk});
    for (const UpcomingAppointment& u : in.upcoming)
        if (servesAll(counter.services, u.services) && u.appointmentAt <= now + p.lookAheadS &&
            u.appointmentAt + in.normS >= now)
            needs.push_back({std::max(now, u.appointmentAt - p.activeBeforeS), u.appointmentAt + in.normS,
                             u.expectedDurationS, u.services, false});
    if (needs.empty()) return firstOther;
    std::sort(needs.begin(), needs.end(), [](const Need& a, const Need& b) { return a.due < b.due; });

    // Can this counter serve `first` and every appointment due soon still be met, counting the
    // other counters that will free up?
    auto feasibleAfter = [&](const Candidate& first) {
        struct Server { Seconds freeAt; ServiceMask services; bool sittingDesk; };
        std::vector<Server> servers{{now + first.expectedDurationS, counter.services, counter.sittingDesk}};
        for (const CounterSlot& other : in.counters)
            if (other.available && other.index != counter.index)
                servers.push_back({std::max(now, other.freeAt), other.services, other.sittingDesk});
        for (const Need& need : needs) {
            Server* best = nullptr;
            for (Server& s : servers)
                if (servesAll(s.services, need.services) && deskSuits(s.sittingDesk, need.needsSittingDesk) &&
                    (!best || s.freeAt < best->freeAt))
                    best = &s;
            if (!best) continue; // only this hall's other counters could help, and none can
            Seconds start = std::max(best->freeAt, need.earliest);
            if (start > need.due - p.slackMarginS) return false;
            best->freeAt = start + need.duration;
        }
        return true;
    };
    if (feasibleAfter(in.waiting[*firstOther])) return firstOther;
    if (firstSaveable) return firstSaveable;

    // Only booked visitors are due soon, and they need this counter (a scarce skill): take a
    // visit short enough to leave room for them, earliest due first; never idle while people wait.
    auto leavesRoom = [&](const Candidate& c) { return isOther(c) && feasibleAfter(c); };
    if (auto i = argMin(in, counter, leavesRoom, byDue)) return i;
    return firstOther;
}


} // namespace

std::optional<std::size_t> chooseNext(const DispatchInput& input, const CounterSlot& counter) {
    switch (input.policy) {
    case PolicyKind::Fifo: return chooseFifo(input, counter);
    case PolicyKind::AppointmentsFirst: return chooseAppointmentsFirst(input, counter);
    case PolicyKind::Edf: return chooseEdf(input, counter);
    case PolicyKind::Norm: return choosePlanned(input, counter);
    case PolicyKind::NormV1: return chooseNorm(input, counter);
    }
    return std::nullopt;
}

} // namespace loket::core
