// PostgresEventStore: the EventStore in a PostgreSQL database (libpq), for a city whose hall
// servers share one database. The same event log, retry keys, visits, sessions, audit trail,
// enrolled devices and purge rules as SqliteEventStore; commits are durable when PostgreSQL's
// fsync and synchronous_commit are on (its defaults).
//
// Schema: versioned (table loket_schema), migrations run in order in one transaction at open,
// under an advisory lock, so instances that start together migrate once; a database from a newer
// server is refused. Several instances: a write turn takes a transaction-level advisory lock for
// the hall, so commands are decided and committed one group at a time across all instances, each
// on the state with every earlier event applied (beginWriteTurn returns the ones it missed). A
// commit sends NOTIFY loket_events with its last event id and, when they fit, its events
// (postgres_announcement.hpp); watchCommits LISTENs on the process's listening connection, keeps
// the events announcements carried, and eventsAfter and the write turn take them from there
// rather than reading them again (an id alone, a reconnect or a caller behind what is kept: read).
// Round trips, since the lock is held across them: a turn is one (a libpq pipeline: begin, lock,
// catch-up read, the group's retry keys), and its commit one (a pipeline: every event of the group
// in one INSERT, every retry key in another, the announcement, COMMIT); the statements that run
// on every group are prepared once per connection; the group's events are stored and announced
// by one statement. A catch-up after an announcement reads only when an event was announced that
// the caller does not have yet and the announcement did not carry.
// Used by store_factory.cpp; callers see only the EventStore interface.
#pragma once

#include "server/event_store.hpp"
#include "postgres_connection.hpp"
#include "postgres_listener.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

namespace loket::server {

class PostgresEventStore final : public EventStore {
public:
    static int schemaVersion();
    // `url`: postgresql://user@host:port/database?… (libpq's connection URI). `partition`: a
    // location of a city ("" for a one-location hall, whose tables are the database's default
    // schema): its tables live in the schema loc_<partition>, its commands take an advisory lock
    // of their own and its commits notify a channel of their own.
    static Result<std::unique_ptr<EventStore>> open(const std::string& url, const std::string& partition = {});
    ~PostgresEventStore() override;
    PostgresEventStore(const PostgresEventStore&) = delete;
    PostgresEventStore& operator=(const PostgresEventStore&) = delete;

    Result<std::vector<StoredEvent>> loadEvents() override;
    Result<std::vector<std::vector<std::int64_t>>> commitGroup(std::span<const CommitBatch> batches) override;
    Result<std::optional<IdempotencyRecord>> findIdempotency(const std::string& key) override;
    Result<std::vector<IdempotencyRecord>> findIdempotencies(const std::vector<std::string>& keys) override;
    Result<std::vector<core::VisitRecord>> visits(core::LocalDay day) override;
    Result<core::DoorAnswerCounts> doorAnswers(core::LocalDay day) override;
    std::int64_t lastEventId() const override { return m_lastEventId; }

    Status putSession(const std::string& tokenHash, const StoredSession& session) override;
    Result<std::optional<StoredSession>> findSession(const std::string& tokenHash) override;
    Result<std::optional<std::string>> loadConfiguration() override;
    Status deleteSession(const std::string& tokenHash) override;
    Status deleteSessionsOf(const std::string& username) override;
    Status deleteExpiredSessions(core::Seconds now) override;
    Status putStaffAccount(const StaffAccountRecord& account) override;
    Result<bool> addStaffAccount(const StaffAccountRecord& account) override;
    Result<std::vector<StaffAccountRecord>> staffAccounts() override;

    Status appendAudit(const AuditEntry& entry) override;
    Result<std::vector<AuditEntry>> auditEntries(core::LocalDay day) override;
    Status purgeAudit(core::LocalDay before) override;
    Status putEnrolledDevice(const EnrolledDeviceRecord& device) override;
    Result<std::vector<EnrolledDeviceRecord>> enrolledDevices() override;
    Result<bool> addPairing(const PairingRecord& pairing) override;
    Result<std::vector<PairingRecord>> pairings(std::int64_t now) override;
    Status deleteExpiredPairings(std::int64_t now) override;
    Result<bool> approvePairing(const std::string& code, const std::string& deviceId, std::int64_t now) override;
    Result<bool> takePairing(const std::string& code) override;
    Result<std::int64_t> addPrintJob(const PrintJobRecord& job, std::int64_t keep) override;
    Result<std::vector<PrintJobRecord>> takePrintJobs(const std::string& kiosk, std::int64_t notBefore) override;
    Status setPrintJob(std::int64_t id, const std::string& state, const std::string& reason) override;
    Result<std::optional<PrintJobRecord>> printJob(std::int64_t id) override;
    Status putDeviceStatus(const DeviceStatusRecord& status) override;
    Result<std::vector<DeviceStatusRecord>> deviceStatuses() override;

