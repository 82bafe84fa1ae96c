#include "dispatch_planner.hpp"

#include "best_candidate.hpp"
#include "visit_rules.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <tuple>
#include <type_traits>

namespace loket::core {
namespace {

// When only booked visitors who need this counter are at stake, this many short visits are
// tried as gap fillers (in order of due time): a bound on the decision's cost.
constexpr std::size_t kGapFillersTried = 8;

// An appointment visitor the plan must place: one waiting, or one booked who is expected.
struct Need {
    Seconds earliest = 0;            // may start then (arrival, the active window, the cooldown)
    Seconds due = 0;                 // the norm
    Seconds duration = 0;
    ServiceMask services = 0;
    std::optional<CounterIndex> onlyCounter;
    std::optional<std::size_t> waiting;  // index in DispatchInput::waiting
    bool mine = false;                   // the asking counter may serve it
    bool needsSittingDesk = false;       // only a counter with a sitting-height desk (deskSuits)
};

struct Server {
    CounterIndex index = 0;
    Seconds freeAt = 0;
    ServiceMask services = 0;
    double spread2 = 0; // the squared spread of the work planned here so far (sum of squared durations)
    bool sittingDesk = false;
};

class Planner {
public:
    Planner(const DispatchInput& in, const CounterSlot& counter) : m_in(in) {
        const NormPolicyParams& p = in.params;
        m_servers.reserve(in.counters.size() + 1);
        m_servers.push_back({counter.index, in.now, counter.services, 0, counter.sittingDesk});
        for (const CounterSlot& other : in.counters)
            if (other.available && other.index != counter.index)
                m_servers.push_back({other.index, std::max(in.now, other.freeAt), other.services, 0, other.sittingDesk});
        const Seconds until = in.now + p.planHorizonS;
        for (std::size_t i = 0; i < in.waiting.size(); ++i) {
            const Candidate& c = in.waiting[i];
            const Seconds due = candidateDueAt(c, in.normS);
            if (c.kind != TicketKind::Appointment || due < in.now || c.appointmentAt > until) continue;
            m_needs.push_back({std::max({in.now, c.notBefore, c.appointmentAt - p.activeBeforeS}), due,
                               c.expectedDurationS, c.services, c.onlyCounter, i, canServe(c, counter), c.needsSittingDesk});
        }
        for (std::size_t k : expectedArrivals(in.upcoming, until)) {
            const UpcomingAppointment& u = in.upcoming[k];
            if (u.appointmentAt + in.normS < in.now) continue;
            m_needs.push_back({std::max({in.now, u.appointmentAt - kExpectedEarlyArrivalS, u.appointmentAt - p.activeBeforeS}),
                               u.appointmentAt + in.normS, u.expectedDurationS, u.services, std::nullopt, std::nullopt,
                               servesAll(counter.services, u.services)});
        }
        std::sort(m_needs.begin(), m_needs.end(), [](const Need& a, const Need& b) {
            return std::tie(a.due, a.earliest, a.duration) < std::tie(b.due, b.earliest, b.duration);
        });
        m_dropped.assign(m_needs.size(), false);
        rememberBaseline();
    }

    bool empty() const { return m_needs.empty(); }
    // The first waiting visitor the plan (with this counter free now) gives this counter: the
    // plan's answer, which may differ from the earliest due — a visitor only this counter can
    // serve goes before one the others can take in time.
    std::optional<std::size_t> firstHere() const { return m_baselineFirstHere; }
    // The plan with this counter free still misses someone: a crunch ahead.
    bool crunch() const { return m_baselineMisses > 0; }

    // Triage: while the plan with this counter free shows a miss, give up the longest visit
    // placed so far (up to the miss), at most `limit` of them.
    void triage(int limit) {
        for (int k = 0; k < limit; ++k) {
            auto miss = schedule(std::nullopt).firstMiss;
            if (!miss) return;
            std::optional<std::size_t> longest;
            for (std::size_t i = 0; i <= *miss; ++i)
                if (!m_dropped[i] && (!longest || m_needs[i].duration > m_needs[*longest].duration)) longest = i;
            if (!longest) return;
            m_dropped[*longest] = true;
        }
        rememberBaseline();
    }

