#include "wait_predictor.hpp"

namespace loket::server {
using namespace loket::core;

namespace {
// Waits change as time passes even when nothing happens; recompute at most this often then.
constexpr Seconds kPredictionMaxAgeS = 10;
// In a real hall (a few hundred waiting at most) the prediction is redone after every change;
// in an overloaded one at most once a second, and a ticket newer than the last run shows its
// service's walk-in estimate meanwhile.
constexpr std::size_t kExactPredictionUpTo = 300;

bool stale(std::uint64_t cachedVersion, Seconds cachedAt, const StateSnapshot& now, Seconds t) {
    if (t - cachedAt >= kPredictionMaxAgeS) return true;
    if (cachedVersion == now.version) return false;
    return now.waiting < kExactPredictionUpTo || t - cachedAt >= 1;
}
} // namespace

template <typename T, typename Compute>
std::shared_ptr<const T> WaitPredictor::get(Cached<T>& cache, std::mutex& computeMutex, Seconds now, Compute&& compute) {
    const StateSnapshot current = m_state.version();
    {
        std::lock_guard lock(m_cacheMutex);
        if (cache.value && !stale(cache.version, cache.at, current, now)) return cache.value;
    }
    std::unique_lock run(computeMutex, std::try_to_lock);
    if (!run) {
        // Someone is computing. Only aged (same state), or an overloaded hall (which takes an
        // estimate up to a second old anyway): serve the cached value meanwhile. Waiting for
        // the run held every check-in answer for the whole forward run over thousands waiting.
        {
            std::lock_guard lock(m_cacheMutex);
            if (cache.value && (cache.version == current.version || current.waiting >= kExactPredictionUpTo)) return cache.value;
        }
        run.lock();
        std::lock_guard lock(m_cacheMutex);
        if (cache.value && !stale(cache.version, cache.at, current, now)) return cache.value;
    }
    // Copied only now that a run is due (a copy per state version, shared by both caches).
    const StateSnapshot snapshot = m_state.snapshot();
    auto value = std::make_shared<const T>(compute(*snapshot.state)); // no lock but our own run's
    std::lock_guard lock(m_cacheMutex);
    if (!cache.value || cache.version != snapshot.version || cache.at <= now) cache = Cached<T>{value, snapshot.version, now};
    return value;
}

std::shared_ptr<const WaitPrediction> WaitPredictor::prediction(Seconds now) {
    return get(m_prediction, m_predictionRun, now, [now](const HallState& state) { return predictWaits(state, now); });
}

std::shared_ptr<const WalkInWaits> WaitPredictor::newWalkInWaits(Seconds now) {
    return get(m_walkIn, m_walkInRun, now, [now](const HallState& state) {
        WalkInWaits waits;
        for (std::size_t s = 0; s < state.config().services.size(); ++s)
            waits.push_back(predictNewWalkIn(state, now, static_cast<ServiceIndex>(s)));
        return waits;
    });
}

} // namespace loket::server
