#include "worker.hpp"

#include "shared/proto/client_parse.hpp"
#include "shared/ticket/ticket.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace loket::kiosk {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Heartbeat `status` for a printer state: a warning degrades, a fault is an error.
const char* deviceStatus(ticket::PrinterFault fault) {
    if (fault == ticket::PrinterFault::None) return "ok";
    if (fault == ticket::PrinterFault::PaperNearEnd) return "degraded";
    return "error";
}

// A transport the printer can answer on (a file or a write-only device cannot).
bool canAskPrinter(const std::string& spec, const ticket::PrinterProfile& profile) {
    return profile.answersStatus && spec.rfind("file:", 0) != 0;
}

} // namespace

Worker::Worker(WorkerSettings settings, std::map<std::string, i18n::Catalog> catalogs, ticket::Fonts fonts,
               ui::MainQueue<Input>& results)
    : m_settings(std::move(settings)), m_catalogs(std::move(catalogs)), m_fonts(std::move(fonts)), m_results(results),
      m_thread([this] { run(); }) {}

Worker::~Worker() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void Worker::submit(Job job) {
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_cv.notify_all();
}

WorkerStats Worker::stats() const {
    std::lock_guard lock(m_mutex);
    return m_stats;
}

ticket::PrinterFault Worker::printerState() const {
    std::lock_guard lock(m_mutex);
    return m_printer;
}

void Worker::post(Input input) { m_results.push(std::move(input)); }

void Worker::reachable(bool yes, bool certificateRefused) {
    certificateRefused = certificateRefused && !yes;
    if (m_reachable == yes && m_certificateRefused == certificateRefused) return;
    m_reachable = yes;
    m_certificateRefused = certificateRefused;
    post(Reachability{yes, certificateRefused});
}

void Worker::setPrinterState(ticket::PrinterFault fault) {
    std::lock_guard lock(m_mutex);
    if (m_printer != fault) {
        m_printer = fault;
        m_printerChanged = true; // api.md: a heartbeat on every change
    }
}

void Worker::run() {
    net::HttpClient http(net::HttpOptions{m_settings.serverUrl, m_settings.deviceToken,
                                          std::chrono::milliseconds(1500), std::chrono::milliseconds(4000), {}, m_settings.tls});
    auto nextPrinterPoll = SteadyClock::now();
    for (;;) {
        std::optional<Job> job;
        {
            std::unique_lock lock(m_mutex);
            auto wakeAt = std::min(m_nextHeartbeat, m_nextServices);
            if (m_pending) wakeAt = std::min(wakeAt, m_pending->nextAttempt);
            if (m_printerChanged) wakeAt = SteadyClock::now();
            m_cv.wait_until(lock, wakeAt, [&] { return m_stop || !m_jobs.empty() || m_printerChanged; });
            if (m_stop) return;
            if (!m_jobs.empty()) {
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
            }
        }
        if (job) {
            std::visit(
                [&](auto& j) {
                    using T = std::decay_t<decltype(j)>;
                    if constexpr (std::is_same_v<T, SendCheckIn>) {
                        m_pending = PendingCheckIn{j, net::makeIdempotencyKey(), SteadyClock::now()};
                        {
                            std::lock_guard lock(m_mutex);
                            ++m_stats.checkIns;
                        }
                        attemptCheckIn(http);
                    } else if constexpr (std::is_same_v<T, CancelCheckIn>) {
                        if (m_pending && m_pending->request.requestId == j.requestId) m_pending.reset();
                    } else if constexpr (std::is_same_v<T, PrintTicket>) {
                        print(j);
                    }
                },
                *job);
            continue; // jobs first: a visitor is waiting for them
        }
        const auto now = SteadyClock::now();
        if (m_pending && now >= m_pending->nextAttempt) attemptCheckIn(http);
        bool printerChanged = false;
        {
            std::lock_guard lock(m_mutex);
            printerChanged = m_printerChanged;
        }
        if (now >= m_nextHeartbeat || printerChanged) {
            if (now >= nextPrinterPoll && canAskPrinter(m_settings.printerTransport, m_settings.printerProfile)) {
                pollPrinter();
                nextPrinterPoll = now + m_settings.heartbeatInterval;
            }
            heartbeat(http);
        }
        if (now >= m_nextServices) refreshServices(http);
    }
}

