#include "event_store.hpp"

#include <sqlite3.h>

#include <utility>

namespace loket::server {
using namespace loket::core;

namespace {

// A prepared statement that finalises itself.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) { m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr); }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    bool ok() const { return m_rc == SQLITE_OK; }
    Statement& bind(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); return *this; }
    Statement& bind(int i, const std::string& v) { sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); return *this; }
    Statement& bindNull(int i) { sqlite3_bind_null(m_stmt, i); return *this; }
    Statement& bindOpt(int i, const std::optional<std::int64_t>& v) { return v ? bind(i, *v) : bindNull(i); }
    int step() { return sqlite3_step(m_stmt); }
    void reset() { sqlite3_reset(m_stmt); sqlite3_clear_bindings(m_stmt); }
    std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
    std::optional<std::int64_t> optInteger(int col) const {
        if (sqlite3_column_type(m_stmt, col) == SQLITE_NULL) return std::nullopt;
        return sqlite3_column_int64(m_stmt, col);
    }
    std::string text(int col) const {
        auto p = sqlite3_column_text(m_stmt, col);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
    }

private:
    sqlite3_stmt* m_stmt = nullptr;
    int m_rc;
};

const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS events(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency(
  key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  day INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS visits(
  ticket INTEGER PRIMARY KEY,
  day INTEGER NOT NULL,
  number TEXT NOT NULL,
  service TEXT NOT NULL,
  services TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  appointment_at INTEGER NOT NULL,
  first_called_at INTEGER,
  started_at INTEGER,
  ended_at INTEGER,
  counter TEXT NOT NULL,
  outcome TEXT NOT NULL,
  feedback INTEGER,
  limit_s INTEGER NOT NULL,
  issued_hour INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS visits_by_day ON visits(day);
CREATE TABLE IF NOT EXISTS health(
  id INTEGER PRIMARY KEY,
  probes INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions(
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  expires_at INTEGER NOT NULL);
)SQL";

} // namespace

Error EventStore::sqlError(const std::string& what) const {
    return makeError(ErrorCode::StoreFailed, what + ": " + sqlite3_errmsg(m_db));
}

Status EventStore::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        return makeError(ErrorCode::StoreFailed, text);
    }
    return Ok{};
}

Result<std::unique_ptr<EventStore>> EventStore::open(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return makeError(ErrorCode::StoreFailed, "cannot open " + file.string() + ": " + message);
    }
    std::unique_ptr<EventStore> store(new EventStore(db));
    sqlite3_busy_timeout(db, 2000);
    // WAL + FULL: a commit survives a crash and a power cut; readers do not block the writer.
    // secure_delete: a purged name is overwritten on disk, not just unlinked from the b-tree.
    for (const char* pragma : {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", "PRAGMA foreign_keys=ON;",
                               "PRAGMA secure_delete=ON;"})
        if (auto st = store->exec(pragma); !st) return makeError(ErrorCode::StoreFailed, file.string() + ": " + st.error().message);
    if (auto st = store->exec(kSchema); !st) return makeError(ErrorCode::StoreFailed, file.string() + ": " + st.error().message);
    Statement last(db, "SELECT COALESCE(MAX(id), 0) FROM events");
    if (last.ok() && last.step() == SQLITE_ROW) store->m_lastEventId = last.integer(0);
    // AUTOINCREMENT remembers ids of purged events too, so ids never go back.
    Statement seq(db, "SELECT seq FROM sqlite_sequence WHERE name = 'events'");
    if (seq.ok() && seq.step() == SQLITE_ROW) store->m_lastEventId = std::max(store->m_lastEventId, seq.integer(0));
    return store;
}

EventStore::~EventStore() { sqlite3_close(m_db); }

Result<std::vector<StoredEvent>> EventStore::loadEvents() {
    Statement q(m_db, "SELECT id, type, body FROM events ORDER BY id");
    if (!q.ok()) return sqlError("reading events");
    std::vector<StoredEvent> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) out.push_back({q.integer(0), q.text(1), q.text(2)});
    if (rc != SQLITE_DONE) return sqlError("reading events");
    return out;
}

