#include "wait_prediction.hpp"

#include "dispatch_planner.hpp"
#include "dispatch_view.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <tuple>

namespace loket::core {
namespace {

// Look this far into the appointment book.
constexpr Seconds kBookHorizonS = 2 * 3600;
// The forward run costs O(n²). A real hall has a few hundred visitors waiting at most; beyond
// this many, the later ones (in order of due time) are extrapolated from the run's pace, so an
// overloaded hall still answers its kiosks at once.
constexpr std::size_t kSimulatedUpTo = 400;

struct Assignment { TicketId id; Seconds waitS; ServiceMask services; };

// The run stops early once `until` (a probe) has its counter: what comes after cannot change its
// wait or its position (positions() looks only at those before it).
std::vector<Assignment> forwardRun(const HallState& state, Seconds now, std::vector<Candidate> extra,
                                   std::optional<TicketId> until = std::nullopt) {
    const HallConfig& config = state.config();
    DispatchView view = buildDispatchView(state, now);
    std::vector<Candidate> overflow;
    if (view.waiting.size() > kSimulatedUpTo) {
        auto dueOrder = [&](const Candidate& a, const Candidate& b) {
            return std::tuple(candidateDueAt(a, config.normS), a.checkedInAt, a.id) <
                   std::tuple(candidateDueAt(b, config.normS), b.checkedInAt, b.id);
        };
        std::sort(view.waiting.begin(), view.waiting.end(), dueOrder);
        overflow.assign(view.waiting.begin() + kSimulatedUpTo, view.waiting.end());
        view.waiting.resize(kSimulatedUpTo);
    }
    for (auto& c : extra) view.waiting.push_back(c);

    // Booked appointments become candidates when they are expected to arrive — as many of them
    // as the policy's own plan expects (core::expectedArrivals: today's show rate, and how likely
    // one who has not checked in yet still comes).
    TicketId phantomId = std::numeric_limits<TicketId>::min() / 2;
    for (std::size_t k : expectedArrivals(view.upcoming, now + kBookHorizonS)) {
        const UpcomingAppointment& u = view.upcoming[k];
        Seconds arrive = std::max(now, u.appointmentAt - kExpectedEarlyArrivalS);
        view.waiting.push_back(Candidate{phantomId++, TicketKind::Appointment, arrive, u.appointmentAt, u.services,
                                         arrive, std::nullopt, u.expectedDurationS, 600});
    }
    view.upcoming.clear(); // they are in the queue now, not in the book

    std::vector<CounterSlot>& counters = view.counters;
    bool anyOpen = std::any_of(counters.begin(), counters.end(), [](const CounterSlot& c) { return c.available; });
    if (!anyOpen) {
        // Before the counters open, predict as if the hall's counters were staffed as configured.
        for (std::size_t i = 0; i < counters.size(); ++i) {
            counters[i].available = true;
            counters[i].services = config.counters[i].skills;
        }
    }

    auto realLeft = std::count_if(view.waiting.begin(), view.waiting.end(), [](const Candidate& c) { return c.id > 0; });
    // The queue still to place is view.waiting[first..], in its original order (the planner's
    // ties follow it). A visitor called near the front is removed by shifting the few before it
    // one place on, not the many after it one place back.
    std::size_t first = 0;
    auto queue = [&] { return std::span<const Candidate>(view.waiting).subspan(first); };
    std::vector<Assignment> out;
    while (realLeft > 0) {
        CounterSlot* next = nullptr;
        for (auto& c : counters)
            if (c.available && (!next || c.freeAt < next->freeAt)) next = &c;
        if (!next) break;
        const Seconds t = std::max(now, next->freeAt);
        DispatchInput input = view.input(config, t);
        input.waiting = queue();
        if (auto i = chooseNext(input, *next)) {
            const Candidate chosen = input.waiting[*i];
            if (chosen.id > 0) {
                out.push_back({chosen.id, t - now, chosen.services});
                --realLeft;
                if (chosen.id == until) return out;
            }
            next->freeAt = t + std::max<Seconds>(chosen.expectedDurationS, 30);
            const auto at = view.waiting.begin() + static_cast<std::ptrdiff_t>(first + *i);
            if (*i < input.waiting.size() / 2) {
                std::move_backward(view.waiting.begin() + static_cast<std::ptrdiff_t>(first), at, at + 1);
                ++first;
            } else {
                view.waiting.erase(at);
            }
            continue;
        }
        // Nothing for this counter now: wait for the next visitor it could take, or retire it.
        Seconds wake = std::numeric_limits<Seconds>::max();
        for (const Candidate& c : queue()) {
            CounterSlot later = *next;
            if (c.notBefore > t && eligible(c, later, c.notBefore)) wake = std::min(wake, c.notBefore);
        }
        if (wake == std::numeric_limits<Seconds>::max()) next->available = false;
        else next->freeAt = wake;
    }
    // Beyond the simulated part of the queue: at the pace the run kept.
    if (!overflow.empty() && !out.empty()) {
        const Seconds last = out.back().waitS;
        const double pace = static_cast<double>(std::max<Seconds>(last, 60)) / static_cast<double>(out.size());
        for (std::size_t i = 0; i < overflow.size(); ++i)
            out.push_back({overflow[i].id, last + static_cast<Seconds>(pace * static_cast<double>(i + 1)), overflow[i].services});
    }
    return out;
}

// Position in the run among visitors for the same services: 1 + how many before it share one.
std::vector<int> positions(const std::vector<Assignment>& run) {
    std::vector<int> out(run.size());
    std::array<int, kMaxServices> seen{};
    for (std::size_t k = 0; k < run.size(); ++k) {
        int before = 0;
        for (std::size_t s = 0; s < kMaxServices; ++s)
            if (run[k].services & (ServiceMask{1} << s)) before = std::max(before, seen[s]);
        out[k] = before + 1;
        for (std::size_t s = 0; s < kMaxServices; ++s)
            if (run[k].services & (ServiceMask{1} << s)) ++seen[s];
    }
    return out;
}

} // namespace

WaitEstimate withRange(Seconds waitS, int position) {
    // The spread grows with the wait: service times vary (CV ≈ 0.35–0.5), and the more visits
    // ahead, the more that adds up — but relative to the wait, a wait made of few visits varies
    // most (the sum of n visits spreads as √n, the wait as n): with one or two counters and a
    // short queue, a single long visit moves everyone. Never narrower than a couple of minutes.
    // Sized so that about four in five actual waits fall inside (docs/benchmarks.md).
    const double w = static_cast<double>(waitS);
    const double spread = 150.0 + 0.25 * w + 0.6 * w / std::sqrt(static_cast<double>(std::max(position, 1)));
    WaitEstimate e;
    e.waitS = waitS;
    e.lowS = std::max<Seconds>(0, waitS - static_cast<Seconds>(spread * 0.8));
    e.highS = waitS + static_cast<Seconds>(spread);
    e.position = position;
    return e;
}

WaitPrediction predictWaits(const HallState& state, Seconds now) {
    WaitPrediction prediction;
    auto run = forwardRun(state, now, {});
    auto position = positions(run);
    for (std::size_t k = 0; k < run.size(); ++k)
        prediction.tickets[run[k].id] = withRange(run[k].waitS, position[k]);
    return prediction;
}

std::optional<WaitEstimate> predictNewWalkIn(const HallState& state, Seconds now, ServiceIndex service) {
    const HallConfig& config = state.config();
    const TicketId probe = std::numeric_limits<TicketId>::max();
    Candidate c{probe, TicketKind::WalkIn, now, 0, bit(service), now, std::nullopt,
                state.durations().expected(config, service), config.services[service].walkInTargetS};
    auto run = forwardRun(state, now, {c}, probe);
    auto position = positions(run);
    for (std::size_t k = 0; k < run.size(); ++k)
        if (run[k].id == probe) return withRange(run[k].waitS, position[k]);
    return std::nullopt;
}

} // namespace loket::core