    Status probeWrite() override;

    Result<std::vector<StoredEvent>> beginWriteTurn(std::int64_t knownEventId) override;
    Result<WriteTurn> beginWriteTurn(std::int64_t knownEventId, const std::vector<std::string>& retryKeys) override;
    void endWriteTurn() override;
    Result<std::vector<StoredEvent>> eventsAfter(std::int64_t knownEventId) override;
    void watchCommits(std::function<void()> committed) override;
    // The shared tables' announcements: NOTIFY / LISTEN on loket_shared (postgres_shared_tables.cpp).
    void announceSharedChange(const std::string& topic) override;
    void watchSharedChanges(std::function<void(const std::string&)> changed) override;
    // How many times eventsAfter read the event log rather than answer from the announcements
    // (for tests: followers apply carried events without a query).
    std::uint64_t eventLogReads() const { return m_eventLogReads.load(); }

private:
    PostgresEventStore(std::string url, std::unique_ptr<pg::Connection> writer, std::unique_ptr<pg::Connection> other)
        : m_url(std::move(url)), m_writer(std::move(writer)), m_other(std::move(other)) {}
    Status migrate();
    // The statements that write `batches` in order (without BEGIN, lock, announcement, COMMIT):
    // `eventInserts` names those that return event ids, `eventCount` adds up their rows.
    static void appendGroupWrites(std::span<const CommitBatch> batches, std::vector<pg::Statement>& out,
                                  std::vector<std::size_t>& eventInserts, std::size_t& eventCount, bool& purged);
    Result<std::vector<StoredEvent>> readEventsAfter(std::int64_t knownEventId);
    void noteEventId(std::int64_t id);
    void noteAnnounced(std::int64_t id);
    void noteAnnouncement(const std::string& payload, const std::function<void()>& committed);
    // The kept events with ids above `knownEventId` (taken out: the caller applies them), when
    // every one of them up to the last announced (`keptTo`) is kept; nullopt when some must be read.
    std::optional<std::vector<StoredEvent>> takeDelivered(std::int64_t knownEventId, std::int64_t* keptTo = nullptr);
    void stopWatching();

    const std::string m_url;
    std::string m_lockKey = "0";           // the advisory lock's second key: this location's commands
    std::string m_channel = "loket_events"; // NOTIFY / LISTEN
    // The write path (turns, commits, the event log) and everything else (sessions, audit,
    // devices, visits, probes) on two connections, so a staff log-in never waits for, or lands
    // inside, a command's open transaction.
    std::mutex m_writerMutex;
    std::unique_ptr<pg::Connection> m_writer;
    bool m_turnOpen = false; // a write turn's transaction is open on m_writer
    std::mutex m_otherMutex;
    std::unique_ptr<pg::Connection> m_other;
    std::atomic<std::int64_t> m_lastEventId{0};
    // While the listener is connected (m_listening): the highest event id committed before it
    // started listening or announced since. No event above it exists yet that was not announced.
    std::atomic<bool> m_listening{false};
    std::atomic<std::int64_t> m_announcedId{0};
    // The events announcements carried: while m_deliveredValid (listening), every event with an
    // id in (m_deliveredFrom, m_deliveredTo] is in m_delivered, in order; m_deliveredTo is the
    // last id announced. An announcement of the id alone empties it (m_deliveredFrom moves up).
    std::mutex m_deliveredMutex;
    bool m_deliveredValid = false;
    std::vector<StoredEvent> m_delivered;
    std::int64_t m_deliveredFrom = 0;
    std::int64_t m_deliveredTo = 0;
    std::atomic<std::uint64_t> m_eventLogReads{0};

    // watchCommits' subscription to m_channel, and watchSharedChanges' to the shared tables'
    // channel: both on the process's one listening connection for the database (pg::Listener),
    // which the location stores share (m_listenUrl: the URL without a location's search_path).
    std::string m_listenUrl;
    std::mutex m_watchMutex;
    std::unique_ptr<pg::Listener> m_watcher;
    std::unique_ptr<pg::Listener> m_sharedListener;
};

} // namespace loket::server
