// bench_sim: every scenario × N replications × every policy (+ the clairvoyant norm), as Markdown
// for docs/benchmarks.md; then the norm policy's bar per scenario, the wait prediction against
// the queue-length estimate, and how long one large_city_25 day takes to replay.
//
//   bench_sim [--replications 30] [--scenario name]… [--no-predict]
//   bench_sim --curve <scenario> --svg <file> [--replications 30]
//       the norm policy's trade-off curve (appointments on time against walk-in p95 as its
//       walk-in starvation limit varies) beside the baselines' points.
#include "shared/sim/experiment.hpp"
#include "shared/sim/svg_chart.hpp"
#include "shared/sim/generator.hpp"
#include "shared/sim/scenario.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

using namespace loket;
using namespace loket::sim;

namespace {

struct Bar {
    std::string scenario;
    Interval normOnTime, afOnTime, normWalkP95, fifoWalkP95;
    Interval predMae, queueMae;
};

const MetricColumn& column(const std::string& name) {
    for (const auto& c : metricColumns())
        if (c.name == name) return c;
    std::fprintf(stderr, "no metric %s\n", name.c_str());
    std::abort();
}

const PolicyResults& resultsOf(const std::vector<PolicyResults>& all, const std::string& label) {
    return *std::find_if(all.begin(), all.end(), [&](const PolicyResults& r) { return r.run.label == label; });
}

double replaySeconds(const Trace& trace, core::PolicyKind policy, int repeats) {
    ReplayOptions options;
    options.policy = policy;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < repeats; ++i)
        if (!replay(trace, options)) std::abort();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
}

std::optional<std::vector<Trace>> scenarioTraces(const std::string& name, int replications) {
    auto spec = loadScenario(name, LOKET_SCENARIO_DIR);
    if (!spec) {
        std::fprintf(stderr, "%s\n", spec.error().message.c_str());
        return std::nullopt;
    }
    return generateReplications(spec.value(), spec.value().seed, replications);
}

