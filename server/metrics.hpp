// Metrics: what /metrics exposes in the Prometheus text format — tickets, calls, waiting per
// service, waits against the norm as a histogram, SSE clients, request counts and latencies.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
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
    std::string renderRequests() const;
    Histogram& requestLatency() { return m_latency; }
    Histogram& callWait() { return m_callWait; }

private:
    mutable std::mutex m_mutex;
    std::map<int, std::uint64_t> m_byStatus;
    Histogram m_latency;
    Histogram m_callWait;
};

} // namespace loket::server
