#include "planner.hpp"

#include "experiment.hpp"
#include "generator.hpp"
#include "svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace loket::sim {
namespace {

using Span = std::pair<Seconds, Seconds>;

// The hall's opening as the union of the scenario's shifts, cut into clock hours.
struct Day {
    int firstHour = 0;
    std::vector<std::vector<Span>> covered;   // per hour: the open parts of that hour
    std::vector<std::string> skills;          // every skill any counter has
};

Day dayOf(const ScenarioSpec& spec) {
    std::vector<Span> spans;
    std::set<std::string> skills;
    for (const auto& g : spec.counters) {
        for (const auto& s : g.shifts) spans.push_back(s);
        skills.insert(g.skills.begin(), g.skills.end());
    }
    std::sort(spans.begin(), spans.end());
    std::vector<Span> merged;
    for (const auto& s : spans) {
        if (!merged.empty() && s.first <= merged.back().second) merged.back().second = std::max(merged.back().second, s.second);
        else merged.push_back(s);
    }
    Day d;
    d.skills.assign(skills.begin(), skills.end());
    d.firstHour = static_cast<int>(merged.front().first / 3600);
    const int lastHour = static_cast<int>((merged.back().second - 1) / 3600);
    for (int h = d.firstHour; h <= lastHour; ++h) {
        std::vector<Span> parts;
        for (const auto& m : merged) {
            const Seconds a = std::max<Seconds>(m.first, h * 3600), b = std::min<Seconds>(m.second, (h + 1) * 3600);
            if (a < b) parts.emplace_back(a, b);
        }
        d.covered.push_back(parts);
    }
    return d;
}

Seconds coveredSeconds(const std::vector<Span>& parts) {
    Seconds total = 0;
    for (const auto& p : parts) total += p.second - p.first;
    return total;
}

std::vector<TraceCounter> countersFor(const Day& day, const std::vector<int>& need) {
    std::vector<TraceCounter> out;
    const int most = *std::max_element(need.begin(), need.end());
    for (int k = 0; k < most; ++k) {
        char id[16];
        std::snprintf(id, sizeof id, "P%02d", k + 1);
        TraceCounter c{id, day.skills, {}};
        for (std::size_t h = 0; h < need.size(); ++h) {
            if (need[h] <= k) continue;
            for (const auto& part : day.covered[h]) {
                if (!c.shifts.empty() && c.shifts.back().second == part.first) c.shifts.back().second = part.second;
                else c.shifts.push_back(part);
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

struct HourTally {
    double apptOk = 0, apptN = 0, walkOk = 0, walkN = 0;
};

int hourIndex(const Day& day, Seconds t) {
    return std::clamp(static_cast<int>(t / 3600) - day.firstHour, 0, static_cast<int>(day.covered.size()) - 1);
}

Result<std::vector<HourTally>> evaluate(const Day& day, std::vector<Trace>& traces, const std::vector<int>& need) {
    std::vector<HourTally> tally(day.covered.size());
    const auto counters = countersFor(day, need);
    for (Trace& trace : traces) {
        trace.counters = counters;
        trace.counterEvents.clear(); // breakdowns named the scenario's own counters
        ReplayOptions options;
        options.policy = core::PolicyKind::Norm;
        auto result = replay(trace, options);
        if (!result) return result.error();
        for (const VisitOutcome& v : result.value().visits) {
            if (!v.showed) continue;
            const TraceVisit& tv = trace.visits[v.visit];
            const bool ok = v.withinLimit();
            HourTally& h = tally[static_cast<std::size_t>(hourIndex(day, v.appointment ? tv.tAppt : v.checkInAt))];
            (v.appointment ? h.apptN : h.walkN) += 1;
            (v.appointment ? h.apptOk : h.walkOk) += ok ? 1 : 0;
        }
    }
    return tally;
}

double shareOf(double ok, double n) { return n > 0 ? ok / n : 1.0; }

std::optional<std::size_t> firstFailing(const std::vector<HourTally>& tally, double target) {
    for (std::size_t h = 0; h < tally.size(); ++h)
        if (shareOf(tally[h].apptOk, tally[h].apptN) < target || shareOf(tally[h].walkOk, tally[h].walkN) < target)
            return h;
    return std::nullopt;
}

std::string clockOf(int hour) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:00", hour);
    return buf;
}

} // namespace

double erlangCWithin(int c, double a, double meanServiceS, double withinS) {
    if (c <= 0) return 0;
    if (a <= 0) return 1;
    if (a >= c) return 0;
    // Erlang B by recursion (stable), then C from B.
    double b = 1;
    for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
    const double pWait = b / (1 - (a / c) * (1 - b));
    return 1 - pWait * std::exp(-(c - a) * withinS / meanServiceS);
}

Result<PlanResult> planStaffing(const ScenarioSpec& spec, const PlanOptions& options) {
    const Day day = dayOf(spec);
    std::vector<Trace> traces = generateReplications(spec, spec.seed, options.replications);

    // Demand per hour, pooled over the replications.
    const std::size_t hours = day.covered.size();
    std::vector<double> appts(hours, 0), walks(hours, 0), work(hours, 0), walkWork(hours, 0), apptWork(hours, 0);
    for (const Trace& t : traces)
        for (const TraceVisit& v : t.visits) {
            if (!v.truth.show) continue;
            Seconds took = 0;
            for (Seconds d : v.truth.durS) took += d;
            const auto h = static_cast<std::size_t>(hourIndex(day, v.appointment ? v.tAppt : v.truth.tCheckIn));
            (v.appointment ? appts : walks)[h] += 1;
            (v.appointment ? apptWork : walkWork)[h] += static_cast<double>(took);
            work[h] += static_cast<double>(took);
        }
    const double reps = options.replications;
    double apptTotal = 0, apptWorkTotal = 0;
    for (std::size_t h = 0; h < hours; ++h) {
        apptTotal += appts[h];
        apptWorkTotal += apptWork[h];
    }
    const double meanApptS = apptTotal > 0 ? apptWorkTotal / apptTotal : 600;

    PlanResult plan;
    plan.scenario = spec.name;
    plan.target = options.target;
    plan.replications = options.replications;
    std::vector<int> need(hours, 1);
    for (std::size_t h = 0; h < hours; ++h) {
        const Seconds open = coveredSeconds(day.covered[h]);
        PlanHour ph;
        ph.hour = day.firstHour + static_cast<int>(h);
        ph.appointments = appts[h] / reps;
        ph.walkIns = walks[h] / reps;
        const double visits = appts[h] + walks[h];
        if (visits > 0 && open > 0) {
            const double meanS = work[h] / visits;
            const double load = visits / reps / static_cast<double>(open) * meanS;
            int c = std::max(1, static_cast<int>(std::ceil(load)));
            while (c < options.maxCounters && erlangCWithin(c, load, meanS, static_cast<double>(spec.rules.apptNormS)) < options.target) ++c;
            ph.erlangC = c;
        } else {
            ph.erlangC = 1;
        }
        need[h] = ph.erlangC;
        plan.hours.push_back(ph);
    }

    // Add where the day fails, earliest hour first: a backlog carries forward, so the cause of a
    // failing hour is usually that hour or an earlier one.
    auto tally = evaluate(day, traces, need);
    if (!tally) return tally.error();
    ++plan.evaluations;
    while (auto h = firstFailing(tally.value(), options.target)) {
        if (need[*h] >= options.maxCounters) {
            plan.feasible = false;
            break;
        }
        ++need[*h];
        tally = evaluate(day, traces, need);
        if (!tally) return tally.error();
        ++plan.evaluations;
    }
    // Give back what the day does not need, latest hour first.
    if (plan.feasible)
        for (std::size_t h = hours; h-- > 0;) {
            while (need[h] > 1) {
                --need[h];
                auto trial = evaluate(day, traces, need);
                if (!trial) return trial.error();
                ++plan.evaluations;
                if (firstFailing(trial.value(), options.target)) {
                    ++need[h];
                    break;
                }
                tally = std::move(trial);
            }
        }
    for (std::size_t h = 0; h < hours; ++h) {
        PlanHour& ph = plan.hours[h];
        ph.counters = need[h];
        ph.apptOnTime = shareOf(tally.value()[h].apptOk, tally.value()[h].apptN);
        ph.walkInOnTime = shareOf(tally.value()[h].walkOk, tally.value()[h].walkN);
        const double capacity = need[h] * static_cast<double>(coveredSeconds(day.covered[h])) * options.slotUtilisation;
        ph.appointmentSlots = std::max(0, static_cast<int>(std::floor((capacity - walkWork[h] / reps) / meanApptS)));
    }
    return plan;
}

std::string formatPlan(const PlanResult& plan, bool markdown) {
    std::ostringstream out;
    char buf[256];
    std::snprintf(buf, sizeof buf, "Staffing plan for %s: %.0f %% of appointments within the norm and of walk-ins "
                  "within target, per hour (%d replications, %d plans simulated)%s\n\n",
                  plan.scenario.c_str(), plan.target * 100, plan.replications, plan.evaluations,
                  plan.feasible ? "" : " — NOT reachable within the counter limit");
    out << buf;
    const char* head = markdown ? "| hour | appointments | walk-ins | Erlang-C | counters | appt on time | walk-ins on time | appointment slots |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
                                : "hour    appts  walk-ins  Erlang-C  counters  appt on time  walk-ins on time  appt slots\n";
    out << head;
    for (const PlanHour& h : plan.hours) {
        if (markdown)
            std::snprintf(buf, sizeof buf, "| %s | %.1f | %.1f | %d | %d | %.1f %% | %.1f %% | %d |\n", clockOf(h.hour).c_str(),
                          h.appointments, h.walkIns, h.erlangC, h.counters, h.apptOnTime * 100, h.walkInOnTime * 100,
                          h.appointmentSlots);
        else
            std::snprintf(buf, sizeof buf, "%s  %5.1f  %8.1f  %8d  %8d  %10.1f %%  %14.1f %%  %10d\n", clockOf(h.hour).c_str(),
                          h.appointments, h.walkIns, h.erlangC, h.counters, h.apptOnTime * 100, h.walkInOnTime * 100,
                          h.appointmentSlots);
        out << buf;
    }
    return out.str();
}

std::string planChartSvg(const PlanResult& plan) {
    BarChart chart;
    char title[200];
    std::snprintf(title, sizeof title, "%s: counters needed per hour (%.0f %% within the norm)", plan.scenario.c_str(),
                  plan.target * 100);
    chart.title = title;
    chart.yLabel = "counters";
    BarSeries sim{"needed (simulation)", "#1f5fa8", {}}, erlang{"Erlang-C estimate", "#b0b0b0", {}};
    for (const PlanHour& h : plan.hours) {
        chart.categories.push_back(clockOf(h.hour));
        sim.values.push_back(h.counters);
        erlang.values.push_back(h.erlangC);
    }
    chart.series = {sim, erlang};
    return renderBarChart(chart);
}

// --- A day exported by the hall server -----------------------------------------------------------

namespace {

std::vector<std::string> splitCsv(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char ch = line[i];
        if (quoted) {
            if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') { cell += '"'; ++i; }
            else if (ch == '"') quoted = false;
            else cell += ch;
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            out.push_back(cell);
            cell.clear();
        } else if (ch != '\r') {
            cell += ch;
        }
    }
    out.push_back(cell);
    return out;
}

// "09:12", "09:12:30", "33150", or an ISO date-time ("2025-03-03T09:12:30…"): seconds of the day.
std::optional<Seconds> timeOfDay(const std::string& raw) {
    std::string s = raw;
    if (auto t = s.find('T'); t != std::string::npos) s = s.substr(t + 1);
    if (s.empty()) return std::nullopt;
    if (s.find(':') == std::string::npos) {
        if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
        return std::stoll(s);
    }
    int h = 0, m = 0, sec = 0;
    if (std::sscanf(s.c_str(), "%d:%d:%d", &h, &m, &sec) < 2 || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60)
        return std::nullopt;
    return h * 3600 + m * 60 + sec;
}

} // namespace

Result<ScenarioSpec> scenarioFromExportText(const std::string& csv, const ScenarioSpec& base) {
    std::istringstream in(csv);
    std::string line;
    if (!std::getline(in, line)) return makeError(ErrorCode::InvalidValue, "the export is empty");
    const auto header = splitCsv(line);
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
    for (const char* need : {"kind", "services", "issued_at", "appointment_at", "started_at", "ended_at", "status"})
        if (!col.count(need)) return makeError(ErrorCode::MissingField, std::string("the export has no column '") + need + "'");

    std::set<std::string> known;
    for (const auto& s : base.services) known.insert(s.service.id);
    ScenarioSpec spec = base;
    spec.name = base.name + " (fitted to an exported day)";
    std::map<int, double> apptHours, walkHours;
    std::map<std::string, double> apptMix, walkMix;
    std::map<std::string, std::vector<double>> took;
    int appts = 0, walks = 0, noShows = 0, two = 0, three = 0;
    double offSum = 0, offSq = 0;
    int offN = 0, number = 1;
    while (std::getline(in, line)) {
        ++number;
        if (line.find_first_not_of(" \r") == std::string::npos) continue;
        const auto cells = splitCsv(line);
        auto cell = [&](const char* name) { return col.at(name) < cells.size() ? cells[col.at(name)] : std::string(); };
        const std::string where = "export line " + std::to_string(number) + ": ";
        const std::string kind = cell("kind");
        if (kind != "appointment" && kind != "walk_in" && kind != "walkin")
            return makeError(ErrorCode::InvalidValue, where + "kind must be appointment or walk_in, not '" + kind + "'");
        std::vector<std::string> services;
        std::stringstream ss(cell("services"));
        for (std::string s; std::getline(ss, s, '+');) {
            if (!known.count(s)) return makeError(ErrorCode::UnknownService, where + "unknown service '" + s + "'");
            services.push_back(s);
        }
        if (services.empty()) return makeError(ErrorCode::MissingField, where + "no services");
        const auto issued = timeOfDay(cell("issued_at"));
        if (kind == "appointment") {
            const auto at = timeOfDay(cell("appointment_at"));
            if (!at) return makeError(ErrorCode::InvalidValue, where + "an appointment needs appointment_at");
            ++appts;
            apptHours[static_cast<int>(*at / 3600)] += 1;
            apptMix[services.front()] += 1;
            if (services.size() == 2) ++two;
            if (services.size() >= 3) ++three;
            if (cell("status") == "no_show" || !issued) ++noShows;
            else {
                const double off = static_cast<double>(*issued - *at);
                offSum += off; offSq += off * off; ++offN;
            }
        } else {
            if (!issued) return makeError(ErrorCode::InvalidValue, where + "a walk-in needs issued_at");
            ++walks;
            walkHours[static_cast<int>(*issued / 3600)] += 1;
            walkMix[services.front()] += 1;
        }
        const auto started = timeOfDay(cell("started_at")), ended = timeOfDay(cell("ended_at"));
        if (services.size() == 1 && started && ended && *ended > *started)
            took[services.front()].push_back(static_cast<double>(*ended - *started));
    }
    if (appts + walks == 0) return makeError(ErrorCode::InvalidValue, "the export holds no visits");
    auto profileOf = [](const std::map<int, double>& hours) {
        std::vector<RatePeriod> p;
        for (auto [h, n] : hours) p.push_back({h * 3600, (h + 1) * 3600, n});
        return p;
    };
    spec.appointments = appts;
    spec.walkIns = walks;
    if (appts) {
        spec.bookProfile = profileOf(apptHours);
        spec.appointmentMix = apptMix;
        spec.noShowShare = static_cast<double>(noShows) / appts;
        spec.twoServicesShare = static_cast<double>(two) / appts;
        spec.threeServicesShare = static_cast<double>(three) / appts;
    }
    if (offN >= 2) {
        spec.checkInMeanS = offSum / offN;
        spec.checkInSdS = std::sqrt(std::max(0.0, offSq / offN - spec.checkInMeanS * spec.checkInMeanS));
    }
    if (walks) {
        spec.walkInProfile = profileOf(walkHours);
        spec.walkInMix = walkMix;
    }
    // Measured durations replace the catalogue's where the day has enough of them.
    for (auto& s : spec.services) {
        auto it = took.find(s.service.id);
        if (it == took.end() || it->second.size() < 5) continue;
        double sum = 0, sq = 0;
        for (double d : it->second) { sum += d; sq += d * d; }
        const double n = static_cast<double>(it->second.size()), mean = sum / n;
        s.service.dur.meanS = mean;
        s.service.dur.cv = std::sqrt(std::max(0.0, sq / n - mean * mean)) / mean;
    }
    return spec;
}

Result<ScenarioSpec> scenarioFromExport(const std::string& csvPath, const ScenarioSpec& base) {
    std::ifstream in(csvPath, std::ios::binary);
    if (!in) return makeError(ErrorCode::Io, "cannot open export '" + csvPath + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return scenarioFromExportText(text.str(), base);
}

} // namespace loket::sim
