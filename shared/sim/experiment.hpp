// Experiments: every policy on the same traces (replications of a scenario, or trace files), with
// the clairvoyant reference beside them, summarised as "mean ± 95 % half-width" per metric.
// Used by `loket-sim run`, the planner and bench/sim.
#pragma once

#include "metrics.hpp"
#include "replay.hpp"

#include <string>
#include <vector>

namespace loket::sim {

struct PolicyRun {
    std::string label;               // "norm", "fifo (clairvoyant)"
    core::PolicyKind policy = core::PolicyKind::Norm;
    bool clairvoyant = false;
    core::NormPolicyParams params;
};

struct PolicyResults {
    PolicyRun run;
    std::vector<DayMetrics> days;    // one per trace, in trace order
};

// "norm,fifo,appointments_first" → runs; with `clairvoyant`, each policy again with the truth.
Result<std::vector<PolicyRun>> parsePolicyList(const std::string& list, bool clairvoyant,
                                               const core::NormPolicyParams& params);

Result<std::vector<PolicyResults>> runExperiment(const std::vector<Trace>& traces, const std::vector<PolicyRun>& runs,
                                                 bool scorePredictions, bool timeDecisions);

// Metrics as rows, runs as columns: "93.1 ± 1.2". Markdown when asked, else aligned text.
std::string formatTable(const std::vector<PolicyResults>& results, bool markdown);

Interval summary(const PolicyResults& r, const MetricColumn& column);

} // namespace loket::sim
