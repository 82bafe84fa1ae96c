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
    return "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n" + renderSeries(name, "");
}

std::string Histogram::renderSeries(const std::string& name, const std::string& labels) const {
    std::lock_guard lock(m_mutex);
    std::ostringstream out;
    const std::string before = labels.empty() ? "" : labels + ",";
    const std::string own = labels.empty() ? "" : "{" + labels + "}";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < m_bounds.size(); ++i) {
        cumulative += m_counts[i];
        out << name << "_bucket{" << before << "le=\"" << m_bounds[i] << "\"} " << cumulative << "\n";
    }
    cumulative += m_counts.back();
    out << name << "_bucket{" << before << "le=\"+Inf\"} " << cumulative << "\n";
    out << name << "_sum" << own << " " << m_sum << "\n" << name << "_count" << own << " " << m_count << "\n";
    return out.str();
}

Metrics::Metrics()
    : m_latency({0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1}),
      m_callWait({60, 120, 180, 240, 300, 450, 600, 900, 1200, 1800, 3600}) {}

Metrics::Metrics(Metrics* process, std::string location) : Metrics() {
    m_process = process;
    m_location = std::move(location);
}

Metrics& Metrics::addLocation(const std::string& id) {
    m_locations.push_back(std::unique_ptr<Metrics>(new Metrics(this, id)));
    return *m_locations.back();
}

std::vector<std::pair<std::string, const Metrics*>> Metrics::counted() const {
    if (m_locations.empty()) return {{"", this}};
    std::vector<std::pair<std::string, const Metrics*>> out;
    for (const auto& l : m_locations) out.emplace_back(l->m_location, l.get());
    return out;
}

void Metrics::request(int status, double seconds) {
    if (m_process) return m_process->request(status, seconds);
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

// `location="x"` for a city's location, "" for a one-location hall.
std::string locationLabel(const std::string& location) { return location.empty() ? "" : "location=\"" + location + "\""; }

// `{a,b}` of the labels that are there, "" when none.
std::string braces(const std::string& a, const std::string& b = "") {
    if (a.empty() && b.empty()) return "";
    return "{" + a + (a.empty() || b.empty() ? "" : ",") + b + "}";
}

void head(std::ostream& out, const char* name, const char* type, const char* help) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

} // namespace

std::string Metrics::render(const std::vector<Gauges>& gauges) const {
    if (m_process) return m_process->render(gauges);
    const auto all = counted();
    std::ostringstream out;
    auto counter = [&](const char* name, const char* help, const std::atomic<std::uint64_t> Metrics::*member) {
        head(out, name, "counter", help);
        for (const auto& [location, m] : all) out << name << braces(locationLabel(location)) << " " << (m->*member).load() << "\n";
    };
    counter("loket_tickets_issued_total", "Tickets issued since start.", &Metrics::m_issued);
    counter("loket_offline_tickets_accepted_total", "Tickets offline kiosks issued and uploaded since start.", &Metrics::m_offlineAccepted);
    counter("loket_calls_total", "Calls of a ticket to a counter since start.", &Metrics::m_calls);
    counter("loket_commands_total", "Commands handled since start.", &Metrics::m_commands);
    counter("loket_command_errors_total", "Commands refused since start.", &Metrics::m_commandErrors);
    counter("loket_store_commits_total", "Transactions that stored commands' events (on SQLite one fsync each).", &Metrics::m_commits);
    counter("loket_store_committed_commands_total", "Commands those transactions stored: per commit, the mean group size.",
            &Metrics::m_committedCommands);
    head(out, "loket_sse_clients", "gauge", "Open event streams.");
    for (const auto& g : gauges) out << "loket_sse_clients" << braces(locationLabel(g.location)) << " " << g.sseClients << "\n";
    head(out, "loket_waiting", "gauge", "Visitors waiting now, by service.");
    for (const auto& g : gauges)
        for (const auto& [service, waiting] : g.waitingByService)
            out << "loket_waiting" << braces(locationLabel(g.location), "service=\"" + service + "\"") << " " << waiting << "\n";
    head(out, "loket_kiosk_unsent_tickets", "gauge", "Offline tickets a kiosk has not uploaded yet.");
    for (const auto& g : gauges)
        for (const auto& k : g.offlineKiosks)
            out << "loket_kiosk_unsent_tickets" << braces(locationLabel(g.location), "kiosk=\"" + k.kiosk + "\"") << " " << k.unsent << "\n";
    head(out, "loket_kiosk_no_number_tickets", "gauge", "Tickets without a number a kiosk printed when its number blocks ran out.");
    for (const auto& g : gauges)
        for (const auto& k : g.offlineKiosks)
            out << "loket_kiosk_no_number_tickets" << braces(locationLabel(g.location), "kiosk=\"" + k.kiosk + "\"") << " " << k.noNumber << "\n";
    head(out, "loket_call_wait_seconds", "histogram", "Wait until the first call (appointments from their time).");
    for (const auto& [location, m] : all) out << m->m_callWait.renderSeries("loket_call_wait_seconds", locationLabel(location));
    out << m_latency.render("loket_http_request_duration_seconds", "Time to answer an HTTP request.");
    out << "# HELP loket_http_requests_total HTTP requests by status code.\n# TYPE loket_http_requests_total counter\n";
    std::lock_guard lock(m_mutex);
    for (auto [status, count] : m_byStatus) out << "loket_http_requests_total{code=\"" << status << "\"} " << count << "\n";
    return out.str();
}

} // namespace loket::server