    bool givenUp(std::size_t waitingIndex) const {
        for (std::size_t i = 0; i < m_needs.size(); ++i)
            if (m_dropped[i] && m_needs[i].waiting == waitingIndex) return true;
        return false;
    }

    // Does serving `first` here now keep the plan as good as it was (no more misses)? Every start
    // in the plan keeps the slack margin; an appointment visitor this counter could serve also
    // the due-time margin for the walk-in's own overrun: walkInRiskPercent of its expected
    // duration, shared by the open counters (a visit that runs long delays the hall's next free
    // counter by about that much over the counters). Visitors only other counters can serve
    // are not delayed by this counter's overrun.
    bool keepsPlan(const Candidate& first, std::size_t firstIndex) {
        const Seconds duration = std::max<Seconds>(first.expectedDurationS, 30);
        m_overrunMargin = duration * m_in.params.walkInRiskPercent / 100 / static_cast<Seconds>(m_servers.size());
        schedule(Busy{m_in.now + duration, firstIndex, duration});
        m_overrunMargin = 0;
        for (std::size_t i = 0; i < m_needs.size(); ++i)
            if (m_missed[i] && (m_needs[i].mine || !m_baselineMissed[i])) return false;
        return true;
    }

private:
    struct Busy { Seconds until; std::size_t waiting; Seconds duration; };
    struct Outcome { int misses = 0; std::optional<std::size_t> firstMiss; };

    void rememberBaseline() {
        m_baselineMisses = schedule(std::nullopt).misses;
        m_baselineFirstHere = m_firstHere;
        m_baselineMissed = m_missed;
    }

    // List scheduling in order of due time: each need goes to the counter that can take it
    // soonest; among those free by its earliest start, the one free latest (so no gap is left
    // that another visit needs); between counters free at the same time, the one with the fewest
    // skills (the counter with a scarce skill stays free for the visitors only it can serve).
    Outcome schedule(std::optional<Busy> busy) {
        m_work = m_servers;
        if (busy) {
            m_work.front().freeAt = busy->until;
            m_work.front().spread2 = static_cast<double>(busy->duration) * static_cast<double>(busy->duration);
        }
        Outcome out;
        m_firstHere.reset();
        m_missed.assign(m_needs.size(), false);
        const Seconds margin = m_in.params.slackMarginS + m_overrunMargin;
        const double risk = m_in.params.planRiskPercent / 100.0;
        for (std::size_t i = 0; i < m_needs.size(); ++i) {
            const Need& n = m_needs[i];
            if (m_dropped[i] || (busy && n.waiting == busy->waiting)) continue;
            Server* best = nullptr;
            bool bestFits = false;
            for (Server& s : m_work) {
                if (!servesAll(s.services, n.services) || !deskSuits(s.sittingDesk, n.needsSittingDesk) ||
                    (n.onlyCounter && *n.onlyCounter != s.index))
                    continue;
                const bool fits = s.freeAt <= n.earliest;
                const bool narrower = best && s.freeAt == best->freeAt && std::popcount(s.services) < std::popcount(best->services);
                if (!best || (fits && (!bestFits || s.freeAt > best->freeAt || narrower)) ||
                    (!fits && !bestFits && (s.freeAt < best->freeAt || narrower))) {
                    best = &s;
                    bestFits = fits;
                }
            }
            if (!best) continue; // no open counter can take it: not this plan's to keep
            const Seconds start = std::max(best->freeAt, n.earliest);
            // The work planned before may run over by about its spread; a counter idle until the
            // visitor can start absorbs that much of it.
            const double idle = static_cast<double>(std::max<Seconds>(0, n.earliest - best->freeAt));
            const double overrun = std::max(0.0, risk * std::sqrt(best->spread2) - idle);
            const Seconds needMargin = n.mine ? margin : m_in.params.slackMarginS;
            if (static_cast<double>(start) + overrun > static_cast<double>(n.due - needMargin)) {
                ++out.misses;
                m_missed[i] = true;
                if (!out.firstMiss) out.firstMiss = i;
            }
            const double carried = risk > 0 ? overrun / risk : 0.0;
            best->spread2 = carried * carried + static_cast<double>(n.duration) * static_cast<double>(n.duration);
            best->freeAt = start + n.duration;
            if (best == &m_work.front() && n.waiting && !m_firstHere) m_firstHere = n.waiting;
        }
        return out;
    }

