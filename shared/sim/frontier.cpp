#include "frontier.hpp"

#include "svg_chart.hpp"

#include <cstdio>

namespace loket::sim {

const std::vector<int>& defaultFrontierKnobs() {
    static const std::vector<int> knobs{0, 40, 60, 80, 100, 130, 160, 200, 300};
    return knobs;
}

Result<Frontier> sweepFrontier(const std::vector<Trace>& traces, const std::vector<int>& knobs,
                               const core::NormPolicyParams& base) {
    if (traces.empty()) return makeError(ErrorCode::InvalidValue, "no traces to sweep");
    std::vector<PolicyRun> runs;
    for (int knob : knobs) {
        core::NormPolicyParams p = base;
        p.walkInLoadPercent = knob;
        runs.push_back(PolicyRun{"norm " + std::to_string(knob) + " %", core::PolicyKind::Norm, false, p});
    }
    for (auto kind : {core::PolicyKind::Fifo, core::PolicyKind::AppointmentsFirst, core::PolicyKind::NormV1})
        runs.push_back(PolicyRun{core::policyName(kind), kind, false, base});
    auto results = runExperiment(traces, runs, false, false);
    if (!results) return results.error();
    Frontier f{traces.front().meta.scenario, static_cast<int>(traces.size()), {}};
    for (const PolicyResults& r : results.value()) {
        const bool curve = r.run.policy == core::PolicyKind::Norm;
        f.points.push_back(FrontierPoint{r.run.label, curve, curve ? r.run.params.walkInLoadPercent : 0,
                                         summary(r, metricColumn("appt_on_time %")), summary(r, metricColumn("walk-in wait p95 min"))});
    }
    return f;
}

std::string frontierSvg(const Frontier& f, const core::NormPolicyParams& defaults) {
    XyChart chart;
    chart.title = f.scenario + ": appointments within the norm against walk-in p95";
    chart.xLabel = "walk-in wait p95 (min)";
    chart.yLabel = "appointment visitors called within 5 min (%)";
    chart.notes = {"norm: the walk-in bound as % of the backlog per open counter (labels; * the default); " +
                       std::to_string(f.replications) + " replications each",
                   "up and to the left is better; the bar: at least appointments_first's height − 1, at most fifo's x × 1.1"};
    PointSeries curve{"norm (walk-in bound varying)", "#1f5fa8", {}, true};
    const std::vector<std::string> colours{"#d62728", "#2ca02c", "#ff7f0e"};
    std::vector<PointSeries> others;
    for (const FrontierPoint& p : f.points) {
        if (p.curve) {
            curve.points.push_back(Point{p.walkInP95.mean, p.apptOnTime.mean,
                                         std::to_string(p.knob) + (p.knob == defaults.walkInLoadPercent ? "*" : "")});
        } else {
            others.push_back(PointSeries{p.label, colours[others.size() % colours.size()],
                                         {Point{p.walkInP95.mean, p.apptOnTime.mean, p.label}}, false});
        }
    }
    chart.series.push_back(curve);
    for (auto& o : others) chart.series.push_back(o);
    return renderXyChart(chart);
}

std::string formatFrontier(const Frontier& f) {
    std::string out;
    for (const FrontierPoint& p : f.points) {
        char line[200];
        std::snprintf(line, sizeof line, "%-22s walk-in p95 %6.1f ± %4.1f min   appointments on time %5.1f ± %4.1f %%\n",
                      p.label.c_str(), p.walkInP95.mean, p.walkInP95.halfWidth, p.apptOnTime.mean, p.apptOnTime.halfWidth);
        out += line;
    }
    return out;
}

} // namespace loket::sim
