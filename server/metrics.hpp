// Metrics: what /metrics exposes in the Prometheus text format — tickets, calls, commands,
// waiting per service, waits until the first call as a histogram, SSE clients, request counts
// and latencies. The parts that count call in; render() writes the whole text. Own locks only.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace loket::server {

class Histogram {
public:
    explicit Histogram(std::vector<double> bounds) : m_bounds(std::move(bounds)), m_counts(m_bounds.size() + 1, 0) {}
    void observe(double value);
    std::string render(const std::string& name, const std::string& help) const;

private:
    mutable std::mutex m_mutex;
    std::vector<double> m_bounds;
    std::vector<std::uint64_t> m_counts;
    double m_sum = 0;
    std::uint64_t m_count = 0;
};

class Metrics {
public:
    Metrics();
    void request(int status, double seconds);
    void command(bool refused);
    void ticketIssued() { ++m_issued; }
    // Tickets offline kiosks issued while the server was away, accepted from their journals.
    void offlineTicketsAccepted(int n) { m_offlineAccepted += static_cast<std::uint64_t>(n); }
    // A call; `firstCallWaitS` for a ticket's first call (appointments wait from their time).
    void ticketCalled(const std::optional<std::int64_t>& firstCallWaitS);

    // What is read at render time rather than counted.
    struct Gauges {
        int sseClients = 0;
        std::vector<std::pair<std::string, std::size_t>> waitingByService; // service id, waiting
        // Offline kiosks (issue 13), as their heartbeats last said: tickets not yet uploaded, and
        // last-resort tickets without a number ("meld u bij de balie") in the kiosk's journal.
        struct KioskOffline { std::string kiosk; std::int64_t unsent = 0, noNumber = 0; };
        std::vector<KioskOffline> offlineKiosks;
    };
    std::string render(const Gauges& gauges) const;

private:
    std::atomic<std::uint64_t> m_issued{0}, m_calls{0}, m_commands{0}, m_commandErrors{0}, m_offlineAccepted{0};
    mutable std::mutex m_mutex;
    std::map<int, std::uint64_t> m_byStatus;
    Histogram m_latency;
    Histogram m_callWait;
};

} // namespace loket::server
