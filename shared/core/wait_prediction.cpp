#include "wait_prediction.hpp"

#include "dispatch_view.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace loket::core {
namespace {

// Booked visitors are expected in the hall a little before their time.
constexpr Seconds kExpectedEarlyArrivalS = 300;
// Look this far into the appointment book.
constexpr Seconds kBookHorizonS = 2 * 3600;

struct Assignment { TicketId id; Seconds waitS; ServiceMask services; };

std::vector<Assignment> forwardRun(const HallState& state, Seconds now, std::vector<Candidate> extra) {
    const HallConfig& config = state.config();
    DispatchView view = buildDispatchView(state, now);
    for (auto& c : extra) view.waiting.push_back(c);

    // Booked appointments become candidates when they are expected to arrive.
    TicketId phantomId = std::numeric_limits<TicketId>::min() / 2;
    for (const auto& u : view.upcoming) {
        if (u.appointmentAt > now + kBookHorizonS) continue;
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

    auto realLeft = [&] {
        return std::any_of(view.waiting.begin(), view.waiting.end(), [](const Candidate& c) { return c.id > 0; });
    };
    std::vector<Assignment> out;
    while (realLeft()) {
        CounterSlot* next = nullptr;
        for (auto& c : counters)
            if (c.available && (!next || c.freeAt < next->freeAt)) next = &c;
        if (!next) break;
        const Seconds t = std::max(now, next->freeAt);
        DispatchInput input = view.input(config, t);
        if (auto i = chooseNext(input, *next)) {
            const Candidate chosen = view.waiting[*i];
            if (chosen.id > 0) out.push_back({chosen.id, t - now, chosen.services});
            next->freeAt = t + std::max<Seconds>(chosen.expectedDurationS, 30);
            view.waiting.erase(view.waiting.begin() + static_cast<std::ptrdiff_t>(*i));
            continue;
        }
        // Nothing for this counter now: wait for the next visitor it could take, or retire it.
        Seconds wake = std::numeric_limits<Seconds>::max();
        for (const Candidate& c : view.waiting) {
            CounterSlot later = *next;
            if (c.notBefore > t && eligible(c, later, c.notBefore)) wake = std::min(wake, c.notBefore);
        }
        if (wake == std::numeric_limits<Seconds>::max()) next->available = false;
        else next->freeAt = wake;
    }
    return out;
}

int positionOf(const std::vector<Assignment>& run, std::size_t k) {
    int position = 1;
    for (std::size_t j = 0; j < k; ++j)
        if (run[j].services & run[k].services) ++position;
    return position;
}

} // namespace

WaitEstimate withRange(Seconds waitS, int position) {
    // The spread grows with the wait: service times vary (CV ≈ 0.35–0.5), and the more visits
    // ahead, the more that adds up. Never a range narrower than a couple of minutes.
    const double spread = 90.0 + 0.25 * static_cast<double>(waitS);
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
    for (std::size_t k = 0; k < run.size(); ++k)
        prediction.tickets[run[k].id] = withRange(run[k].waitS, positionOf(run, k));
    return prediction;
}

std::optional<WaitEstimate> predictNewWalkIn(const HallState& state, Seconds now, ServiceIndex service) {
    const HallConfig& config = state.config();
    const TicketId probe = std::numeric_limits<TicketId>::max();
    Candidate c{probe, TicketKind::WalkIn, now, 0, bit(service), now, std::nullopt,
                state.durations().expected(config, service), config.services[service].walkInTargetS};
    auto run = forwardRun(state, now, {c});
    for (std::size_t k = 0; k < run.size(); ++k)
        if (run[k].id == probe) return withRange(run[k].waitS, positionOf(run, k));
    return std::nullopt;
}

} // namespace loket::core
