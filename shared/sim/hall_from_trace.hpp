// The hall a trace describes, as the core's HallConfig: services (walk-in target = walkin_norm_s),
// counters with a service mask (a counter serves a service when it has the service's skill), the
// norm, the early check-in window and the 300 s no-answer cooldown of sim-trace.md. The trace
// decides who arrives when, so the hall takes check-ins at any hour.
#pragma once

#include "trace.hpp"
#include "shared/core/hall_config.hpp"

namespace loket::sim {

Result<core::HallConfig> hallConfigOf(const Trace& trace, core::PolicyKind policy, const core::NormPolicyParams& params);

// A valid kiosk booking code for the n-th visit of a trace (trace ids such as "A0123" are not:
// codes avoid 0, O, 1 and I).
std::string bookingCodeOf(std::size_t visitIndex);

} // namespace loket::sim
