// CommandExecutor: the server's one writer. Commands run one at a time through the core's
// command handler; their events are committed to the EventStore before the state changes and
// before anyone is answered, then applied to the LiveState, rendered for each audience and
// published to the EventBroker. It is the only part that writes hall data to the store.
// (Group commit — several waiting commands in one transaction — would live here: decide each
// against the state as the earlier ones left it, then one EventStore commit for all.)
#pragma once

#include "event_broker.hpp"
#include "event_store.hpp"
#include "hall_clock.hpp"
#include "live_state.hpp"
#include "metrics.hpp"
#include "server_config.hpp"

#include "shared/core/command_handler.hpp"

#include <mutex>

namespace loket::server {

struct Executed {
    std::vector<core::Event> events;  // empty: nothing to do (e.g. nobody waiting for "next")
    std::vector<std::int64_t> ids;
    core::Now at;
};

class CommandExecutor {
public:
    CommandExecutor(const ServerConfig& config, EventStore& store, LiveState& state, EventBroker& broker,
                    HallClock& clock, Metrics& metrics);

    // Replays the stored events into the state and the broker's ring; call once before serving.
    Status recover();

    // One command through the core, durably. `idempotency` is stored in the same transaction.
    Result<Executed> execute(const core::Command& command, std::optional<IdempotencyRecord> idempotency = {});
    // For POST /tickets: look the key up and run the command under the same writer lock, so two
    // retries of one request can never both create a ticket.
    struct Idempotent {
        std::optional<IdempotencyRecord> previous;
        Result<Executed> result = Executed{};
    };
    Idempotent executeOnce(const core::Command& command, IdempotencyRecord record);

private:
    Result<Executed> executeLocked(const core::Command& command, std::optional<IdempotencyRecord> idempotency);
    void count(const core::HallState& state, const std::vector<core::Event>& events);

    const ServerConfig& m_config;
    EventStore& m_store;
    LiveState& m_state;
    EventBroker& m_broker;
    HallClock& m_clock;
    Metrics& m_metrics;
    std::mutex m_writeMutex; // one command at a time
};

} // namespace loket::server
