#include "worker.hpp"

#include "shared/kiosk/hall_updates.hpp"
#include "shared/kiosk/ticket_mapping.hpp"
#include "shared/proto/client_parse.hpp"
#include "shared/ticket/ticket.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <limits>
#include <utility>

namespace loket::kiosk {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Heartbeat `status` for a printer state: a warning degrades, a fault is an error.
const char* deviceStatus(ticket::PrinterFault fault) {
    if (fault == ticket::PrinterFault::None) return "ok";
    if (fault == ticket::PrinterFault::PaperNearEnd) return "degraded";
    return "error";
}

// A per-ticket figure for the benchmark: the last kMaxFigures only (a kiosk runs for weeks).
void keepFigure(std::vector<double>& figures, std::chrono::steady_clock::duration d) {
    constexpr std::size_t kMaxFigures = 1000;
    if (figures.size() >= kMaxFigures) figures.erase(figures.begin());
    figures.push_back(std::chrono::duration<double, std::milli>(d).count());
}

// A transport the printer can answer on (a file or a write-only device cannot).
bool canAskPrinter(const std::string& spec, const ticket::PrinterProfile& profile) {
    return profile.answersStatus && spec.rfind("file:", 0) != 0;
}

} // namespace

Worker::Worker(WorkerSettings settings, std::map<std::string, i18n::Catalog> catalogs, ticket::Fonts fonts,
               ui::MainQueue<Input>& results)
    : m_settings(std::move(settings)), m_catalogs(std::move(catalogs)), m_fonts(std::move(fonts)), m_results(results),
      m_thread([this] { run(); }) {
    // Created here, not on the worker thread, so the destructor may stop it without a race.
    followEvents(); // the admin page's changes (hall_updates.hpp) and, offline, the bookings
}

Worker::~Worker() {
    if (m_events) m_events->stop(); // its callbacks touch this worker: stopped first
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

void Worker::credentialChanged() {
    {
        std::lock_guard lock(m_mutex);
        m_printerChanged = true; // wakes the loop for a heartbeat
    }
    m_cv.notify_all();
}

bool Worker::useCurrentToken(net::HttpClient& http) {
    if (!m_settings.tokenSource) return true;
    std::string token = m_settings.tokenSource();
    if (token.empty()) return false;
    if (token != http.options().token) {
        http.setToken(std::move(token));
        m_servicesLoaded = false; // a new pairing may be another hall's kiosk: load the list again
        m_nextServices = SteadyClock::now();
    }
    return true;
}

void Worker::noteRefusal(const net::HttpClient& http) {
    const auto& failure = http.lastFailure();
    if (failure && failure->status == 401 && m_settings.onUnauthorized) m_settings.onUnauthorized(http.options().token);
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
    const bool cameBack = yes && m_reachable.has_value() && !*m_reachable;
    m_reachable = yes;
    m_certificateRefused = certificateRefused;
    // Back from an outage: renew the leases and upload the journal at once.
    if (cameBack) m_nextLeaseSync = SteadyClock::now();
    // With offline check-in the visitor sees nothing of an outage: the kiosk just issues tickets.
    // A refused certificate is no outage but a fault for IT: the screen tells it.
    if (!yes && !certificateRefused && m_offline && m_offline->ready()) return;
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
                                          std::chrono::milliseconds(1500), std::chrono::milliseconds(4000), {}, m_settings.tls,
                                          m_settings.servers});
    auto nextPrinterPoll = SteadyClock::now();
    if (!m_settings.offlineJournal.empty()) {
        if (auto journal = OfflineJournal::open(m_settings.offlineJournal)) m_offline.emplace(std::move(*journal), m_settings.uploadBatch);
        else std::cerr << "loket-kiosk: offline check-in is off: " << journal.error().message << "\n";
    }
    if (m_offline) {
        // Restarted while the server is away: the services the journal kept let walk-ins go on.
        if (const std::string kept = m_offline->serviceList(); !kept.empty())
            if (auto services = proto::parseServiceList(kept)) post(ServicesLoaded{std::move(*services)});
    }
    for (;;) {
        std::optional<Job> job;
        {
            std::unique_lock lock(m_mutex);
            auto wakeAt = std::min(m_nextHeartbeat, m_nextServices);
            if (m_settings.printJobPoll.count() > 0 && m_reachable != false) wakeAt = std::min(wakeAt, m_nextPrintJobs);
            if (m_offline && m_reachable == true) wakeAt = std::min(wakeAt, m_nextLeaseSync);
            if (m_pending) wakeAt = std::min(wakeAt, m_pending->nextAttempt);
            if (m_printerChanged || m_refreshWanted) wakeAt = SteadyClock::now();
            m_cv.wait_until(lock, wakeAt, [&] { return m_stop || !m_jobs.empty() || m_printerChanged || m_refreshWanted || m_streamConnected ||
                                                       (m_bookStale && m_reachable == true && m_offline && m_offline->synced()); });
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
                        // Known to be offline: no waiting for a connect time-out, the visitor gets a ticket now.
                        if (m_offline && m_reachable == false && m_offline->ready()) {
                            m_pending.reset();
                            offlineCheckIn(j);
                        } else {
                            attemptCheckIn(http);
                        }
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
        bool refreshWanted = false;
        {
            std::lock_guard lock(m_mutex);
            refreshWanted = std::exchange(m_refreshWanted, false);
        }
        if (now >= m_nextServices || refreshWanted) refreshServices(http);
        if (m_settings.printJobPoll.count() > 0 && m_reachable != false && SteadyClock::now() >= m_nextPrintJobs) takePrintJobs(http);
        bool streamBack = false, bookStale = false;
        {
            std::lock_guard lock(m_mutex);
            streamBack = std::exchange(m_streamConnected, false);
            bookStale = m_bookStale;
        }
        // The stream connected: the server is there (back from an outage: upload now).
        if (streamBack) reachable(true);
        if (m_offline && m_reachable == true && SteadyClock::now() >= m_nextLeaseSync) syncOffline(http);
        else if (bookStale && m_offline && m_reachable == true) refreshBook(http);
    }
}

