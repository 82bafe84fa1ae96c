// LiveState: the hall's state in memory — the fold of the committed events — behind one
// reader/writer lock. Only the CommandExecutor applies events; route handlers read under the
// shared lock; work that takes long (the wait prediction) takes a snapshot and runs on that
// copy without holding the lock.
#pragma once

#include "shared/core/events.hpp"
#include "shared/core/hall_state.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <shared_mutex>

namespace loket::server {

struct StateView {
    const core::HallState& state;
    std::int64_t eventId;   // the last event this state includes
    std::uint64_t version;  // counts applied commands (and the replay)
};

// An immutable copy of the state at one version, for work done outside the lock.
struct StateSnapshot {
    std::shared_ptr<const core::HallState> state;
    std::uint64_t version = 0;
    std::size_t waiting = 0; // tickets waiting
};

class LiveState {
public:
    explicit LiveState(const core::HallConfig& config) : m_state(config) {}

    template <typename F>
    auto read(F&& f) const {
        std::shared_lock lock(m_mutex);
        return f(StateView{m_state, m_eventId, m_version});
    }

    // Applies committed events (their last id is `lastId`), then runs `published(state)` under
    // the same exclusive lock: a reader never sees a state whose event_id the stream does not
    // know yet.
    template <typename F>
    void apply(const std::vector<core::Event>& events, std::int64_t lastId, F&& published) {
        std::unique_lock lock(m_mutex);
        for (const core::Event& e : events) m_state.apply(e);
        ++m_version;
        m_eventId = lastId;
        m_waiting = m_state.waitingTotal();
        published(static_cast<const core::HallState&>(m_state));
    }

    // A copy of the current state, shared by everyone who asks until the next change.
    StateSnapshot snapshot() const {
        std::shared_lock lock(m_mutex);
        std::lock_guard copyLock(m_snapshotMutex);
        if (!m_snapshot.state || m_snapshot.version != m_version)
            m_snapshot = StateSnapshot{std::make_shared<const core::HallState>(m_state), m_version, m_waiting};
        return m_snapshot;
    }

    // The version and the number waiting, without a copy: whether a cached result is stale.
    StateSnapshot version() const {
        std::shared_lock lock(m_mutex);
        return StateSnapshot{nullptr, m_version, m_waiting};
    }

private:
    mutable std::shared_mutex m_mutex;
    core::HallState m_state;
    std::uint64_t m_version = 0;
    std::int64_t m_eventId = 0;
    std::size_t m_waiting = 0;

    mutable std::mutex m_snapshotMutex;
    mutable StateSnapshot m_snapshot;
};

} // namespace loket::server
