// The generator's randomness: a seeded xoshiro256** stream and our own transforms to the
// distributions the scenarios need. std::*_distribution is never used — its output differs between
// standard libraries, and a trace must be the same on every machine. The replay itself uses no
// randomness at all. Standard library only.
#pragma once

#include <cstdint>
#include <vector>

namespace loket::sim {

class Rng {
public:
    explicit Rng(std::uint64_t seed);
    std::uint64_t next();
    // Uniform in [0, 1) with 53 random bits.
    double uniform();
    // Uniform integer in [lo, hi] (hi ≥ lo).
    std::int64_t uniformInt(std::int64_t lo, std::int64_t hi);
    bool bernoulli(double p);
    // Standard normal by Box–Muller (one value per call; the second is discarded for simplicity).
    double normal();
    double normal(double mean, double sd) { return mean + sd * normal(); }
    // Lognormal with the given mean and coefficient of variation (sd / mean).
    double lognormalMeanCv(double mean, double cv);
    double exponential(double mean);
    // Index drawn in proportion to `weights` (non-negative, not all zero).
    std::size_t pick(const std::vector<double>& weights);

private:
    std::uint64_t m_s[4];
};

// An independent stream for (seed, replication, purpose): replications and the parts of a trace
// (book, check-ins, durations…) do not shift each other when one of them changes.
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t replication, std::uint64_t purpose);

} // namespace loket::sim