    const DispatchInput& m_in;
    Seconds m_overrunMargin = 0;     // while judging a walk-in (keepsPlan)
    std::optional<std::size_t> m_firstHere, m_baselineFirstHere;
    std::vector<Server> m_servers;   // this counter first
    std::vector<Server> m_work;
    std::vector<Need> m_needs;       // by due time
    std::vector<bool> m_dropped;
    int m_baselineMisses = 0;
    std::vector<bool> m_missed;          // of the last schedule()
    std::vector<bool> m_baselineMissed;  // with this counter free now
};

template <typename Filter, typename Key>
std::optional<std::size_t> best(const DispatchInput& in, const std::vector<std::size_t>& pool, Filter&& filter, Key&& key) {
    return bestCandidate(in.waiting, pool, filter, key);
}

// The hall's backlog per open counter: the expected work waiting (walk-ins, and appointment
// visitors whose time has come — one who checked in early is not ahead of anyone yet) plus what
// the visits in progress still need, over the open counters — about what one plain queue would make a visitor
// who checks in now wait.
Seconds backlogPerCounter(const DispatchInput& in) {
    double work = 0;
    int open = 0;
    for (const CounterSlot& c : in.counters)
        if (c.available) {
            ++open;
            work += static_cast<double>(std::max<Seconds>(0, c.freeAt - in.now));
        }
    for (const Candidate& c : in.waiting)
        if (c.kind == TicketKind::WalkIn || c.appointmentAt - in.params.activeBeforeS <= in.now)
            work += static_cast<double>(c.expectedDurationS);
    return static_cast<Seconds>(work / std::max(open, 1));
}

} // namespace

std::vector<std::size_t> expectedArrivals(std::span<const UpcomingAppointment> upcoming, Seconds until) {
    std::vector<std::size_t> out;
    double expected = 0.5; // round half up: one booked visitor at 60 % is counted
    for (std::size_t k = 0; k < upcoming.size(); ++k) {
        if (upcoming[k].appointmentAt > until) break;
        const double before = expected;
        expected += upcoming[k].showProbability;
        if (std::floor(expected) != std::floor(before)) out.push_back(k);
    }
    return out;
}

std::optional<std::size_t> choosePlanned(const DispatchInput& in, const CounterSlot& counter) {
    const NormPolicyParams& p = in.params;
    const Seconds now = in.now;
    std::vector<std::size_t> pool;
    pool.reserve(in.waiting.size()); // one allocation, not one per doubling: this runs at every step of a forward run
    for (std::size_t i = 0; i < in.waiting.size(); ++i)
        if (eligible(in.waiting[i], counter, now)) pool.push_back(i);
    if (pool.empty()) return std::nullopt;

    auto waited = [&](const Candidate& c) { return now - candidateWaitFrom(c); };
    auto byWaitFrom = [](const Candidate& c) { return candidateWaitFrom(c); };
    auto byDue = [&](const Candidate& c) { return candidateDueAt(c, in.normS); };
    auto any = [](std::size_t, const Candidate&) { return true; };

    // How many open counters could serve the visit: a counter that alone has a skill serves its
    // own visitors before those every counter can take.
    auto reach = [&](const Candidate& c) {
        int n = 0;
        for (const CounterSlot& s : in.counters)
            n += s.available && canServe(c, s);
        return n;
    };

    // 1. The hard cap: the visitors only this counter can serve first, then the longest wait.
    if (auto i = best(in, pool, [&](std::size_t, const Candidate& c) { return waited(c) >= p.hardCapS; },
                      [&](const Candidate& c) { return std::pair(reach(c), candidateWaitFrom(c)); }))
        return i;

    // 2. The walk-in bound, from the day's load. (An appointment visitor past the norm is not
    //    bound here: letting one who is already late go before those who can still be helped in
    //    time spreads the lateness; the hard cap keeps them from being forgotten.)
    auto active = [&](const Candidate& c) { return c.kind == TicketKind::Appointment && c.appointmentAt - p.activeBeforeS <= now; };
    const Seconds backlog = backlogPerCounter(in);
    const Seconds loadBound = backlog * p.walkInLoadPercent / 100;
    auto boundOf = [&](const Candidate& c) { return std::max(c.walkInTargetS + p.walkInStarvationS, loadBound); };
    const auto firstStarving =
        best(in, pool, [&](std::size_t, const Candidate& c) { return c.kind == TicketKind::WalkIn && waited(c) >= boundOf(c); }, byWaitFrom);

    // 3. The plan, with triage.
    Planner plan(in, counter);
    plan.triage(p.triageLimit);
    auto saveable = [&](std::size_t i, const Candidate& c) { return active(c) && byDue(c) >= now && !plan.givenUp(i); };
    auto other = [&](std::size_t i, const Candidate& c) { return (c.kind == TicketKind::WalkIn || active(c)) && !saveable(i, c); };
    // The plan's first visitor for this counter; else the earliest due.
    auto firstSaveable = best(in, pool, saveable, byDue);
    if (const auto here = plan.firstHere(); here && eligible(in.waiting[*here], counter, now) && saveable(*here, in.waiting[*here]))
        firstSaveable = here;
    const auto firstOther = best(in, pool, other, byDue);
    auto allows = [&](std::size_t i) { return plan.empty() || plan.keepsPlan(in.waiting[i], i); };

    // 4. A walk-in past its bound goes first when the plan allows it or no appointment visitor
    //    here can still be helped in time — and, whatever the plan, once a grace past the bound.
    if (firstStarving) {
        const Candidate& c = in.waiting[*firstStarving];
        if (!firstSaveable) return firstStarving;
        // Past the grace it goes first — unless this counter alone can help the appointment
        // visitor and other counters can take the walk-in.
        const Seconds grace = std::max<Seconds>(p.walkInGraceS, backlog * p.walkInGracePercent / 100);
        const bool graceOver = waited(c) >= boundOf(c) + grace && (reach(in.waiting[*firstSaveable]) > 1 || reach(c) == 1);
        if (graceOver || allows(*firstStarving)) return firstStarving;
    }
    if (!firstOther) {
        if (firstSaveable) return firstSaveable;
        // 6. Early appointment visitors.
        return best(in, pool, any, [](const Candidate& c) { return c.appointmentAt; });
    }
    // 5. The most urgent walk-in (or lost appointment) when the plan allows it; else the plan's
    //    first appointment.
    if (allows(*firstOther)) return firstOther;
    if (firstSaveable) return firstSaveable;
    // A crunch ahead: an appointment visitor who checked in early is served now, within the norm
    // for sure, and leaves the counters free when the crunch comes.
    if (plan.crunch())
        if (auto i = best(in, pool, [&](std::size_t, const Candidate& c) { return c.kind == TicketKind::Appointment && !active(c); },
                          [](const Candidate& c) { return c.appointmentAt; }))
            return i;
    // Only booked visitors are at stake and they need this counter (a scarce skill): a visit short
    // enough to leave them room, earliest due first; never idle while people wait.
    std::vector<std::size_t> fillers;
    for (std::size_t i : pool)
        if (other(i, in.waiting[i]) && in.waiting[i].expectedDurationS < in.waiting[*firstOther].expectedDurationS) fillers.push_back(i);
    std::sort(fillers.begin(), fillers.end(), [&](std::size_t a, std::size_t b) {
        const Candidate &x = in.waiting[a], &y = in.waiting[b];
        return std::tuple(byDue(x), x.checkedInAt, x.id) < std::tuple(byDue(y), y.checkedInAt, y.id);
    });
    if (fillers.size() > kGapFillersTried) fillers.resize(kGapFillersTried);
    for (std::size_t i : fillers)
        if (allows(i)) return i;
    return firstOther;
}

} // namespace loket::core
