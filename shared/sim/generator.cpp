#include "generator.hpp"

#include "random.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace loket::sim {
namespace {

enum Stream : std::uint64_t { kBook = 1, kWalkIns = 2, kBreakdowns = 3, kFailures = 4 };

std::string visitId(char kind, int n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%04d", kind, n);
    return buf;
}

struct Mix {
    std::vector<std::string> ids;
    std::vector<double> weights;
};

Mix mixOf(const std::map<std::string, double>& m) {
    Mix out;
    for (const auto& [id, w] : m) {
        out.ids.push_back(id);
        out.weights.push_back(w);
    }
    return out;
}

const ServiceSpec& specOf(const ScenarioSpec& s, const std::string& id) {
    return *std::find_if(s.services.begin(), s.services.end(), [&](const ServiceSpec& x) { return x.service.id == id; });
}

// Second and third services of one visit: services that combine, weighted as the visit's own mix,
// never the same service twice.
void addServices(Rng& rng, const ScenarioSpec& s, const std::map<std::string, double>& weights, bool walkIn,
                 std::size_t total, std::vector<std::string>& services) {
    Mix m;
    for (const auto& [id, w] : weights) {
        const ServiceSpec& spec = specOf(s, id);
        if (spec.combine && (!walkIn || spec.service.walkIn)) {
            m.ids.push_back(id);
            m.weights.push_back(w);
        }
    }
    while (services.size() < total) {
        for (std::size_t i = 0; i < m.ids.size(); ++i)
            if (std::find(services.begin(), services.end(), m.ids[i]) != services.end()) m.weights[i] = 0;
        if (std::all_of(m.weights.begin(), m.weights.end(), [](double w) { return w <= 0; })) return;
        services.push_back(m.ids[rng.pick(m.weights)]);
    }
}

// A booking system offers a product only when a counter that can do it is on duty, and a kiosk
// only the products someone in the hall can serve now.
bool servable(const Trace& t, const ScenarioSpec& s, const std::vector<std::string>& services, Seconds at) {
    for (const auto& c : t.counters) {
        const bool onDuty = std::any_of(c.shifts.begin(), c.shifts.end(), [&](auto sh) { return at >= sh.first && at < sh.second; });
        if (!onDuty) continue;
        const bool skilled = std::all_of(services.begin(), services.end(), [&](const std::string& id) {
            return std::find(c.skills.begin(), c.skills.end(), specOf(s, id).service.skill) != c.skills.end();
        });
        if (skilled) return true;
    }
    return false;
}

// The services of one visit: a first from the mix, more with the given shares, redrawn (a few
// times) until a counter on duty at `at` can serve them all.
std::vector<std::string> drawServices(Rng& rng, const Trace& t, const ScenarioSpec& s, const std::map<std::string, double>& weights,
                                      bool walkIn, double twoShare, double threeShare, Seconds at) {
    const Mix mix = mixOf(weights);
    std::vector<std::string> services;
    for (int attempt = 0; attempt < 20; ++attempt) {
        services = {mix.ids[rng.pick(mix.weights)]};
        const double more = rng.uniform();
        const std::size_t count = more < threeShare ? 3 : more < threeShare + twoShare ? 2 : 1;
        addServices(rng, s, weights, walkIn, count, services);
        if (servable(t, s, services, at)) break;
    }
    return services;
}

void callTruth(Rng& rng, const ScenarioSpec& s, VisitTruth& truth) {
    const double u = rng.uniform();
    if (u < s.goneShare) truth.answersCall = {false, false};
    else if (u < s.goneShare + s.noAnswerShare) truth.answersCall = {false, true};
}

void durations(Rng& rng, const ScenarioSpec& s, TraceVisit& v) {
    for (const auto& id : v.services) v.truth.durS.push_back(drawDuration(rng, specOf(s, id).service.dur));
}

} // namespace

Seconds drawDuration(Rng& rng, const DurationDist& dist) {
    const double x = dist.cv > 0 ? rng.lognormalMeanCv(dist.meanS, dist.cv) : dist.meanS;
    return std::clamp(static_cast<Seconds>(std::llround(x)), dist.minS, dist.maxS);
}

