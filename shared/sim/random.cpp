#include "random.hpp"

#include <cmath>

namespace loket::sim {
namespace {
std::uint64_t splitMix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
constexpr double kTwoPi = 6.283185307179586476925286766559;
} // namespace

Rng::Rng(std::uint64_t seed) {
    for (auto& s : m_s) s = splitMix(seed);
}

std::uint64_t Rng::next() {
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::int64_t Rng::uniformInt(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(next() % span); // bias < 2^-40 for the spans we use
}

bool Rng::bernoulli(double p) { return uniform() < p; }

double Rng::normal() {
    const double u1 = 1.0 - uniform(); // (0, 1]: log is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

double Rng::lognormalMeanCv(double mean, double cv) {
    const double sigma2 = std::log(1.0 + cv * cv);
    const double mu = std::log(mean) - sigma2 / 2.0;
    return std::exp(mu + std::sqrt(sigma2) * normal());
}

double Rng::exponential(double mean) { return -mean * std::log(1.0 - uniform()); }

std::size_t Rng::pick(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double u = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (u < weights[i]) return i;
        u -= weights[i];
    }
    for (std::size_t i = weights.size(); i-- > 0;)
        if (weights[i] > 0) return i;
    return 0;
}

std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t replication, std::uint64_t purpose) {
    std::uint64_t x = seed ^ (replication * 0xd1b54a32d192ed03ULL) ^ (purpose * 0x8cb92ba72f3d8dd7ULL);
    splitMix(x);
    return splitMix(x);
}

} // namespace loket::sim
