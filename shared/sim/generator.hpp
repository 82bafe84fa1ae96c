// The seeded generator: one hall day of a scenario as a trace. The same (scenario, seed,
// replication) gives the same trace on every machine — its own RNG and transforms (random.hpp),
// integer seconds throughout. Appointment times fill the book evenly along the scenario's profile
// (stratified, as a booking system hands out slots); walk-ins arrive independently along theirs.
#pragma once

#include "scenario.hpp"
#include "trace.hpp"

namespace loket::sim {

Trace generateTrace(const ScenarioSpec& spec, std::uint64_t seed, int replication);
// Replications 0 … n−1 of a scenario with one seed: what every policy of an experiment sees.
std::vector<Trace> generateReplications(const ScenarioSpec& spec, std::uint64_t seed, int replications);

// Helpers the generator is built from, public for their tests.
// A duration drawn from `dist` (lognormal with mean and CV), clamped to [min, max], whole seconds.
class Rng;
Seconds drawDuration(Rng& rng, const DurationDist& dist);
// The time where the share `u` ∈ [0,1) of a piecewise-constant arrival profile is reached.
Seconds profileQuantile(const std::vector<RatePeriod>& profile, double u);

} // namespace loket::sim
