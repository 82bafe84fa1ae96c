// Housekeeping: what happens with nobody asking — at midnight the day rolls over (yesterday's
// personal data go), and devices that went quiet are marked offline. A thread that wakes every
// two seconds, and stops at once when asked. One location's housekeeping also deletes what
// expired in the store of sessions, accounts and devices (purgeExpiredOf), at start and then
// every minute (pairing codes) or hour (a city's staff sessions: its shared store has no day
// start of its own; a one-location hall's day start deletes them in its batch).
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

    // Also delete the expired pairing codes in `shared` (the store of sessions, accounts and
    // devices every location uses), and with `sessionsToo` (a city) its expired staff sessions.
    // Set on one location's housekeeping, before start().
    void purgeExpiredOf(EventStore* shared, bool sessionsToo) {
        m_sharedStore = shared;
        m_purgeSessions = sessionsToo;
    }

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
    bool m_purgeSessions = false;
    std::optional<core::Seconds> m_lastSessionPurge, m_lastPairingPurge; // the housekeeping thread's only
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace loket::server
