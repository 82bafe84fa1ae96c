// The norm policy's frontier: appointments within the norm against walk-in p95 as its main knob
// (NormPolicyParams::walkInLoadPercent, the walk-in bound as a share of the backlog per counter)
// varies, with fifo, appointments_first and the earlier reactive norm_v1 as points on the same
// chart. Used by `loket-sim sweep` and bench_sim; every run sees the same traces.
#pragma once

#include "experiment.hpp"

#include <string>
#include <vector>

namespace loket::sim {

struct FrontierPoint {
    std::string label;          // "norm 80 %", "fifo"
    bool curve = false;         // a point of the norm's curve (else a reference policy)
    int knob = 0;               // walkInLoadPercent, for the curve
    Interval apptOnTime;        // percent
    Interval walkInP95;         // minutes
};

struct Frontier {
    std::string scenario;
    int replications = 0;
    std::vector<FrontierPoint> points;
};

// The knob's values swept by default (percent).
const std::vector<int>& defaultFrontierKnobs();

Result<Frontier> sweepFrontier(const std::vector<Trace>& traces, const std::vector<int>& knobs,
                               const core::NormPolicyParams& base);
std::string frontierSvg(const Frontier& frontier, const core::NormPolicyParams& defaults);
// One line per point: "norm 80 %   walk-in p95 21.3 ± 2.0 min   appointments on time 90.1 ± 1.2 %".
std::string formatFrontier(const Frontier& frontier);

} // namespace loket::sim