Seconds profileQuantile(const std::vector<RatePeriod>& profile, double u) {
    double total = 0;
    for (const auto& p : profile) total += p.weight * static_cast<double>(p.to - p.from);
    double target = u * total;
    for (const auto& p : profile) {
        const double mass = p.weight * static_cast<double>(p.to - p.from);
        if (target < mass && p.weight > 0) return p.from + static_cast<Seconds>(target / p.weight);
        target -= mass;
    }
    return profile.back().to - 1;
}

Trace generateTrace(const ScenarioSpec& s, std::uint64_t seed, int replication) {
    Trace t;
    t.meta.scenario = s.name;
    t.meta.date = s.date;
    t.meta.seed = seed;
    t.meta.replication = replication;
    t.rules = s.rules;
    for (const auto& spec : s.services) t.services.push_back(spec.service);
    for (const auto& g : s.counters)
        for (int k = 1; k <= g.count; ++k) {
            char id[32];
            std::snprintf(id, sizeof id, "%s%02d", g.prefix.c_str(), k);
            t.counters.push_back(TraceCounter{id, g.skills, g.shifts});
        }

    const auto rep = static_cast<std::uint64_t>(replication);
    Rng book(mixSeed(seed, rep, kBook));
    for (int k = 0; k < s.appointments; ++k) {
        TraceVisit v;
        v.id = visitId('A', k + 1);
        v.appointment = true;
        const double u = (k + book.uniform()) / s.appointments;
        v.tAppt = profileQuantile(s.bookProfile, u) / s.bookGridS * s.bookGridS;
        v.services = drawServices(book, t, s, s.appointmentMix, false, s.twoServicesShare, s.threeServicesShare, v.tAppt);
        v.truth.show = !book.bernoulli(s.noShowShare);
        const auto offset = static_cast<Seconds>(std::llround(book.normal(s.checkInMeanS, s.checkInSdS)));
        v.truth.tCheckIn = v.tAppt + std::clamp(offset, -s.rules.earlyCheckInWindowS, s.rules.lateGraceS);
        durations(book, s, v);
        callTruth(book, s, v.truth);
        if (!v.truth.show) v.truth = VisitTruth{false, 0, {}, {}, std::nullopt};
        t.visits.push_back(std::move(v));
    }

    Rng walk(mixSeed(seed, rep, kWalkIns));
    std::vector<Seconds> arrivals;
    for (int k = 0; k < s.walkIns; ++k) arrivals.push_back(profileQuantile(s.walkInProfile, walk.uniform()));
    std::sort(arrivals.begin(), arrivals.end());
    for (int k = 0; k < s.walkIns; ++k) {
        TraceVisit v;
        v.id = visitId('W', k + 1);
        v.truth.tCheckIn = arrivals[static_cast<std::size_t>(k)];
        v.services = drawServices(walk, t, s, s.walkInMix, true, s.walkInTwoServicesShare, 0, v.truth.tCheckIn);
        durations(walk, s, v);
        callTruth(walk, s, v.truth);
        if (walk.bernoulli(s.leaveShare))
            v.truth.tLeave = v.truth.tCheckIn +
                std::max<Seconds>(600, static_cast<Seconds>(std::llround(walk.normal(s.leaveAfterMeanS, s.leaveAfterSdS))));
        t.visits.push_back(std::move(v));
    }

    Rng downs(mixSeed(seed, rep, kBreakdowns));
    for (const auto& c : t.counters) {
        if (!downs.bernoulli(s.counterDownChance)) continue;
        const Seconds from = c.shifts.front().first, to = c.shifts.back().second;
        const Seconds at = downs.uniformInt(from, to - 1);
        const Seconds lasts = std::max<Seconds>(600, static_cast<Seconds>(std::llround(downs.exponential(s.counterDownMeanS))));
        t.counterEvents.push_back(CounterEvent{c.id, at, "down", at + lasts});
    }
    Rng failing(mixSeed(seed, rep, kFailures));
    for (const auto& f : s.failures) {
        const Seconds at = failing.uniformInt(f.from, f.to - 1);
        t.counterEvents.push_back(CounterEvent{f.counter, at, "down", f.until});
    }
    return t;
}

std::vector<Trace> generateReplications(const ScenarioSpec& spec, std::uint64_t seed, int replications) {
    std::vector<Trace> traces;
    for (int r = 0; r < replications; ++r) traces.push_back(generateTrace(spec, seed, r));
    return traces;
}

} // namespace loket::sim
