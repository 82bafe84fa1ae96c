// The kiosk's worker thread: every network request and every print happens here, never on the
// UI thread. The UI thread hands it the flow's effects (check in, cancel, print); the worker
// posts results back as flow inputs on the UI's MainQueue (shared/ui), which wakes the UI. On its own it sends the heartbeat with the
// printer's state (every few seconds and on every change), asks the printer how it is, and keeps
// the service list fresh. It follows the hall's event stream, so a change on the admin page (the
// banner, a service's name or what to bring, walk-ins on or off) reaches the screen at once
// (shared/kiosk/hall_updates.hpp decides what an event means).
//
// A check-in gets one Idempotency-Key and is retried with it until the server answers or the
// flow cancels it: the kiosk may ask twice, the hall never issues two tickets.
#pragma once

#include "offline_desk.hpp"

#include "shared/i18n/catalog.hpp"
#include "shared/kiosk/flow.hpp"
#include "shared/kiosk/kiosk_config.hpp"
#include "shared/net/event_stream_client.hpp"
#include "shared/net/http_client.hpp"
#include "shared/net/tls_options.hpp"
#include "shared/ticket/font.hpp"
#include "shared/ticket/printer_profile.hpp"
#include "shared/ticket/printer_status.hpp"
#include "shared/ui/main_queue.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace loket::kiosk {

struct WorkerSettings {
    std::string serverUrl;
    std::string deviceToken;
    // An enrolled kiosk (no configured token): asked for the current token before each request
    // (empty while the kiosk is not paired: it then sends nothing), and told when the server
    // refused that token (401: the kiosk was revoked). Both are called on the worker thread.
    std::function<std::string()> tokenSource;
    std::function<void(const std::string& token)> onUnauthorized;
    std::string printerTransport;
    ticket::PrinterProfile printerProfile;
    std::chrono::milliseconds heartbeatInterval{10000};
    std::chrono::milliseconds servicesRefresh{60000};
    std::chrono::milliseconds retryCap{5000}; // longest wait between check-in attempts while offline
    // Tickets the host at the door asks this kiosk to print (GET /api/v1/kiosk/print-jobs): asked
    // this often, so a job prints well within the host's 5 s. 0: never asked.
    std::chrono::milliseconds printJobPoll{1000};
    std::string hallName;                     // printed on those tickets, as on the kiosk's own
    std::string defaultTicketLanguage = "nl";
    net::TlsOptions tls{}; // https://: the server's CA / pinned key; a failure is a device alert
    // Every instance of the hall server, the first being serverUrl/tls (shared/net/server_list.hpp):
    // a request tries each before the kiosk counts as offline.
    std::shared_ptr<net::ServerList> servers{};
    // Offline check-in (issue 13): the journal file (empty: off) and how often the leases and the
    // offline book are renewed while the server is there.
    std::filesystem::path offlineJournal;
    std::chrono::milliseconds leaseRenew{60000};
    std::size_t uploadBatch = 100;
};

// What the worker measured, for the benchmark and logs.
struct WorkerStats {
    std::uint64_t checkIns = 0;
    std::uint64_t checkInAttempts = 0;
    std::uint64_t printed = 0;
    std::uint64_t heartbeats = 0;
    std::chrono::microseconds lastPrintDuration{0}; // layout + encode + transport
    // Per ticket, in milliseconds (the benchmark's breakdown of touch → printed ticket): the
    // offline journal's commit, the layout and encoding, and the printer transport's write.
    std::vector<double> journalMs, layoutMs, transportMs;
    std::uint64_t offlineTickets = 0;  // issued by the kiosk itself while the server was away
    std::uint64_t noNumberTickets = 0; // the last resort: numbers ran out ("meld u bij de balie")
    std::uint64_t uploaded = 0;        // offline tickets the server answered for
    std::uint64_t bookRefreshes = 0;   // offline book fetched again after a booking changed
};

class Worker {
public:
    using Job = std::variant<SendCheckIn, CancelCheckIn, PrintTicket>;

    // `catalogs` by language code for the ticket texts; results go to `results` (which must
    // outlive the worker), oldest first.
    Worker(WorkerSettings settings, std::map<std::string, i18n::Catalog> catalogs, ticket::Fonts fonts,
           ui::MainQueue<Input>& results);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void submit(Job job);
    // The kiosk was (re)paired: send a heartbeat and load the services now.
    void credentialChanged();
    WorkerStats stats() const;
    ticket::PrinterFault printerState() const;

private:
    struct PendingCheckIn {
        SendCheckIn request;
        std::string idempotencyKey;
        std::chrono::steady_clock::time_point nextAttempt;
        std::chrono::milliseconds backoff{500};
        bool toldUnreachable = false;
    };

    void run();
    void attemptCheckIn(net::HttpClient& http);
    // Prints and tells the flow; the printer's fault (None: it came out).
    ticket::PrinterFault print(const PrintTicket& job);
    // The host's print jobs: takes them, prints each as the kiosk's own ticket, reports back.
    void takePrintJobs(net::HttpClient& http);
    bool useCurrentToken(net::HttpClient& http);
    void noteRefusal(const net::HttpClient& http);
    void heartbeat(net::HttpClient& http);
    void refreshServices(net::HttpClient& http);
    // The banner from the hall snapshot (GET /api/v1/hall).
    void loadBanner(net::HttpClient& http);
    // A configuration.changed or reset event (on the stream's thread).
    void onHallEvent(const net::SseEvent& ev);
    void pollPrinter();
    // Offline check-in: a check-in the server cannot take now is issued from the leases.
    void offlineCheckIn(const SendCheckIn& request);
    void syncOffline(net::HttpClient& http);
    // The hall's event stream, for an offline-capable kiosk: a booking made, changed or cancelled
    // marks the offline book stale; a (re)connect means the server is back.
    void followEvents();
    void refreshBook(net::HttpClient& http);
    void post(Input input);
    void reachable(bool yes, bool certificateRefused = false);
    void setPrinterState(ticket::PrinterFault fault);

    WorkerSettings m_settings;
    std::map<std::string, i18n::Catalog> m_catalogs;
    ticket::Fonts m_fonts;
    ui::MainQueue<Input>& m_results;

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Job> m_jobs;
    bool m_stop = false;
    bool m_refreshWanted = false; // the event stream asked for the services and the banner now
    WorkerStats m_stats;
    ticket::PrinterFault m_printer = ticket::PrinterFault::None;

    // Worker-thread state.
    std::optional<PendingCheckIn> m_pending;
    std::optional<bool> m_reachable;
    bool m_certificateRefused = false;
    bool m_servicesLoaded = false;
    bool m_printerChanged = true;
    std::chrono::steady_clock::time_point m_nextHeartbeat{};
    std::chrono::steady_clock::time_point m_nextServices{};
    std::chrono::steady_clock::time_point m_nextPrintJobs{};
    std::vector<proto::ClientService> m_services; // the last list, for the host's print jobs
    std::optional<OfflineDesk> m_offline;      // with a journal: offline check-in is on
    std::chrono::steady_clock::time_point m_nextLeaseSync{};
    // Set by the event stream's thread (under m_mutex), read by the worker.
    bool m_bookStale = false;
    bool m_streamConnected = false;
    std::unique_ptr<net::EventStreamClient> m_events;

    // The event id the last banner shown came from: a snapshot fetched before a change must not
    // undo the change's banner that arrived on the stream meanwhile.
    std::atomic<std::int64_t> m_bannerEventId{0};
    std::thread m_thread; // last: starts after every member above exists
};

} // namespace loket::kiosk