// An event about the admin page's changes (hall_updates.hpp): the banner goes to the flow now; the
// services (and the banner) are loaded again on the worker thread when the event says so.
void Worker::onHallEvent(const net::SseEvent& ev) {
    std::int64_t id = 0;
    try {
        id = ev.id.empty() ? 0 : std::stoll(ev.id);
    } catch (...) {
        return;
    }
    auto parsed = proto::parseHallEvent(id, ev.type, ev.data);
    if (!parsed) {
        std::cerr << "loket-kiosk: event " << ev.id << ": " << parsed.error().message << "\n";
        return;
    }
    auto update = hallUpdateFor(*parsed);
    if (!update) return;
    if (update->banner && id >= m_bannerEventId.load()) {
        m_bannerEventId = id;
        post(BannerChanged{*update->banner});
    }
    if (update->reloadServices || update->reloadBanner) {
        {
            std::lock_guard lock(m_mutex);
            m_refreshWanted = true;
        }
        m_cv.notify_all();
    }
}

void Worker::followEvents() {
    net::EventStreamOptions options;
    options.baseUrl = m_settings.serverUrl;
    options.token = m_settings.deviceToken;
    options.tokenSource = m_settings.tokenSource;
    options.tls = m_settings.tls;
    options.servers = m_settings.servers; // the same addresses as the requests: one failover for both
    options.maxBackoff = std::chrono::milliseconds(2000); // back from an outage within about two seconds
    net::EventStreamCallbacks callbacks;
    callbacks.onEvent = [this](const net::SseEvent& ev) {
        if (ev.type == "configuration.changed" || ev.type == "reset") onHallEvent(ev);
        if (ev.type.rfind("appointment.", 0) != 0) return;
        {
            std::lock_guard lock(m_mutex);
            m_bookStale = true;
        }
        m_cv.notify_all();
    };
    callbacks.onState = [this](net::StreamState state, const std::string&) {
        if (state != net::StreamState::Connected) return;
        {
            std::lock_guard lock(m_mutex);
            m_streamConnected = true;
            m_bookStale = true;     // bookings may have changed while the stream was away
            m_refreshWanted = true; // and so may the admin page's services and banner
        }
        m_cv.notify_all();
    };
    m_events = std::make_unique<net::EventStreamClient>(options, callbacks);
    m_events->start();
}

void Worker::refreshBook(net::HttpClient& http) {
    {
        std::lock_guard lock(m_mutex);
        m_bookStale = false;
    }
    // Before the first sync there is no key to read the book with: the sync fetches it anyway.
    if (!m_offline->synced() || !useCurrentToken(http)) return;
    if (auto st = m_offline->refreshBook(http); !st) {
        std::cerr << "loket-kiosk: offline book: " << st.error().message << "\n";
        return;
    }
    std::lock_guard lock(m_mutex);
    ++m_stats.bookRefreshes;
}

