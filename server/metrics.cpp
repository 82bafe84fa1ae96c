#include "metrics.hpp"

#include <optional>
#include <sstream>

namespace loket::server {

void Histogram::observe(double value) {
    std::lock_guard lock(m_mutex);
    std::size_t i = 0;
    while (i < m_bounds.size() && value > m_bounds[i]) ++i;
    m_counts[i] += 1;
    m_sum += value;
    m_count += 1;
}

std::string Histogram::render(const std::string& name, const std::string& help) const {
    std::lock_guard lock(m_mutex);
    std::ostringstream out;
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " histogram\n";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < m_bounds.size(); ++i) {
        cumulative += m_counts[i];
        out << name << "_bucket{le=\"" << m_bounds[i] << "\"} " << cumulative << "\n";
    }
    cumulative += m_counts.back();
    out << name << "_bucket{le=\"+Inf\"} " << cumulative << "\n";
    out << name << "_sum " << m_sum << "\n" << name << "_count " << m_count << "\n";
    return out.str();
}

Metrics::Metrics()
    : m_latency({0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1}),
      m_callWait({60, 120, 180, 240, 300, 450, 600, 900, 1200, 1800, 3600}) {}

void Metrics::request(int status, double seconds) {
    {
        std::lock_guard lock(m_mutex);
        m_byStatus[status] += 1;
    }
    m_latency.observe(seconds);
}

void Metrics::command(bool refused) {
    ++m_commands;
    if (refused) ++m_commandErrors;
}

void Metrics::ticketCalled(const std::optional<std::int64_t>& firstCallWaitS) {
    ++m_calls;
    if (firstCallWaitS) m_callWait.observe(static_cast<double>(*firstCallWaitS));
}

namespace {
void counter(std::ostream& out, const char* name, const char* help, std::uint64_t value) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n" << name << " " << value << "\n";
}
} // namespace

std::string Metrics::render(const Gauges& gauges) const {
    std::ostringstream out;
    counter(out, "loket_tickets_issued_total", "Tickets issued since start.", m_issued);
    counter(out, "loket_offline_tickets_accepted_total", "Tickets offline kiosks issued and uploaded since start.", m_offlineAccepted);
    counter(out, "loket_calls_total", "Calls of a ticket to a counter since start.", m_calls);
    counter(out, "loket_commands_total", "Commands handled since start.", m_commands);
    counter(out, "loket_command_errors_total", "Commands refused since start.", m_commandErrors);
    out << "# HELP loket_sse_clients Open event streams.\n# TYPE loket_sse_clients gauge\n"
        << "loket_sse_clients " << gauges.sseClients << "\n"
        << "# HELP loket_waiting Visitors waiting now, by service.\n# TYPE loket_waiting gauge\n";
    for (const auto& [service, waiting] : gauges.waitingByService)
        out << "loket_waiting{service=\"" << service << "\"} " << waiting << "\n";
    out << "# HELP loket_kiosk_unsent_tickets Offline tickets a kiosk has not uploaded yet.\n"
           "# TYPE loket_kiosk_unsent_tickets gauge\n";
    for (const auto& k : gauges.offlineKiosks) out << "loket_kiosk_unsent_tickets{kiosk=\"" << k.kiosk << "\"} " << k.unsent << "\n";
    out << "# HELP loket_kiosk_no_number_tickets Tickets without a number a kiosk printed when its number blocks ran out.\n"
           "# TYPE loket_kiosk_no_number_tickets gauge\n";
    for (const auto& k : gauges.offlineKiosks) out << "loket_kiosk_no_number_tickets{kiosk=\"" << k.kiosk << "\"} " << k.noNumber << "\n";
    out << m_callWait.render("loket_call_wait_seconds", "Wait until the first call (appointments from their time).")
        << m_latency.render("loket_http_request_duration_seconds", "Time to answer an HTTP request.");
    out << "# HELP loket_http_requests_total HTTP requests by status code.\n# TYPE loket_http_requests_total counter\n";
    std::lock_guard lock(m_mutex);
    for (auto [status, count] : m_byStatus) out << "loket_http_requests_total{code=\"" << status << "\"} " << count << "\n";
    return out.str();
}

} // namespace loket::server