Result<std::vector<std::int64_t>> EventStore::commit(const CommitBatch& batch) {
    if (auto st = exec("BEGIN IMMEDIATE"); !st) return st.error();
    auto rollback = [&](const std::string& what) {
        Error e = sqlError(what);
        (void)exec("ROLLBACK"); // the error already being reported matters more
        return e;
    };
    std::vector<std::int64_t> ids;
    {
        Statement insert(m_db, "INSERT INTO events(type, body) VALUES(?, ?)");
        if (!insert.ok()) return rollback("storing events");
        for (const auto& [type, body] : batch.events) {
            insert.bind(1, type).bind(2, body);
            if (insert.step() != SQLITE_DONE) return rollback("storing an event");
            ids.push_back(sqlite3_last_insert_rowid(m_db));
            insert.reset();
        }
    }
    if (!batch.finishedDay.empty()) {
        Statement v(m_db, "INSERT OR REPLACE INTO visits VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!v.ok()) return rollback("storing visits");
        for (const VisitRecord& r : batch.finishedDay) {
            v.bind(1, r.ticket).bind(2, r.day).bind(3, r.number).bind(4, r.service).bind(5, r.services)
             .bind(6, std::string(ticketKindName(r.kind))).bind(7, std::string(ticketStatusName(r.status)))
             .bind(8, r.issuedAt).bind(9, r.appointmentAt).bindOpt(10, r.firstCalledAt).bindOpt(11, r.startedAt)
             .bindOpt(12, r.endedAt).bind(13, r.counter).bind(14, std::string(outcomeName(r.outcome)));
            if (r.feedbackScore) v.bind(15, *r.feedbackScore); else v.bindNull(15);
            v.bind(16, r.limitS).bind(17, r.issuedHour);
            if (v.step() != SQLITE_DONE) return rollback("storing a visit");
            v.reset();
        }
    }
    if (batch.purgeBeforeFirstEvent && !ids.empty()) {
        // A new day: yesterday's events (names, booking codes, notes) and retry keys go.
        Statement purge(m_db, "DELETE FROM events WHERE id < ?");
        purge.bind(1, ids.front());
        if (!purge.ok() || purge.step() != SQLITE_DONE) return rollback("purging old events");
        Statement keys(m_db, "DELETE FROM idempotency WHERE day < ?");
        keys.bind(1, batch.today);
        if (!keys.ok() || keys.step() != SQLITE_DONE) return rollback("purging old retry keys");
    }
    if (batch.idempotency) {
        const auto& r = *batch.idempotency;
        Statement q(m_db, "INSERT INTO idempotency(key, request_hash, status, response, day) VALUES(?,?,?,?,?)");
        q.bind(1, r.key).bind(2, r.requestHash).bind(3, r.status).bind(4, r.response).bind(5, r.day);
        if (!q.ok() || q.step() != SQLITE_DONE) return rollback("storing the retry key");
    }
    if (auto st = exec("COMMIT"); !st) {
        (void)exec("ROLLBACK"); // the error already being reported matters more
        return st.error();
    }
    if (!ids.empty()) m_lastEventId = ids.back();
    if (batch.purgeBeforeFirstEvent) {
        // The write-ahead log still holds yesterday's pages: fold it into the database and empty
        // it, so no copy of a purged name stays on disk.
        (void)exec("PRAGMA wal_checkpoint(TRUNCATE);");
    }
    return ids;
}

Result<std::optional<IdempotencyRecord>> EventStore::findIdempotency(const std::string& key) {
    Statement q(m_db, "SELECT request_hash, status, response, day FROM idempotency WHERE key = ?");
    if (!q.ok()) return sqlError("reading retry keys");
    q.bind(1, key);
    int rc = q.step();
    if (rc == SQLITE_DONE) return std::optional<IdempotencyRecord>{};
    if (rc != SQLITE_ROW) return sqlError("reading retry keys");
    return std::optional<IdempotencyRecord>{IdempotencyRecord{key, q.text(0), static_cast<int>(q.integer(1)), q.text(2),
                                                              static_cast<LocalDay>(q.integer(3))}};
}

Result<std::vector<VisitRecord>> EventStore::visits(LocalDay day) {
    Statement q(m_db, "SELECT ticket, day, number, service, services, kind, status, issued_at, appointment_at, "
                      "first_called_at, started_at, ended_at, counter, outcome, feedback, limit_s, issued_hour "
                      "FROM visits WHERE day = ? ORDER BY ticket");
    if (!q.ok()) return sqlError("reading visits");
    q.bind(1, day);
    std::vector<VisitRecord> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
        VisitRecord r;
        r.ticket = q.integer(0);
        r.day = static_cast<LocalDay>(q.integer(1));
        r.number = q.text(2);
        r.service = q.text(3);
        r.services = q.text(4);
        r.kind = q.text(5) == "appointment" ? TicketKind::Appointment : TicketKind::WalkIn;
        r.status = parseTicketStatus(q.text(6)).value_or(TicketStatus::Cancelled);
        r.issuedAt = q.integer(7);
        r.appointmentAt = q.integer(8);
        r.firstCalledAt = q.optInteger(9);
        r.startedAt = q.optInteger(10);
        r.endedAt = q.optInteger(11);
        r.counter = q.text(12);
        r.outcome = parseOutcome(q.text(13)).value_or(Outcome::None);
        if (auto f = q.optInteger(14)) r.feedbackScore = static_cast<int>(*f);
        r.limitS = q.integer(15);
        r.issuedHour = static_cast<int>(q.integer(16));
        out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) return sqlError("reading visits");
    return out;
}