void Worker::syncOffline(net::HttpClient& http) {
    m_nextLeaseSync = SteadyClock::now() + m_settings.leaseRenew;
    {
        std::lock_guard lock(m_mutex);
        m_bookStale = false; // the sync fetches the book too
    }
    const auto kioskNow = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    // No token any more (revoked): hand in what was issued before, lease by lease, and stop there.
    const bool paired = useCurrentToken(http);
    // Upload first (the tickets count from their check-in), then renew and refill the leases.
    auto uploaded = m_offline->upload(http, paired);
    if (!uploaded) {
        std::cerr << "loket-kiosk: offline upload: " << uploaded.error().message << "\n";
        m_nextLeaseSync = SteadyClock::now() + std::chrono::seconds(1);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_stats.uploaded += uploaded->accepted + uploaded->duplicates + uploaded->refused;
    }
    if (!paired) return;
    if (auto st = m_offline->sync(http, kioskNow); !st) {
        std::cerr << "loket-kiosk: offline leases: " << st.error().message << "\n";
        m_nextLeaseSync = SteadyClock::now() + std::chrono::seconds(1);
    }
}

void Worker::offlineCheckIn(const SendCheckIn& request) {
    const auto kioskNow = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto started = SteadyClock::now();
    auto issued = m_offline->checkIn(request.body, kioskNow);
    {
        std::lock_guard lock(m_mutex);
        keepFigure(m_stats.journalMs, SteadyClock::now() - started);
    }
    if (!issued) {
        if (issued.error().code == ErrorCode::UnknownAppointment) {
            post(CheckInRejected{request.requestId, issued.error()});
        } else if (issued.error().code == ErrorCode::BookingUnavailable) {
            post(CodeNotCheckable{request.requestId}); // restarted during the outage: no key, no check

        } else {
            std::cerr << "loket-kiosk: offline check-in failed: " << issued.error().message << "\n";
            post(Reachability{false});
            post(CheckInUnreachable{request.requestId});
        }
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        ++m_stats.offlineTickets;
        if (issued->noNumber) ++m_stats.noNumberTickets;
    }
    // The ticket is in the journal (committed): now the flow may print it.
    post(CheckInSucceeded{request.requestId, std::move(*issued)});
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
    const std::uint64_t id = p.request.requestId;
    if (!useCurrentToken(http)) {
        m_pending.reset();
        post(CheckInRejected{id, makeError(ErrorCode::Unauthorized, "this kiosk is not paired with the server")});
        return;
    }
    auto reply = http.postWithRetry("/api/v1/tickets", p.request.body, p.idempotencyKey, policy);
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
        noteRefusal(http);
        // The server decided (unknown code, too early, closed…): final, show it.
        m_pending.reset();
        reachable(true);
        post(CheckInRejected{id, failure->error});
        return;
    }
    // No answer (or a busy one): keep this request and its key, try again with backoff.
    if (failure && failure->status == 0) reachable(false);
    if (failure && failure->status == 0 && m_offline && m_offline->ready()) {
        // The server is away: the kiosk issues the ticket itself from its leases.
        const SendCheckIn request = p.request;
        m_pending.reset();
        offlineCheckIn(request);
        return;
    }
    if (!p.toldUnreachable) {
        p.toldUnreachable = true;
        post(CheckInUnreachable{id});
    }
    p.nextAttempt = SteadyClock::now() + p.backoff;
    p.backoff = std::min(p.backoff * 2, m_settings.retryCap);
}

ticket::PrinterFault Worker::print(const PrintTicket& job) {
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
        const auto laidOut = SteadyClock::now();
        const auto outcome = ticket::printJob(m_settings.printerTransport, bytes, m_settings.printerProfile);
        {
            std::lock_guard lock(m_mutex);
            keepFigure(m_stats.layoutMs, laidOut - started);
            keepFigure(m_stats.transportMs, SteadyClock::now() - laidOut);
        }
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
    post(PrintFinished{job.requestId, fault, SteadyClock::now()});
    return fault;
}

