// WaitPredictor: what each waiting visitor will wait (core::predictWaits) and what a walk-in
// for each service would wait now, cached by state version. The forward run costs O(n²) in the
// waiting visitors, so it runs on a snapshot of the state, never under the state lock: readers
// and the command writer are not held up by it.
#pragma once

#include "live_state.hpp"

#include "shared/core/wait_prediction.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace loket::server {

using WalkInWaits = std::vector<std::optional<core::WaitEstimate>>; // by service index

class WaitPredictor {
public:
    explicit WaitPredictor(const LiveState& state) : m_state(state) {}

    std::shared_ptr<const core::WaitPrediction> prediction(core::Seconds now);
    std::shared_ptr<const WalkInWaits> newWalkInWaits(core::Seconds now);

private:
    template <typename T>
    struct Cached {
        std::shared_ptr<const T> value;
        std::uint64_t version = ~0ull;
        core::Seconds at = 0;
    };
    template <typename T, typename Compute>
    std::shared_ptr<const T> get(Cached<T>& cache, std::mutex& computeMutex, core::Seconds now, Compute&& compute);

    const LiveState& m_state;
    std::mutex m_cacheMutex;          // held only to read or swap a cached value
    std::mutex m_predictionRun;       // one forward run of each kind at a time
    std::mutex m_walkInRun;
    Cached<core::WaitPrediction> m_prediction;
    Cached<WalkInWaits> m_walkIn;
};

} // namespace loket::server
