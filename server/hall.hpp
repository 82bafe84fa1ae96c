// Hall: the server's one writer. Commands run one at a time through the core's command handler;
// their events are committed to the EventStore before the state changes and before anyone is
// answered, then streamed to the EventBroker. Readers share a lock and never wait on the disk.
// Also keeps the live device registry (heartbeats) and the wait-prediction cache.
#pragma once

#include "event_broker.hpp"
#include "event_store.hpp"
#include "hall_clock.hpp"
#include "server_config.hpp"

#include "shared/core/command_handler.hpp"
#include "shared/core/wait_prediction.hpp"
#include "shared/proto/wire_json.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>

namespace loket::server {

struct Executed {
    std::vector<core::Event> events;  // empty: nothing to do (e.g. nobody waiting for "next")
    std::vector<std::int64_t> ids;
    core::Now at;
};

// What a reader sees, under the shared lock.
struct HallView {
    const core::HallState& state;
    core::Now now;
    std::int64_t eventId;      // the last event this state includes
    std::shared_ptr<const core::WaitPrediction> prediction;
    proto::WireContext wire() const { return proto::WireContext{state, now.utcOffsetS, prediction.get()}; }
};

struct DeviceStatus {
    std::string id, role, name;
    std::string status = "unknown";   // ok | degraded | error | offline | unknown
    nlohmann::json detail = nlohmann::json::object();
    core::Seconds lastSeen = 0;
};

class Hall {
public:
    Hall(const ServerConfig& config, std::unique_ptr<EventStore> store, HallClock& clock);

    // Replays the stored events; call once before serving.
    Status recover();

    // One command through the core, durably. `idempotency` is stored in the same transaction.
    Result<Executed> execute(const core::Command& command, std::optional<IdempotencyRecord> idempotency = {});
    // For POST /tickets: look the key up and run the command under the same writer lock, so two
    // retries of one request can never both create a ticket.
    struct Idempotent { std::optional<IdempotencyRecord> previous; Result<Executed> result = Executed{}; };
    Idempotent executeOnce(const core::Command& command, IdempotencyRecord record);

    template <typename F>
    auto read(F&& f) {
        std::shared_lock lock(m_stateMutex);
        core::Now now = m_clock.now();
        return f(HallView{m_state, now, m_appliedEventId, prediction(now.t)});
    }
    // Without the prediction (cheap reads).
    template <typename F>
    auto readPlain(F&& f) {
        std::shared_lock lock(m_stateMutex);
        return f(HallView{m_state, m_clock.now(), m_appliedEventId, nullptr});
    }
    // What a walk-in for each service would wait now (cached like the prediction).
    std::vector<std::optional<core::WaitEstimate>> newWalkInWaits(const core::HallState& state, core::Seconds now);

    Result<std::vector<core::VisitRecord>> visitsOf(core::LocalDay day);
    Status probeWrite();

    // Devices report every 10 s; unseen for 30 s is offline.
    void heartbeat(const DeviceConfig& device, const std::string& status, const nlohmann::json& detail);
    std::vector<DeviceStatus> devices();
    // Called every few seconds by the housekeeping thread: day rollover, devices going offline.
    void housekeeping();

    EventBroker& broker() { return m_broker; }
    EventStore& store() { return *m_store; }  // callers hold no other lock
    std::mutex& storeMutex() { return m_storeMutex; }
    const ServerConfig& config() const { return m_config; }
    HallClock& clock() { return m_clock; }

    struct Counters { std::uint64_t issued = 0, calls = 0, commands = 0, commandErrors = 0; };
    Counters counters() const { std::lock_guard l(m_countersMutex); return m_counters; }
    std::vector<core::Seconds> takeCallWaits();   // for the metrics histogram

private:
    Result<Executed> executeLocked(const core::Command& command, std::optional<IdempotencyRecord> idempotency);
    std::shared_ptr<const core::WaitPrediction> prediction(core::Seconds now);
    bool predictionStale(std::uint64_t version, core::Seconds at, core::Seconds now) const;
    std::vector<SseMessage> render(const std::vector<core::Event>& events, const std::vector<std::int64_t>& ids,
                                   const std::vector<std::optional<core::CounterIndex>>& involved, core::Now now);
    void publishDevice(const DeviceStatus& d);

    const ServerConfig& m_config;
    std::unique_ptr<EventStore> m_store;
    HallClock& m_clock;
    EventBroker m_broker;

    std::mutex m_writeMutex;            // one command at a time
    std::mutex m_storeMutex;            // SQLite connection
    std::shared_mutex m_stateMutex;     // readers share, apply is exclusive
    core::HallState m_state;
    std::uint64_t m_version = 0;
    std::int64_t m_appliedEventId = 0;
    std::size_t m_waitingCount = 0;

    std::mutex m_predictionMutex;
    std::shared_ptr<const core::WaitPrediction> m_prediction;
    std::uint64_t m_predictionVersion = ~0ull;
    core::Seconds m_predictionAt = 0;
    std::vector<std::optional<core::WaitEstimate>> m_walkInWaits;
    std::uint64_t m_walkInVersion = ~0ull;
    core::Seconds m_walkInAt = 0;

    std::mutex m_devicesMutex;
    std::map<std::string, DeviceStatus> m_devices;

    mutable std::mutex m_countersMutex;
    Counters m_counters;
    std::vector<core::Seconds> m_callWaits;
};

} // namespace loket::server
