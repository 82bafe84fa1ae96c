// Housekeeping: what happens with nobody asking — at midnight the day rolls over (yesterday's
// personal data go), and devices that went quiet are marked offline. A thread that wakes every
// two seconds, and stops at once when asked. In a city one location's housekeeping also deletes
// the expired staff sessions of the shared store (purgeSessionsOf), which has no day start of
// its own: at start and then every hour.
#pragma once

#include "command_executor.hpp"
#include "device_registry.hpp"

#include <condition_variable>
#include <optional>
#include <thread>

namespace loket::server {

class Housekeeping {
public:
    Housekeeping(CommandExecutor& commands, const LiveState& state, DeviceRegistry& devices, HallClock& clock)
        : m_commands(commands), m_state(state), m_devices(devices), m_clock(clock) {}
    ~Housekeeping() { stop(); }

    // A city: also delete the expired sessions in `shared` (the store of sessions, accounts and
    // devices every location uses). Set before start().
    void purgeSessionsOf(EventStore* shared) { m_sharedStore = shared; }

    // One round now (also before the first request: it starts the day).
    void runOnce();
    void start();
    void stop();

private:
    CommandExecutor& m_commands;
    const LiveState& m_state;
    DeviceRegistry& m_devices;
    HallClock& m_clock;
    EventStore* m_sharedStore = nullptr;
    std::optional<core::Seconds> m_lastSessionPurge; // the housekeeping thread's only
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace loket::server
