// EventStore: the hall's durable memory in SQLite (WAL, synchronous=FULL). The event log is the
// source of truth: a command's events, its idempotency record and (at day rollover) the finished
// day's anonymous visit records are written in one transaction, and the server answers only
// after that commit. After a crash the server replays today's events. When a new day starts,
// older events — and with them every name and booking code — are deleted.
#pragma once

#include "shared/core/result.hpp"
#include "shared/core/stats.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace loket::server {

struct StoredEvent {
    std::int64_t id = 0;
    std::string type;
    std::string body; // JSON (proto/event_codec)
};

struct IdempotencyRecord {
    std::string key;
    std::string requestHash;
    int status = 200;
    std::string response;
    core::LocalDay day = 0;
};

struct CommitBatch {
    std::vector<std::pair<std::string, std::string>> events; // type, body
    std::optional<IdempotencyRecord> idempotency;
    std::vector<core::VisitRecord> finishedDay; // written when a day ends
    bool purgeBeforeFirstEvent = false;         // the batch starts a new day
    core::LocalDay today = 0;
};

class EventStore {
public:
    static Result<std::unique_ptr<EventStore>> open(const std::filesystem::path& file);
    ~EventStore();
    EventStore(const EventStore&) = delete;
    EventStore& operator=(const EventStore&) = delete;

    Result<std::vector<StoredEvent>> loadEvents();
    // Returns the ids given to the batch's events, in order.
    Result<std::vector<std::int64_t>> commit(const CommitBatch& batch);
    Result<std::optional<IdempotencyRecord>> findIdempotency(const std::string& key);
    Result<std::vector<core::VisitRecord>> visits(core::LocalDay day);
    std::int64_t lastEventId() const { return m_lastEventId; }

    // Staff sessions survive a restart, so a crash does not log the whole hall out.
    Status putSession(const std::string& tokenHash, const std::string& username, std::int64_t expiresAt);
    Result<std::optional<std::pair<std::string, std::int64_t>>> findSession(const std::string& tokenHash);
    Status deleteSession(const std::string& tokenHash);

    // Whether a write can be committed now (for /healthz): commits a one-row probe.
    Status probeWrite();

private:
    explicit EventStore(sqlite3* db) : m_db(db) {}
    Status exec(const char* sql);
    Error sqlError(const std::string& what) const;

    sqlite3* m_db;
    std::int64_t m_lastEventId = 0;
};

} // namespace loket::server
