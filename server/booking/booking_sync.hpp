// BookingSync: keeps the hall's book in step with its booking systems.
//
// - Pull: at start and every pull_interval_s, each connector's appointments of today (and from
//   tomorrow_from on, tomorrow's) go through the hall's command handler as BookAppointment with
//   the system's own id as code and that source's code rule. Re-pulling an unchanged appointment
//   changes nothing (the core answers no events); one the system cancelled or no longer lists is
//   withdrawn (RemoveAppointment). A failed or malformed pull changes nothing in the book.
// - Look up: at check-in, a code the book does not know is asked of the systems whose code rule
//   it fits (lookup_timeout_ms each), booked when found, and checked in by the caller. When every
//   system asked fails, the answer is `unavailable` with a kind message and staff get an alert;
//   codes pulled earlier keep working because they are already in the book.
// - Health: per connector the last successful pull, the last error, counts; unknown products are
//   named in an alert. Rendered for /metrics and as JSON for the dashboard.
//
// Several server instances may each run a BookingSync: every write is idempotent, so it does not
// matter which instance pulls; `instance` names this one in /metrics and the status.
// Depends on loket::booking, loket::net and the core; the hall is reached only through BookPort.
#pragma once

#include "booking_config.hpp"
#include "connector.hpp"

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace loket::server::booking {

// What BookingSync needs from the hall; the server wires these to its command handler.
struct BookPort {
    // Runs a command through the command handler (stored, applied, published). True when it
    // produced events, false when it changed nothing.
    std::function<Result<bool>(const core::Command&)> execute;
    // The codes of the appointments still booked (not checked in or removed) on a day.
    std::function<std::vector<std::string>(core::LocalDay)> bookedCodes;
    std::function<core::Now()> now;
    // Staff alert and log line (optional). Never carries a secret or personal data beyond a code.
    std::function<void(const std::string& connector, const std::string& message)> alert;
};

struct ConnectorHealth {
    std::string name;
    std::string system;
    std::optional<core::Seconds> lastSuccess; // instant of the last successful pull
    std::string lastError;                    // empty after a success
    std::string lastErrorKind;                // pullErrorKind of lastError (for the dashboard's plain Dutch)
    int lastErrorStatus = 0;                  // the HTTP status in lastError, 0 when none
    core::Seconds lastErrorAt = 0;            // since when the pulls fail with lastError
    std::optional<core::Seconds> nextPull;    // when the scheduler pulls again (set after each pull)
    std::uint64_t pullsOk = 0, pullsFailed = 0;
    std::uint64_t lookupsFound = 0, lookupsNotFound = 0, lookupsFailed = 0;
    std::uint64_t booked = 0, withdrawn = 0; // appointments written into / taken out of the book
    int appointments = 0;                    // listed in the last successful pull (all days pulled)
    std::set<std::string> unknownProducts;   // products seen today that map to no service
};

// What kind of failure a pull error is, for staff who do not read HTTP: `timeout` (no answer in
// time), `unreachable` (no connection), `login` (HTTP 401/403: the credentials are refused),
// `http_error` (another HTTP error status), `fault` (a SOAP fault: the system refused the request),
// `malformed` (an answer Loket cannot read). `status` receives the HTTP status when there is one.
std::string pullErrorKind(const Error& error, int& status);

struct BookingAlert {
    core::Seconds at = 0;
    std::string connector;
    std::string message;
};

class BookingSync {
public:
    BookingSync(std::vector<ConnectorConfig> configs, BookPort port, loket::booking::HallZone zone,
                std::string hallTimeZone, std::string instance);
    // Tests: connectors given (one per config, same order).
    BookingSync(std::vector<ConnectorConfig> configs, std::vector<std::unique_ptr<Connector>> connectors, BookPort port,
                std::string instance);
    ~BookingSync();
    BookingSync(const BookingSync&) = delete;
    BookingSync& operator=(const BookingSync&) = delete;

    // Pulls once now, then every connector on its own interval, on a thread of its own.
    void start();
    void stop();
    // One round over every connector on the caller's thread.
    void pullNow();

    // The check-in hook: the code to check in for `code` (the same code, or the appointment a
    // scanned JCC QR text belongs to), nullopt when no system knows it, or `unavailable` when
    // the systems that could know it cannot be reached.
    Result<std::optional<std::string>> resolve(const std::string& code);

    std::vector<ConnectorHealth> health() const;
    std::vector<BookingAlert> alerts() const;
    std::string metricsText() const;   // Prometheus text format
    // For the dashboard and GET /api/v1/booking/status; `when` renders an instant (the server
    // gives RFC 3339 in the hall's offset), by default the Unix time as a number.
    nlohmann::json statusJson(const std::function<nlohmann::json(core::Seconds)>& when = {}) const;
    const std::string& instance() const { return m_instance; }
    // The location whose book this fills in a city ("" in a one-location hall): a label in /metrics.
    void setLocation(std::string location) { m_location = std::move(location); }
    const std::string& location() const { return m_location; }

private:
    struct Slot {
        ConnectorConfig config;
        std::unique_ptr<Connector> connector;
        std::map<core::LocalDay, std::set<std::string>> known; // codes this connector put in the book
        bool seeded = false;
    };
    void pullOne(Slot& slot);
    void applyDay(Slot& slot, core::LocalDay day, const std::vector<loket::booking::ForeignAppointment>& list);
    void raise(const std::string& connector, const std::string& message);
    ConnectorHealth& healthOf(const std::string& name);
    bool soleSourceOf(const Slot& slot) const;
    void run();

    BookPort m_port;
    std::string m_instance;
    std::string m_location;
    std::vector<Slot> m_slots;
    std::mutex m_pullMutex; // one pull round at a time

    mutable std::mutex m_mutex; // health, alerts, QR aliases
    std::map<std::string, ConnectorHealth> m_health;
    std::deque<BookingAlert> m_alerts;
    std::map<std::string, std::string> m_qrAlias; // JCC QR text → appointment id
    core::LocalDay m_aliasDay = 0;

    std::mutex m_threadMutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

// /metrics for the booking systems of every location: each family once, and a location="id"
// label on the series of a city's location (none in a one-location hall, as before).
std::string bookingMetricsText(const std::vector<const BookingSync*>& syncs);

} // namespace loket::server::booking
