// WaitPredictor: what each waiting visitor will wait (core::predictWaits) and what a walk-in
// for each service would wait now, cached by state version. The forward run costs O(n²) in the
// waiting visitors, so it runs on a snapshot of the state, never under the state lock: readers
// and the command writer are not held up by it.
//
// A kiosk's check-in answer does not run it at all (`latest`): it takes the latest results and
// asks a refresher thread of the predictor's own to bring them up to date. The refresher
// coalesces: however many check-ins ask while it runs, it runs once more afterwards, on the
// state as it is then.
#pragma once

#include "live_state.hpp"

#include "shared/core/wait_prediction.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace loket::server {

using WalkInWaits = std::vector<std::optional<core::WaitEstimate>>; // by service index

// The latest results of both runs and the hall times they were computed for.
struct LatestWaits {
    std::shared_ptr<const core::WaitPrediction> prediction;
    core::Seconds predictionAt = 0;
    std::shared_ptr<const WalkInWaits> walkIn;
    core::Seconds walkInAt = 0;
};

class WaitPredictor {
public:
    explicit WaitPredictor(const LiveState& state);
    ~WaitPredictor();
    WaitPredictor(const WaitPredictor&) = delete;
    WaitPredictor& operator=(const WaitPredictor&) = delete;

    // Up to date by the rules in wait_predictor.cpp; may run the forward run on the caller's
    // thread (routes that show everyone's waits: the visitor page, staff, displays).
    std::shared_ptr<const core::WaitPrediction> prediction(core::Seconds now);
    std::shared_ptr<const WalkInWaits> newWalkInWaits(core::Seconds now);

    // For a check-in answer: the latest results as they are, without waiting for any run, and
    // a refresh for `now` handed to the refresher. Runs on the caller's thread only when there
    // is no result of that kind yet (the first check-in after the start).
    LatestWaits latest(core::Seconds now);

private:
    template <typename T>
    struct Cached {
        std::shared_ptr<const T> value;
        std::uint64_t version = ~0ull;
        core::Seconds at = 0;
    };
    template <typename T, typename Compute>
    std::shared_ptr<const T> get(Cached<T>& cache, std::mutex& computeMutex, core::Seconds now, Compute&& compute);
    void refreshLoop();

    const LiveState& m_state;
    std::mutex m_cacheMutex;          // held only to read or swap a cached value
    std::mutex m_predictionRun;       // one forward run of each kind at a time
    std::mutex m_walkInRun;
    Cached<core::WaitPrediction> m_prediction;
    Cached<WalkInWaits> m_walkIn;

    std::mutex m_refreshMutex;        // guards the three below
    std::condition_variable m_refreshWanted;
    std::optional<core::Seconds> m_refreshAt; // a refresh asked for, at this hall time
    bool m_stop = false;
    std::thread m_refresher;          // last: starts once everything above exists
};

} // namespace loket::server