Status EventStore::putSession(const std::string& tokenHash, const std::string& username, std::int64_t expiresAt) {
    Statement q(m_db, "INSERT OR REPLACE INTO sessions(token_hash, username, expires_at) VALUES(?,?,?)");
    q.bind(1, tokenHash).bind(2, username).bind(3, expiresAt);
    if (!q.ok() || q.step() != SQLITE_DONE) return sqlError("storing a session");
    return Ok{};
}

Result<std::optional<std::pair<std::string, std::int64_t>>> EventStore::findSession(const std::string& tokenHash) {
    Statement q(m_db, "SELECT username, expires_at FROM sessions WHERE token_hash = ?");
    if (!q.ok()) return sqlError("reading sessions");
    q.bind(1, tokenHash);
    int rc = q.step();
    if (rc == SQLITE_DONE) return std::optional<std::pair<std::string, std::int64_t>>{};
    if (rc != SQLITE_ROW) return sqlError("reading sessions");
    return std::optional<std::pair<std::string, std::int64_t>>{std::pair{q.text(0), q.integer(1)}};
}

Status EventStore::deleteSession(const std::string& tokenHash) {
    Statement q(m_db, "DELETE FROM sessions WHERE token_hash = ?");
    q.bind(1, tokenHash);
    if (!q.ok() || q.step() != SQLITE_DONE) return sqlError("deleting a session");
    return Ok{};
}

Status EventStore::probeWrite() {
    // A real commit, synced like every other: taking the write lock alone says nothing about a
    // full disk or a failing one, and /healthz must not answer "ok" while every write fails.
    if (auto st = exec("BEGIN IMMEDIATE"); !st) return st;
    if (auto st = exec("INSERT INTO health(id, probes) VALUES(1, 1) ON CONFLICT(id) DO UPDATE SET probes = probes + 1"); !st) {
        (void)exec("ROLLBACK"); // the error already being reported matters more
        return st;
    }
    if (auto st = exec("COMMIT"); !st) {
        (void)exec("ROLLBACK");
        return st;
    }
    return Ok{};
}

} // namespace loket::server