int tradeoffCurve(const std::string& name, const std::string& svgPath, int replications) {
    auto loaded = scenarioTraces(name, replications);
    if (!loaded) return 1;
    const std::vector<Trace>& traces = *loaded;
    std::vector<PolicyRun> runs;
    const std::vector<Seconds> limits{0, 300, 600, 900, 1200, 1800, 2700, 3600, 7200};
    for (Seconds limit : limits) {
        core::NormPolicyParams p;
        p.walkInStarvationS = limit;
        runs.push_back(PolicyRun{"norm starvation " + std::to_string(limit / 60) + " min", core::PolicyKind::Norm, false, p});
    }
    for (auto kind : {core::PolicyKind::Fifo, core::PolicyKind::AppointmentsFirst, core::PolicyKind::Edf})
        runs.push_back(PolicyRun{core::policyName(kind), kind, false, {}});
    auto results = runExperiment(traces, runs, false, false);
    if (!results) {
        std::fprintf(stderr, "%s\n", results.error().message.c_str());
        return 1;
    }
    XyChart chart;
    chart.title = name + ": appointments on time against walk-in p95";
    chart.xLabel = "walk-in wait p95 (min)";
    chart.yLabel = "appointment visitors called within 5 min (%)";
    chart.notes = {"norm: walk-ins go first once this far past their 10-minute target (labels, minutes; * the default); " +
                       std::to_string(replications) + " replications each",
                   "up and to the left is better; the issue's bar: at least appointments_first's height, at most fifo's x + 10 %"};
    PointSeries curve{"norm (varying)", "#1f5fa8", {}, true};
    const std::vector<std::string> colours{"#d62728", "#2ca02c", "#ff7f0e"};
    std::vector<PointSeries> baselines;
    for (const auto& r : results.value()) {
        const double x = summary(r, column("walk-in wait p95 min")).mean, y = summary(r, column("appt_on_time %")).mean;
        if (r.run.policy == core::PolicyKind::Norm) {
            const Seconds limit = r.run.params.walkInStarvationS;
            curve.points.push_back(Point{x, y, std::to_string(limit / 60) + (limit == core::NormPolicyParams{}.walkInStarvationS ? "*" : "")});
        } else {
            baselines.push_back(PointSeries{r.run.label, colours[baselines.size() % colours.size()], {Point{x, y, r.run.label}}, false});
        }
        std::printf("%-28s walk-in p95 %6.1f min   appt on time %5.1f %%\n", r.run.label.c_str(), x, y);
    }
    chart.series.push_back(curve);
    for (auto& b : baselines) chart.series.push_back(b);
    std::ofstream out(svgPath, std::ios::binary);
    if (!(out << renderXyChart(chart))) {
        std::fprintf(stderr, "cannot write %s\n", svgPath.c_str());
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    int replications = 30;
    bool predict = true;
    std::vector<std::string> scenarios;
    std::string curve, svg;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--replications") && i + 1 < argc) replications = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--curve") && i + 1 < argc) curve = argv[++i];
        else if (!std::strcmp(argv[i], "--svg") && i + 1 < argc) svg = argv[++i];
        else if (!std::strcmp(argv[i], "--scenario") && i + 1 < argc) scenarios.push_back(argv[++i]);
        else if (!std::strcmp(argv[i], "--no-predict")) predict = false;
        else {
            std::fprintf(stderr, "usage: bench_sim [--replications N] [--scenario name]… [--no-predict]\n"
                                 "       bench_sim --curve <scenario> --svg <file> [--replications N]\n");
            return 2;
        }
    }
    if (replications < 2) {
        std::fprintf(stderr, "--replications must be at least 2\n");
        return 2;
    }
    if (!curve.empty()) return svg.empty() ? 2 : tradeoffCurve(curve, svg, replications);
    if (scenarios.empty())
        scenarios = {"small_town_tuesday", "medium_monday_peak", "large_city_25", "passport_rush_june", "heavy_no_show"};

    std::vector<Bar> bars;
    for (const auto& name : scenarios) {
        auto loaded = scenarioTraces(name, replications);
        if (!loaded) return 1;
        const std::vector<Trace>& traces = *loaded;
        auto runs = parsePolicyList("norm,fifo,appointments_first,edf", false, {});
        PolicyRun seeing = runs.value().front();
        seeing.label = "norm (clairvoyant)";
        seeing.clairvoyant = true;
        runs.value().push_back(seeing);
        const auto started = std::chrono::steady_clock::now();
        auto results = runExperiment(traces, runs.value(), predict, true);
        if (!results) {
            std::fprintf(stderr, "%s\n", results.error().message.c_str());
            return 1;
        }
        const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::printf("### %s (%d replications, %.1f s)\n\n%s\n", name.c_str(), replications, took,
                    formatTable(results.value(), true).c_str());
        const auto& all = results.value();
        bars.push_back(Bar{name, summary(resultsOf(all, "norm"), column("appt_on_time %")),
                           summary(resultsOf(all, "appointments_first"), column("appt_on_time %")),
                           summary(resultsOf(all, "norm"), column("walk-in wait p95 min")),
                           summary(resultsOf(all, "fifo"), column("walk-in wait p95 min")),
                           summary(resultsOf(all, "norm"), column("pred_mae min")),
                           summary(resultsOf(all, "norm"), column("queue-length mae min"))});
    }

    std::printf("### The norm policy's bar\n\n| scenario | norm appt on time | appointments_first | ≥ AF − 1 pp | norm walk-in p95 | fifo walk-in p95 × 1.1 | ≤ | prediction MAE | queue-length MAE |\n|---|---:|---:|:-:|---:|---:|:-:|---:|---:|\n");
    for (const Bar& b : bars) {
        const bool appt = b.normOnTime.mean >= b.afOnTime.mean - 1.0;
        const bool walk = b.normWalkP95.mean <= b.fifoWalkP95.mean * 1.1;
        std::printf("| %s | %.1f ± %.1f %% | %.1f ± %.1f %% | %s | %.1f ± %.1f min | %.1f min | %s | %.2f min | %.2f min |\n",
                    b.scenario.c_str(), b.normOnTime.mean, b.normOnTime.halfWidth, b.afOnTime.mean, b.afOnTime.halfWidth,
                    appt ? "yes" : "**no**", b.normWalkP95.mean, b.normWalkP95.halfWidth, b.fifoWalkP95.mean * 1.1,
                    walk ? "yes" : "**no**", b.predMae.mean, b.queueMae.mean);
    }

    auto large = loadScenario("large_city_25", LOKET_SCENARIO_DIR);
    if (large) {
        const Trace day = generateTrace(large.value(), large.value().seed, 0);
        std::printf("\n### Replay time of one large_city_25 day (%zu visitors, %zu counters)\n\n", day.visits.size(),
                    day.counters.size());
        for (auto policy : {core::PolicyKind::Norm, core::PolicyKind::Fifo, core::PolicyKind::AppointmentsFirst, core::PolicyKind::Edf})
            std::printf("- %s: %.1f ms\n", core::policyName(policy), 1000 * replaySeconds(day, policy, 5));
    }
    return 0;
}
