#include "housekeeping.hpp"

#include "log.hpp"

namespace loket::server {
using namespace loket::core;

namespace {
constexpr Seconds kSessionPurgeEveryS = 3600;
// A pairing code lives ten minutes (Enrolment::kPairingS); its secret's hash goes within a
// minute of that, whether or not anyone lists the codes again.
constexpr Seconds kPairingPurgeEveryS = 60;

bool due(std::optional<Seconds>& last, Seconds now, Seconds every) {
    if (last && now - *last < every && now >= *last) return false;
    last = now;
    return true;
}
} // namespace

void Housekeeping::runOnce() {
    const Now now = m_clock.now();
    const bool newDay = m_state.read([&](const StateView& v) { return !v.state.dayStarted() || localDay(now) > v.state.day(); });
    // At midnight the day rolls over even if nobody does anything: yesterday's personal data go.
    if (newDay) (void)m_commands.execute(StartDay{localDay(now)});
    m_devices.sweep();
    // Expired sessions hold a user name and an expiry (no token); they are refused anyway, but
    // kept no longer than an hour past their end.
    if (m_sharedStore && m_purgeSessions && due(m_lastSessionPurge, now.t, kSessionPurgeEveryS)) {
        if (auto st = m_sharedStore->deleteExpiredSessions(now.t); !st)
            logLine("session_purge", {{"error", st.error().message}});
    }
    if (m_sharedStore && due(m_lastPairingPurge, now.t, kPairingPurgeEveryS)) {
        if (auto st = m_sharedStore->deleteExpiredPairings(now.t); !st)
            logLine("pairing_purge", {{"error", st.error().message}});
    }
}

void Housekeeping::start() {
    m_thread = std::thread([this] {
        std::unique_lock lock(m_mutex);
        while (!m_wake.wait_for(lock, std::chrono::seconds(2), [this] { return m_stopping; })) {
            lock.unlock();
            runOnce();
            lock.lock();
        }
    });
}

void Housekeeping::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

} // namespace loket::server
