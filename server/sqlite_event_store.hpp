// SqliteEventStore: the EventStore in one SQLite file (WAL, synchronous=FULL, secure_delete).
// The schema carries a version (PRAGMA user_version); at open, the migrations the file has not
// had yet run in order inside one transaction, so a file is either fully at the new version or
// untouched. A file from a newer server is refused rather than guessed at.
// Used by main.cpp; callers see only the EventStore interface.
//
// Checkpoints (folding the write-ahead log into the database file, with an fsync of that file)
// do not run in the committing thread: SQLite's automatic checkpoint is off on the writer, whose
// commit hook only wakes a checkpointer thread with a connection of its own once the log has
// grown by kCheckpointPages. That thread runs PASSIVE checkpoints (they never make the writer
// wait); one that fails (I/O error, full disk) loses nothing, since the log still holds every
// committed page, and is logged and retried. The day rollover's TRUNCATE checkpoint stays on the
// writer, and closing the writer last folds the log in as before.
//
// The log is started again from its beginning once per checkpoint, also in a burst: after a
// PASSIVE checkpoint, the writer's next commit first folds in the few frames committed while it
// ran (a RESTART checkpoint, between two groups), so that SQLite overwrites the log's old frames
// instead of appending to a file that grows for as long as commits keep coming. On this VM's ext4
// an fsync after an overwrite took half the time of one after an append (docs/benchmarks.md).
#pragma once

#include "event_store.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

struct sqlite3;
namespace loket::sqlite {
class StatementCache;
}

namespace loket::server {

class SqliteEventStore final : public EventStore {
public:
    // The schema version this server writes; the file's user_version after open.
    static int schemaVersion();
    // Write-ahead log pages the writer adds before the checkpointer is woken (SQLite's own
    // automatic checkpoint used the same figure).
    static constexpr int kCheckpointPages = 1000;
    static Result<std::unique_ptr<EventStore>> open(const std::filesystem::path& file);
    ~SqliteEventStore() override;
    SqliteEventStore(const SqliteEventStore&) = delete;
    SqliteEventStore& operator=(const SqliteEventStore&) = delete;

    Result<std::vector<StoredEvent>> loadEvents() override;
    Result<std::vector<std::vector<std::int64_t>>> commitGroup(std::span<const CommitBatch> batches) override;
    Result<std::optional<IdempotencyRecord>> findIdempotency(const std::string& key) override;
    Result<std::vector<core::VisitRecord>> visits(core::LocalDay day) override;
    Result<core::DoorAnswerCounts> doorAnswers(core::LocalDay day) override;
    std::int64_t lastEventId() const override { return m_lastEventId; }

    Status putSession(const std::string& tokenHash, const StoredSession& session) override;
    Result<std::optional<StoredSession>> findSession(const std::string& tokenHash) override;
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

    Result<std::optional<std::string>> loadConfiguration() override;

    Status probeWrite() override;
    // The executor's pipeline decides the next group during a commit: retry keys are read on a
    // connection of their own, which sees what is committed and does not wait for the writer.
    bool singleWriter() const override { return true; }
    Result<std::vector<IdempotencyRecord>> findIdempotencies(const std::vector<std::string>& keys) override;

private:
    explicit SqliteEventStore(sqlite3* db);
    Status migrate(const std::filesystem::path& file);
    Status exec(const char* sql);
    Error sqlError(const std::string& what) const;
    bool writeBatch(const CommitBatch& batch, std::vector<std::int64_t>& ids, std::string& failed);
    static int onWalCommit(void* store, sqlite3* db, const char* name, int pages);
    void checkpointLoop();
    bool checkpointOnce(std::chrono::milliseconds retryIn);
    void restartLog();

    std::mutex m_mutex; // one connection: one statement at a time
    sqlite3* m_db;
    // The retry-key reader (WAL: a reader never waits for the writer's commit), opened with the
    // store so that it holds the files open before any write.
    std::mutex m_readMutex;
    sqlite3* m_reader = nullptr;
    std::atomic<std::int64_t> m_lastEventId{0};
    // The checkpointer: its own connection and thread. m_checkpointMutex lets one checkpoint run
    // at a time (the checkpointer's, or the rollover's TRUNCATE on the writer).
    std::mutex m_checkpointMutex;
    sqlite3* m_checkpointer = nullptr;
    int m_walPagesAtWake = 0; // guarded by m_mutex (the commit hook runs inside a commit)
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;
    bool m_checkpointWanted = false;
    // Set by a checkpoint that folded the log in; taken by the writer's next commit (restartLog).
    std::atomic<bool> m_restartDue{false};
    bool m_stopping = false;
    std::thread m_checkpointThread;
    // The commit path's and the retry-key look-up's statements, prepared once per connection
    // (used under m_mutex and m_readMutex); finalised before the connections close.
    std::unique_ptr<sqlite::StatementCache> m_writerStatements;
    std::unique_ptr<sqlite::StatementCache> m_readerStatements;
};

} // namespace loket::server
