// Housekeeping: what happens with nobody asking — at midnight the day rolls over (yesterday's
// personal data go), and devices that went quiet are marked offline. A thread that wakes every
// two seconds, and stops at once when asked.
#pragma once

#include "command_executor.hpp"
#include "device_registry.hpp"

#include <condition_variable>
#include <thread>

namespace loket::server {

class Housekeeping {
public:
    Housekeeping(CommandExecutor& commands, const LiveState& state, DeviceRegistry& devices, HallClock& clock)
        : m_commands(commands), m_state(state), m_devices(devices), m_clock(clock) {}
    ~Housekeeping() { stop(); }

    // One round now (also before the first request: it starts the day).
    void runOnce();
    void start();
    void stop();

private:
    CommandExecutor& m_commands;
    const LiveState& m_state;
    DeviceRegistry& m_devices;
    HallClock& m_clock;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace loket::server