void Worker::attemptCheckIn(net::HttpClient& http) {
    PendingCheckIn& p = *m_pending;
    {
        std::lock_guard lock(m_mutex);
        ++m_stats.checkInAttempts;
    }
    net::RetryPolicy policy;
    policy.attempts = 2;
    policy.initialBackoff = std::chrono::milliseconds(150);
    policy.maxBackoff = std::chrono::milliseconds(300);
    auto reply = http.postWithRetry("/api/v1/tickets", p.request.body, p.idempotencyKey, policy);
    const std::uint64_t id = p.request.requestId;
    if (reply) {
        m_pending.reset();
        reachable(true);
        auto ticket = proto::parseIssuedTicket(reply->body);
        if (ticket) post(CheckInSucceeded{id, std::move(*ticket)});
        else post(CheckInRejected{id, ticket.error()});
        return;
    }
    const auto& failure = http.lastFailure();
    const bool answered = failure && failure->status != 0 && !failure->apiCode.empty() && failure->status != 429;
    if (answered) {
        // The server decided (unknown code, too early, closed…): final, show it.
        m_pending.reset();
        reachable(true);
        post(CheckInRejected{id, failure->error});
        return;
    }
    // No answer (or a busy one): keep this request and its key, try again with backoff.
    if (failure && failure->status == 0) reachable(false);
    if (!p.toldUnreachable) {
        p.toldUnreachable = true;
        post(CheckInUnreachable{id});
    }
    p.nextAttempt = SteadyClock::now() + p.backoff;
    p.backoff = std::min(p.backoff * 2, m_settings.retryCap);
}

void Worker::print(const PrintTicket& job) {
    const auto started = SteadyClock::now();
    ticket::TicketContent content = job.content;
    auto catalog = m_catalogs.find(content.language);
    if (catalog == m_catalogs.end()) {
        content.language = m_settings.defaultTicketLanguage;
        catalog = m_catalogs.find(content.language);
    }
    ticket::PrinterFault fault = ticket::PrinterFault::None;
    if (catalog == m_catalogs.end()) {
        std::cerr << "loket-kiosk: no ticket texts for " << content.language << "\n";
        fault = ticket::PrinterFault::Offline;
    } else if (auto image = ticket::renderTicket(content, catalog->second, m_settings.printerProfile, m_fonts); !image) {
        std::cerr << "loket-kiosk: ticket layout failed: " << image.error().message << "\n";
        fault = ticket::PrinterFault::Offline;
    } else {
        const auto bytes = ticket::encodeEscPos(*image, m_settings.printerProfile);
        const auto outcome = ticket::printJob(m_settings.printerTransport, bytes, m_settings.printerProfile);
        fault = outcome.fault;
        if (!outcome.printed && fault == ticket::PrinterFault::None) fault = ticket::PrinterFault::Offline;
        if (!outcome.detail.empty() && fault != ticket::PrinterFault::None)
            std::cerr << "loket-kiosk: printer: " << outcome.detail << "\n";
        setPrinterState(outcome.printed && fault == ticket::PrinterFault::None ? ticket::PrinterFault::None : fault);
    }
    {
        std::lock_guard lock(m_mutex);
        m_stats.lastPrintDuration = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started);
        if (!ticket::blocksPrinting(fault)) ++m_stats.printed;
    }
    post(PrintFinished{job.requestId, fault});
}

void Worker::pollPrinter() {
    auto transport = ticket::openTransport(m_settings.printerTransport);
    if (!transport) {
        setPrinterState(ticket::PrinterFault::Offline);
        return;
    }
    if (!(*transport)->canRead()) return;
    auto status = ticket::queryStatus(**transport);
    setPrinterState(status ? status->worstFault() : ticket::PrinterFault::Offline);
}

void Worker::heartbeat(net::HttpClient& http) {
    ticket::PrinterFault printer;
    {
        std::lock_guard lock(m_mutex);
        printer = m_printer;
        m_printerChanged = false;
    }
    const nlohmann::json body{{"status", deviceStatus(printer)},
                              {"detail", {{"printer", ticket::heartbeatPrinterState(printer)}}}};
    auto reply = http.post("/api/v1/devices/heartbeat", body.dump());
    {
        std::lock_guard lock(m_mutex);
        ++m_stats.heartbeats;
    }
    const auto& failure = http.lastFailure();
    if (reply || (failure && failure->status != 0)) {
        reachable(true);
        if (!reply) std::cerr << "loket-kiosk: heartbeat refused: " << failure->error.message << "\n";
        if (!m_servicesLoaded) m_nextServices = SteadyClock::now();
    } else {
        const bool refused = failure && failure->error.code == ErrorCode::TlsVerificationFailed;
        if (refused)
            std::cerr << "loket-kiosk: ALERT: the server's certificate is not trusted (check [server] ca_file and "
                         "pinned_public_key); the kiosk stays out of order and never falls back to plain HTTP: "
                      << failure->error.message << "\n";
        reachable(false, refused);
    }
    m_nextHeartbeat = SteadyClock::now() + m_settings.heartbeatInterval;
}

void Worker::refreshServices(net::HttpClient& http) {
    auto reply = http.get("/api/v1/services");
    if (reply) {
        auto services = proto::parseServiceList(reply->body);
        if (services) {
            m_servicesLoaded = true;
            post(ServicesLoaded{std::move(*services)});
        } else {
            std::cerr << "loket-kiosk: service list: " << services.error().message << "\n";
        }
    }
    // Until the list is there, ask again with each heartbeat; then at the normal pace.
    m_nextServices = SteadyClock::now() + (m_servicesLoaded ? m_settings.servicesRefresh : m_settings.heartbeatInterval);
}

} // namespace loket::kiosk
