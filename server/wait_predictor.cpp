#include "wait_predictor.hpp"

#include "log.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

namespace loket::server {
using namespace loket::core;

namespace {
// Waits change as time passes even when nothing happens; recompute at most this often then.
constexpr Seconds kPredictionMaxAgeS = 10;
// In a real hall (a few hundred waiting at most) the prediction is redone after every change;
// in an overloaded one at most once a second, and a ticket newer than the last run shows its
// service's walk-in estimate meanwhile.
constexpr std::size_t kExactPredictionUpTo = 300;
// The refresher yields to the request workers when the cores are busy (a check-in answer is
// the visitor's wait at the kiosk; the estimate can be a moment older and says so), but with a
// third of a worker's share it is not starved by them.
constexpr int kRefresherNice = 5;

bool stale(std::uint64_t cachedVersion, Seconds cachedAt, const StateSnapshot& now, Seconds t) {
    if (t - cachedAt >= kPredictionMaxAgeS) return true;
    if (cachedVersion == now.version) return false;
    return now.waiting < kExactPredictionUpTo || t - cachedAt >= 1;
}
} // namespace

WaitPredictor::WaitPredictor(const LiveState& state) : m_state(state), m_refresher([this] { refreshLoop(); }) {}

WaitPredictor::~WaitPredictor() {
    {
        std::lock_guard lock(m_refreshMutex);
        m_stop = true;
    }
    m_refreshWanted.notify_one();
    m_refresher.join();
}

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

LatestWaits WaitPredictor::latest(Seconds now) {
    {
        std::lock_guard lock(m_refreshMutex);
        if (!m_refreshAt || *m_refreshAt < now) m_refreshAt = now;
    }
    m_refreshWanted.notify_one();
    LatestWaits out;
    {
        std::lock_guard lock(m_cacheMutex);
        out = LatestWaits{m_prediction.value, m_prediction.at, m_walkIn.value, m_walkIn.at};
    }
    // Nothing computed yet: the first check-ins after the start compute it themselves, on the
    // state that already has their ticket.
    if (!out.prediction) out = LatestWaits{prediction(now), now, out.walkIn, out.walkInAt};
    if (!out.walkIn) out = LatestWaits{out.prediction, out.predictionAt, newWalkInWaits(now), now};
    return out;
}

void WaitPredictor::refreshLoop() {
    pthread_setname_np(pthread_self(), "loket-predict");
    // Linux: a thread's nice value is its own. Failing to lower it changes nothing else.
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kRefresherNice);
    std::unique_lock lock(m_refreshMutex);
    for (;;) {
        m_refreshWanted.wait(lock, [this] { return m_stop || m_refreshAt.has_value(); });
        if (m_stop) return;
        const Seconds at = *m_refreshAt;
        m_refreshAt.reset();
        lock.unlock();
        try {
            // The walk-in waits first: a check-in answer that arrives before the run that
            // includes its ticket shows its service's walk-in wait.
            newWalkInWaits(at);
            prediction(at);
        } catch (const std::exception& e) {
            // The answers keep the last results; the next check-in asks again.
            logLine("prediction_failed", {{"error", e.what()}});
        }
        lock.lock();
    }
}

} // namespace loket::server
