// Metrics: what /metrics exposes in the Prometheus text format — tickets, calls, commands,
// waiting per service, waits until the first call as a histogram, SSE clients, request counts
// and latencies. The parts that count call in; render() writes the whole text. Own locks only.
// In a city (docs/locations.md) each location counts in its own Metrics (addLocation), and every
// per-location series carries a location="id" label; a one-location hall's text has no such
// label, as before. HTTP requests and their latency are the process's, never labelled.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
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
    // The series only (no HELP/TYPE), each with `labels` ("location=\"x\"") before its own.
    std::string renderSeries(const std::string& name, const std::string& labels) const;

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
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;
    // A city's location: its own ticket, call and command figures (labelled location="id" in the
    // text). Its request() and render() are this one's. Made at start-up; lives as long as this.
    Metrics& addLocation(const std::string& id);

    void request(int status, double seconds);
    void command(bool refused);
    void ticketIssued() { ++m_issued; }
    // Tickets offline kiosks issued while the server was away, accepted from their journals.
    void offlineTicketsAccepted(int n) { m_offlineAccepted += static_cast<std::uint64_t>(n); }
    // A call; `firstCallWaitS` for a ticket's first call (appointments wait from their time).
    void ticketCalled(const std::optional<std::int64_t>& firstCallWaitS);
    // A transaction that stored the events of `commands` commands (group commit: one fsync on SQLite).
    void committed(std::size_t commands) {
        ++m_commits;
        m_committedCommands += commands;
    }

    // What is read at render time rather than counted, for one location ("" in a one-location hall).
    struct Gauges {
        std::string location;
        int sseClients = 0;
        std::vector<std::pair<std::string, std::size_t>> waitingByService; // service id, waiting
        // Offline kiosks (issue 13), as their heartbeats last said: tickets not yet uploaded, and
        // last-resort tickets without a number ("meld u bij de balie") in the kiosk's journal.
        struct KioskOffline { std::string kiosk; std::int64_t unsent = 0, noNumber = 0; };
        std::vector<KioskOffline> offlineKiosks;
    };
    // The whole text: `gauges` one per location, in the order they are shown.
    std::string render(const std::vector<Gauges>& gauges) const;

private:
    Metrics(Metrics* process, std::string location);
    // The figures counted here and in each location, with the location's label.
    std::vector<std::pair<std::string, const Metrics*>> counted() const;

    Metrics* m_process = nullptr; // a location's: the process's Metrics
    std::string m_location;
    std::deque<std::unique_ptr<Metrics>> m_locations; // filled at start-up only
    std::atomic<std::uint64_t> m_issued{0}, m_calls{0}, m_commands{0}, m_commandErrors{0}, m_offlineAccepted{0};
    std::atomic<std::uint64_t> m_commits{0}, m_committedCommands{0};
    mutable std::mutex m_mutex;
    std::map<int, std::uint64_t> m_byStatus;
    Histogram m_latency;
    Histogram m_callWait;
};

} // namespace loket::server