void Worker::takePrintJobs(net::HttpClient& http) {
    m_nextPrintJobs = SteadyClock::now() + m_settings.printJobPoll;
    if (!useCurrentToken(http)) return;
    auto reply = http.get("/api/v1/kiosk/print-jobs");
    if (!reply) {
        noteRefusal(http);
        return;
    }
    const auto body = nlohmann::json::parse(reply->body, nullptr, false);
    if (!body.is_object() || !body.contains("jobs") || !body["jobs"].is_array()) return;
    for (const auto& job : body["jobs"]) {
        if (!job.is_object() || !job.contains("id") || !job["id"].is_number_integer() || !job.contains("reply")) continue;
        const std::int64_t id = job["id"].get<std::int64_t>();
        std::string status = "failed", reason = "failed";
        // The reply is a check-in's: the same mapping and layout as the kiosk's own tickets.
        if (auto issued = proto::parseIssuedTicket(job["reply"].dump())) {
            const proto::ClientService* service = nullptr;
            for (const auto& s : m_services)
                if (s.id == issued->ticket.service) service = &s;
            if (auto content = toTicketContent(*issued, service, issued->ticket.language, m_settings.hallName)) {
                // Not the flow's own print: its request id is one no check-in has.
                const ticket::PrinterFault fault = print(PrintTicket{std::numeric_limits<std::uint64_t>::max(), std::move(*content)});
                if (!ticket::blocksPrinting(fault)) status = "printed";
                else reason = ticket::heartbeatPrinterState(fault);
            }
        }
        nlohmann::json report{{"status", status}};
        if (status != "printed") report["reason"] = reason;
        if (!http.post("/api/v1/kiosk/print-jobs/" + std::to_string(id), report.dump())) noteRefusal(http);
    }
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
    if (!useCurrentToken(http)) { // not paired (yet): nothing to report to
        {
            std::lock_guard lock(m_mutex);
            m_printerChanged = false;
        }
        m_nextHeartbeat = SteadyClock::now() + m_settings.heartbeatInterval;
        return;
    }
    ticket::PrinterFault printer;
    {
        std::lock_guard lock(m_mutex);
        printer = m_printer;
        m_printerChanged = false;
    }
    nlohmann::json body{{"status", deviceStatus(printer)}, {"detail", {{"printer", ticket::heartbeatPrinterState(printer)}}}};
    if (m_offline) {
        // Staff see which kiosk still holds tickets from an outage (the dashboard).
        body["detail"]["unsent_tickets"] = m_offline->unsent();
        body["detail"]["no_number_tickets"] = m_offline->withoutNumber();
        body["detail"]["offline_ready"] = m_offline->synced();
        body["detail"]["offline_book_entries"] = m_offline->bookEntries();
    }
    // A report of how things are now: the same when it arrives twice, so failover repeats it on the
    // next instance when the one in use went away with it in flight (no offline screen for that).
    net::RequestOptions repeatable;
    repeatable.repeatable = true;
    auto reply = http.post("/api/v1/devices/heartbeat", body.dump(), repeatable);
    {
        std::lock_guard lock(m_mutex);
        ++m_stats.heartbeats;
    }
    const auto& failure = http.lastFailure();
    if (reply || (failure && failure->status != 0)) {
        reachable(true);
        if (!reply) {
            std::cerr << "loket-kiosk: heartbeat refused: " << failure->error.message << "\n";
            noteRefusal(http);
        }
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
    if (!useCurrentToken(http)) {
        m_nextServices = SteadyClock::now() + m_settings.heartbeatInterval;
        return;
    }
    auto reply = http.get("/api/v1/services");
    if (!reply) noteRefusal(http);
    if (reply) {
        auto services = proto::parseServiceList(reply->body);
        if (services) {
            m_servicesLoaded = true;
            m_services = *services;
            if (m_offline) m_offline->keepServiceList(reply->body);
            post(ServicesLoaded{std::move(*services)});
            loadBanner(http);
        } else {
            std::cerr << "loket-kiosk: service list: " << services.error().message << "\n";
        }
    }
    // Until the list is there, ask again with each heartbeat; then at the normal pace.
    m_nextServices = SteadyClock::now() + (m_servicesLoaded ? m_settings.servicesRefresh : m_settings.heartbeatInterval);
}

void Worker::loadBanner(net::HttpClient& http) {
    auto reply = http.get("/api/v1/hall");
    if (!reply) return; // the next refresh tries again
    if (auto snapshot = proto::parseHallSnapshot(reply->body)) {
        if (snapshot->eventId >= m_bannerEventId.load()) {
            m_bannerEventId = snapshot->eventId;
            post(BannerChanged{snapshot->hall.banner});
        }
    }
    else std::cerr << "loket-kiosk: hall snapshot: " << snapshot.error().message << "\n";
}

} // namespace loket::kiosk
