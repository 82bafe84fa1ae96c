// loket-sim: generate hall-day traces, replay them through the real core under the dispatch
// policies, and plan staffing. See docs/sim/README.md.
#include "cli_args.hpp"
#include "shared/sim/experiment.hpp"
#include "shared/sim/frontier.hpp"
#include "shared/sim/generator.hpp"
#include "shared/sim/planner.hpp"
#include "shared/paths/data_path.hpp"
#include "shared/sim/scenario.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>

namespace {

using namespace loket;
using namespace loket::sim;

constexpr const char* kUsage = R"(loket-sim — the hall simulator

  loket-sim generate --scenario <name|file.toml> [--seed <n>] [--replication <r>] [--out <file>]
      One hall day as a hallday/1 trace (JSONL) on stdout or in <file>.
  loket-sim run <trace.jsonl>… [--policy norm,fifo,appointments_first] [options]
  loket-sim run --scenario <name> [--replications 30] [--seed <n>] [--policy …] [options]
      Replays every trace under every policy and prints the metrics side by side
      (mean ± 95 % interval over the traces). Options:
        --clairvoyant     also each policy told the truth (durations, no-shows)
        --predict         score the wait prediction against a queue-length estimate
        --timing          measure the decision time of each "next"
        --markdown        a Markdown table
        --fingerprints    print the event-log fingerprint of each replay
  loket-sim sweep --scenario <name> [--replications 30] [--svg <frontier.svg>] [norm knobs]
      The norm policy's frontier: appointments within the norm against walk-in p95 as the
      walk-in bound (--norm-walkin-load, %) varies, beside fifo, appointments_first and norm_v1.
  loket-sim plan --scenario <name> | --export <day.csv> [--target 0.95] [--replications 10]
                 [--svg <chart.svg>] [--markdown]
      Counters needed per hour to keep the norm, found by simulation, and the appointment
      slots per hour the hall can offer.

Scenarios are read from --scenarios <dir> (default: /usr/share/loket/scenarios when installed,
the source tree's sim/scenarios in a build tree).
Policies: norm, fifo, appointments_first, edf (and norm_v1, the earlier reactive norm).
)";

int fail(const std::string& message) {
    std::fprintf(stderr, "loket-sim: %s\n", message.c_str());
    return 2;
}

Result<std::uint64_t> seedOf(const CliArgs& args, const ScenarioSpec& spec) {
    if (!args.options.count("seed")) return spec.seed;
    auto seed = args.integer("seed", 0);
    if (!seed) return seed.error();
    return static_cast<std::uint64_t>(seed.value());
}

// Installed: /usr/share/loket/scenarios; in a build tree: sim/scenarios of the source.
std::string scenarioDir() { return paths::dataPath("scenarios", LOKET_SCENARIO_DIR).string(); }

Result<ScenarioSpec> scenarioOf(const CliArgs& args) {
    if (!args.options.count("scenario")) return makeError(ErrorCode::MissingField, "--scenario is required");
    return loadScenario(args.get("scenario", ""), args.get("scenarios", scenarioDir()));
}

int generate(const CliArgs& args) {
    auto spec = scenarioOf(args);
    if (!spec) return fail(spec.error().message);
    auto seed = seedOf(args, spec.value());
    auto rep = args.integer("replication", 0);
    if (!seed) return fail(seed.error().message);
    if (!rep) return fail(rep.error().message);
    const std::string text = writeTrace(generateTrace(spec.value(), seed.value(), static_cast<int>(rep.value())));
    if (!args.options.count("out")) {
        std::cout << text;
        return 0;
    }
    std::ofstream out(args.get("out", ""), std::ios::binary);
    if (!(out << text)) return fail("cannot write " + args.get("out", ""));
    return 0;
}

Result<std::vector<Trace>> tracesOf(const CliArgs& args) {
    std::vector<Trace> traces;
    for (const auto& path : args.positional) {
        auto trace = readTraceFile(path);
        if (!trace) return trace.error();
        traces.push_back(std::move(trace.value()));
    }
    if (args.options.count("scenario")) {
        auto spec = scenarioOf(args);
        if (!spec) return spec.error();
        auto seed = seedOf(args, spec.value());
        auto reps = args.integer("replications", 30);
        if (!seed) return seed.error();
        if (!reps) return reps.error();
        if (reps.value() < 1 || reps.value() > 10000) return makeError(ErrorCode::InvalidValue, "--replications must be 1-10000");
        for (Trace& t : generateReplications(spec.value(), seed.value(), static_cast<int>(reps.value())))
            traces.push_back(std::move(t));
    }
    if (traces.empty()) return makeError(ErrorCode::MissingField, "give trace files or --scenario");
    return traces;
}

Result<core::NormPolicyParams> normParamsOf(const CliArgs& args) {
    core::NormPolicyParams p;
    struct Knob { const char* name; Seconds* field; };
    for (Knob k : {Knob{"norm-active-before", &p.activeBeforeS}, Knob{"norm-starvation", &p.walkInStarvationS},
                   Knob{"norm-slack", &p.slackMarginS}, Knob{"norm-lookahead", &p.lookAheadS},
                   Knob{"norm-late-appointment", &p.lateAppointmentS}, Knob{"norm-horizon", &p.planHorizonS},
                   Knob{"norm-hard-cap", &p.hardCapS}, Knob{"norm-walkin-grace", &p.walkInGraceS}}) {
        auto v = args.integer(k.name, *k.field);
        if (!v) return v.error();
        *k.field = v.value();
    }
    auto load = args.integer("norm-walkin-load", p.walkInLoadPercent);
    auto triage = args.integer("norm-triage", p.triageLimit);
    auto risk = args.integer("norm-plan-risk", p.planRiskPercent);
    auto gracePct = args.integer("norm-walkin-grace-load", p.walkInGracePercent);
    auto walkInRisk = args.integer("norm-walkin-risk", p.walkInRiskPercent);
    if (!walkInRisk) return walkInRisk.error();
    p.walkInRiskPercent = static_cast<int>(walkInRisk.value());
    if (!gracePct) return gracePct.error();
    p.walkInGracePercent = static_cast<int>(gracePct.value());
    if (!load) return load.error();
    if (!triage) return triage.error();
    if (!risk) return risk.error();
    p.walkInLoadPercent = static_cast<int>(load.value());
    p.triageLimit = static_cast<int>(triage.value());
    p.planRiskPercent = static_cast<int>(risk.value());
    return p;
}

int run(const CliArgs& args) {
    auto traces = tracesOf(args);
    if (!traces) return fail(traces.error().message);
    auto params = normParamsOf(args);
    if (!params) return fail(params.error().message);
    auto runs = parsePolicyList(args.get("policy", "norm,fifo,appointments_first"), args.flags.count("clairvoyant") > 0,
                                params.value());
    if (!runs) return fail(runs.error().message);
    auto results = runExperiment(traces.value(), runs.value(), args.flags.count("predict") > 0,
                                 args.flags.count("timing") > 0);
    if (!results) return fail(results.error().message);
    const Trace& first = traces.value().front();
    std::printf("%s: %zu trace(s)\n\n", first.meta.scenario.c_str(), traces.value().size());
    std::fputs(formatTable(results.value(), args.flags.count("markdown") > 0).c_str(), stdout);
    if (args.flags.count("fingerprints"))
        for (const auto& r : results.value())
            for (std::size_t i = 0; i < r.days.size(); ++i)
                std::printf("%s replication %d %s: %s\n", traces.value()[i].meta.scenario.c_str(),
                            traces.value()[i].meta.replication, r.run.label.c_str(), r.days[i].fingerprint.c_str());
    return 0;
}

int sweep(const CliArgs& args) {
    auto traces = tracesOf(args);
    if (!traces) return fail(traces.error().message);
    auto params = normParamsOf(args);
    if (!params) return fail(params.error().message);
    auto frontier = sweepFrontier(traces.value(), defaultFrontierKnobs(), params.value());
    if (!frontier) return fail(frontier.error().message);
    std::printf("%s: %zu trace(s)\n\n%s", frontier.value().scenario.c_str(), traces.value().size(),
                formatFrontier(frontier.value()).c_str());
    if (args.options.count("svg")) {
        std::ofstream out(args.get("svg", ""), std::ios::binary);
        if (!(out << frontierSvg(frontier.value(), params.value()))) return fail("cannot write " + args.get("svg", ""));
    }
    return 0;
}

int plan(const CliArgs& args) {
    PlanOptions options;
    auto target = args.real("target", options.target);
    auto reps = args.integer("replications", options.replications);
    if (!target) return fail(target.error().message);
    if (!reps) return fail(reps.error().message);
    options.target = target.value();
    options.replications = static_cast<int>(reps.value());
    if (options.target <= 0 || options.target > 1) return fail("--target is a share between 0 and 1, e.g. 0.95");
    if (options.replications < 1 || options.replications > 1000) return fail("--replications must be 1-1000");

    Result<ScenarioSpec> spec = makeError(ErrorCode::MissingField, "give --scenario or --export");
    if (args.options.count("export")) {
        auto base = args.options.count("scenario") ? scenarioOf(args)
                                                   : loadScenario("medium_monday_peak", args.get("scenarios", scenarioDir()));
        if (!base) return fail(base.error().message);
        spec = scenarioFromExport(args.get("export", ""), base.value());
    } else if (args.options.count("scenario")) {
        spec = scenarioOf(args);
    }
    if (!spec) return fail(spec.error().message);
    auto result = planStaffing(spec.value(), options);
    if (!result) return fail(result.error().message);
    std::fputs(formatPlan(result.value(), args.flags.count("markdown") > 0).c_str(), stdout);
    if (args.options.count("svg")) {
        std::ofstream out(args.get("svg", ""), std::ios::binary);
        if (!(out << planChartSvg(result.value()))) return fail("cannot write " + args.get("svg", ""));
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    auto args = loket::sim::parseCli(
        argc, argv,
        {"scenario", "scenarios", "seed", "replication", "replications", "out", "policy", "target", "export", "svg",
         "norm-active-before", "norm-starvation", "norm-slack", "norm-lookahead", "norm-late-appointment",
         "norm-horizon", "norm-hard-cap", "norm-walkin-load", "norm-walkin-grace", "norm-triage", "norm-plan-risk",
         "norm-walkin-grace-load", "norm-walkin-risk"},
        {"clairvoyant", "predict", "timing", "markdown", "fingerprints", "help"});
    if (!args) {
        std::fprintf(stderr, "loket-sim: %s\n\n%s", args.error().message.c_str(), kUsage);
        return 2;
    }
    const std::string& command = args.value().command;
    if (command == "generate") return generate(args.value());
    if (command == "run") return run(args.value());
    if (command == "plan") return plan(args.value());
    if (command == "sweep") return sweep(args.value());
    if (command == "help" || command == "--help" || command == "-h") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    std::fprintf(stderr, "loket-sim: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
}
