#include "sqlite_event_store.hpp"

#include "log.hpp"
#include "shared/sqlite/statement.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <pthread.h>
#include <utility>
#include <vector>

namespace loket::server {
using namespace loket::core;

namespace {

using sqlite::Statement;


// The schema's history, oldest first. Never edit a released step: add one. Each runs once, in
// order, inside the open's migration transaction, and sets user_version to its number.
struct Migration {
    int version;
    const char* sql;
};

constexpr Migration kMigrations[] = {
    // 1: the first schema. Files written before versioning (user_version 0) already have these
    // tables; IF NOT EXISTS lets them take this step unchanged.
    {1, R"SQL(
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
CREATE TABLE IF NOT EXISTS sessions(
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  expires_at INTEGER NOT NULL);
)SQL"},
    // 2: the day rollover deletes old retry keys and (since this version) expired staff
    // sessions by range: index both.
    {2, R"SQL(
CREATE INDEX idempotency_by_day ON idempotency(day);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
)SQL"},
    // 3: /healthz commits a one-row probe, so a full or failing disk cannot answer "ok".
    {3, R"SQL(
CREATE TABLE health(
  id INTEGER PRIMARY KEY,
  probes INTEGER NOT NULL);
)SQL"},
    // 4: the audit trail of staff and admin actions, outside the event log (the daily purge
    // leaves it; it has its own retention in days).
    {4, R"SQL(
CREATE TABLE audit(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  day INTEGER NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL);
CREATE INDEX audit_by_day ON audit(day);
)SQL"},
    // 5: devices enrolled by pairing, each with its own rotating tokens (hashes only).
    {5, R"SQL(
CREATE TABLE enrolled_devices(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  enrolled_at INTEGER NOT NULL,
  revoked_at INTEGER);
CREATE TABLE device_tokens(
  token_hash TEXT PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES enrolled_devices(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL);
CREATE INDEX device_tokens_by_device ON device_tokens(device_id);
)SQL"},
    // 6: the hall's live configuration (the admin page changes it); one row, kept by the daily
    // purge of the event log.
    {6, R"SQL(
CREATE TABLE configuration(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  document TEXT NOT NULL,
  updated_at INTEGER NOT NULL);
)SQL"},
    // 7: staff accounts made on the admin page (password hashes only; counters comma-separated).
    {7, R"SQL(
CREATE TABLE staff_accounts(
  username TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  counters TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER);
CREATE INDEX sessions_by_user ON sessions(username);
)SQL"},
    // 8: a city's locations (docs/locations.md): a staff session and an enrolled device work at
    // one location, a page account at the locations listed (comma-separated; "" = every location,
    // and always "" in a one-location hall).
    {8, R"SQL(
ALTER TABLE sessions ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolled_devices ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE staff_accounts ADD COLUMN locations TEXT NOT NULL DEFAULT '';
)SQL"},
    // 9: a finished day's questions answered at the door: a count per service (no visitor data),
    // kept like the visits when the day's events are purged.
    {9, R"SQL(
CREATE TABLE door_answers(
  day INTEGER NOT NULL,
  service TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (day, service));
)SQL"},
    // 10: pairing codes waiting for approval (the secret's hash only) and the host's print jobs,
    // and the devices' last heartbeats, in the store rather than one server's memory (several
    // instances on PostgreSQL share them).
    {10, R"SQL(
CREATE TABLE pairings(
  code TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  address TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  approved_device TEXT);
CREATE TABLE print_jobs(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kiosk TEXT NOT NULL,
  ticket TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL);
CREATE INDEX print_jobs_by_kiosk ON print_jobs(kiosk, state);
CREATE TABLE device_status(
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  detail TEXT NOT NULL,
  last_seen INTEGER NOT NULL);
)SQL"},
};

constexpr int kSchemaVersion = std::size(kMigrations);

} // namespace

int SqliteEventStore::schemaVersion() { return kSchemaVersion; }

Error SqliteEventStore::sqlError(const std::string& what) const {
    return makeError(ErrorCode::StoreFailed, what + ": " + sqlite3_errmsg(m_db));
}

Status SqliteEventStore::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        return makeError(ErrorCode::StoreFailed, text);
    }
    return Ok{};
}

Status SqliteEventStore::migrate(const std::filesystem::path& file) {
    auto fail = [&](const std::string& what) { return makeError(ErrorCode::StoreFailed, file.string() + ": " + what); };
    if (auto st = exec("BEGIN IMMEDIATE"); !st) return fail(st.error().message);
    int version = 0;
    {
        Statement q(m_db, "PRAGMA user_version");
        if (!q.ok() || q.step() != SQLITE_ROW) {
            Error e = sqlError(file.string() + ": reading the schema version");
            (void)exec("ROLLBACK");
            return e;
        }
        version = static_cast<int>(q.integer(0));
    }
    if (version > kSchemaVersion) {
        (void)exec("ROLLBACK");
        return fail("the database has schema version " + std::to_string(version) + ", newer than this server's " +
                    std::to_string(kSchemaVersion) + "; run the loket-server that wrote it");
    }
    for (const Migration& m : kMigrations) {
        if (m.version <= version) continue;
        const std::string setVersion = "PRAGMA user_version = " + std::to_string(m.version);
        auto st = exec(m.sql);
        if (st) st = exec(setVersion.c_str());
        if (!st) {
            (void)exec("ROLLBACK"); // the file stays at the version it had
            return fail("migration to schema version " + std::to_string(m.version) + " failed: " + st.error().message);
        }
    }
    if (auto st = exec("COMMIT"); !st) {
        (void)exec("ROLLBACK");
        return fail(st.error().message);
    }
    return Ok{};
}

Result<std::unique_ptr<EventStore>> SqliteEventStore::open(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return makeError(ErrorCode::StoreFailed, "cannot open " + file.string() + ": " + message);
    }
    std::unique_ptr<SqliteEventStore> store(new SqliteEventStore(db));
    sqlite3_busy_timeout(db, 2000);
    // WAL + FULL: a commit survives a crash and a power cut; readers do not block the writer.
    // secure_delete: a purged name is overwritten on disk, not just unlinked from the b-tree.
    // (journal_mode cannot change inside a transaction: these come before the migrations.)
    for (const char* pragma : {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", "PRAGMA foreign_keys=ON;",
                               "PRAGMA secure_delete=ON;"})
        if (auto st = store->exec(pragma); !st) return makeError(ErrorCode::StoreFailed, file.string() + ": " + st.error().message);
    if (auto st = store->migrate(file); !st) return st.error();
    std::int64_t last = 0;
    Statement maxId(db, "SELECT COALESCE(MAX(id), 0) FROM events");
    if (!maxId.ok() || maxId.step() != SQLITE_ROW) return store->sqlError(file.string() + ": reading the last event id");
    last = maxId.integer(0);
    // AUTOINCREMENT remembers ids of purged events too, so ids never go back.
    Statement seq(db, "SELECT seq FROM sqlite_sequence WHERE name = 'events'");
    if (seq.ok() && seq.step() == SQLITE_ROW) last = std::max(last, seq.integer(0));
    store->m_lastEventId = last;
    if (sqlite3_open_v2(file.c_str(), &store->m_reader, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
        std::string message = store->m_reader ? sqlite3_errmsg(store->m_reader) : "out of memory";
        return makeError(ErrorCode::StoreFailed, "cannot open " + file.string() + " for reading: " + message);
    }
    sqlite3_busy_timeout(store->m_reader, 2000);
    store->m_readerStatements = std::make_unique<sqlite::StatementCache>(store->m_reader);
    // The first read opens the write-ahead log and its index now, not in the middle of a commit.
    Statement first(store->m_reader, "SELECT COUNT(*) FROM idempotency WHERE key = ''");
    if (!first.ok() || first.step() != SQLITE_ROW)
        return makeError(ErrorCode::StoreFailed, file.string() + ": reading retry keys: " + sqlite3_errmsg(store->m_reader));
    // The checkpointer's connection, opened (and its files with it) before any write, like the
    // reader's. Neither of the two writes, so neither would checkpoint by itself; say so anyway.
    if (sqlite3_open_v2(file.c_str(), &store->m_checkpointer, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
        std::string message = store->m_checkpointer ? sqlite3_errmsg(store->m_checkpointer) : "out of memory";
        return makeError(ErrorCode::StoreFailed, "cannot open " + file.string() + " for checkpoints: " + message);
    }
    {
        Statement touch(store->m_checkpointer, "SELECT COUNT(*) FROM health");
        if (!touch.ok() || touch.step() != SQLITE_ROW)
            return makeError(ErrorCode::StoreFailed, file.string() + ": opening the checkpointer: " + sqlite3_errmsg(store->m_checkpointer));
    } // the statement ends its read transaction: a checkpoint needs none open on its connection
    sqlite3_wal_autocheckpoint(store->m_reader, 0);
    sqlite3_wal_autocheckpoint(store->m_checkpointer, 0);
    // A RESTART checkpoint waits for readers to leave the log: briefly, in steps of 100 µs, since
    // it runs in the writer's turn. A reader still there after 10 ms leaves the log as it is until
    // the next checkpoint.
    sqlite3_busy_handler(
        store->m_checkpointer,
        [](void*, int tries) {
            if (tries >= 100) return 0;
            std::this_thread::sleep_for(std::chrono::microseconds(100));
            return 1;
        },
        nullptr);
    // The writer's commit hook replaces SQLite's automatic checkpoint (which is itself a commit
    // hook): from here on no commit checkpoints in the committing thread.
    sqlite3_wal_hook(db, &SqliteEventStore::onWalCommit, store.get());
    store->m_checkpointThread = std::thread([s = store.get()] { s->checkpointLoop(); });
    return std::unique_ptr<EventStore>(std::move(store));
}

SqliteEventStore::SqliteEventStore(sqlite3* db) : m_db(db), m_writerStatements(std::make_unique<sqlite::StatementCache>(db)) {}

SqliteEventStore::~SqliteEventStore() {
    {
        std::lock_guard lock(m_wakeMutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_checkpointThread.joinable()) m_checkpointThread.join();
    m_readerStatements.reset(); // sqlite3_close refuses a connection with statements left
    m_writerStatements.reset();
    // The writer closes last: as the last connection it checkpoints and removes the log.
    sqlite3_close(m_reader);
    sqlite3_close(m_checkpointer);
    sqlite3_close(m_db);
}

// Runs inside every commit of the writer, after its log frames are written and synced: only
// wakes the checkpointer, once per kCheckpointPages new pages. `pages` is the log's length in
// pages; it drops when the writer starts the log again from its beginning (after a checkpoint
// that folded everything in).
int SqliteEventStore::onWalCommit(void* self, sqlite3*, const char*, int pages) {
    auto* store = static_cast<SqliteEventStore*>(self);
    if (pages < store->m_walPagesAtWake) store->m_walPagesAtWake = 0;
    if (pages - store->m_walPagesAtWake >= kCheckpointPages) {
        store->m_walPagesAtWake = pages;
        {
            std::lock_guard lock(store->m_wakeMutex);
            store->m_checkpointWanted = true;
        }
        store->m_wake.notify_one();
    }
    return SQLITE_OK;
}

void SqliteEventStore::checkpointLoop() {
    using namespace std::chrono_literals;
    pthread_setname_np(pthread_self(), "loket-checkpt"); // at most 15 characters
    // After a failure: try again after a pause that doubles up to 8 s, whether or not the log
    // grew since; after a success: wait to be woken.
    std::chrono::milliseconds retryIn{0};
    std::unique_lock lock(m_wakeMutex);
    for (;;) {
        if (retryIn == 0ms)
            m_wake.wait(lock, [&] { return m_stopping || m_checkpointWanted; });
        else
            m_wake.wait_for(lock, retryIn, [&] { return m_stopping; });
        if (m_stopping) return;
        m_checkpointWanted = false;
        lock.unlock();
        const auto next = retryIn == 0ms ? 250ms : std::min<std::chrono::milliseconds>(retryIn * 2, 8000ms);
        const bool ok = checkpointOnce(next);
        lock.lock();
        retryIn = ok ? 0ms : next;
    }
}

// One PASSIVE checkpoint: copies what it can of the log into the database file and syncs it,
// without waiting for the writer or a reader. If it fails part-way, the log still holds every
// committed page and stays authoritative, so nothing is lost; only the log grows until a later
// checkpoint succeeds.
bool SqliteEventStore::checkpointOnce(std::chrono::milliseconds retryIn) {
    std::lock_guard lock(m_checkpointMutex);
    const auto t0 = std::chrono::steady_clock::now();
    int logPages = 0, folded = 0;
    const int rc = sqlite3_wal_checkpoint_v2(m_checkpointer, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logPages, &folded);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const char* file = sqlite3_db_filename(m_checkpointer, "main");
    if (rc == SQLITE_OK) {
        logLine("store_checkpoint", {{"file", file ? file : ""}, {"log_pages", logPages}, {"folded_pages", folded}, {"ms", ms}});
        if (folded > 0) m_restartDue.store(true, std::memory_order_release);
        return true;
    }
    logLine("store_checkpoint_failed", {{"file", file ? file : ""}, {"error", sqlite3_errmsg(m_checkpointer)}, {"code", rc},
                                        {"retry_in_ms", retryIn.count()}});
    return false;
}

// In the writer's turn (under m_mutex, no transaction open), after a PASSIVE checkpoint: folds in
// what was committed while it ran, and waits until no reader reads from the log, so that the
// commit that follows makes SQLite start the log again from its beginning. A few dozen pages and
// one sync of the database file, once per kCheckpointPages. A failure changes nothing that is
// committed (the log still holds it all) and is left to the next checkpoint.
void SqliteEventStore::restartLog() {
    std::lock_guard checkpointing(m_checkpointMutex);
    const auto t0 = std::chrono::steady_clock::now();
    int logPages = 0, folded = 0;
    const int rc = sqlite3_wal_checkpoint_v2(m_checkpointer, nullptr, SQLITE_CHECKPOINT_RESTART, &logPages, &folded);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (rc == SQLITE_OK) return; // the checkpoint's own log line covers this
    const char* file = sqlite3_db_filename(m_checkpointer, "main");
    logLine("store_log_restart_skipped", {{"file", file ? file : ""}, {"error", sqlite3_errmsg(m_checkpointer)}, {"code", rc},
                                          {"log_pages", logPages}, {"folded_pages", folded}, {"ms", ms}});
}

Result<std::vector<StoredEvent>> SqliteEventStore::loadEvents() {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "SELECT id, type, body FROM events ORDER BY id");
    if (!q.ok()) return sqlError("reading events");
    std::vector<StoredEvent> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) out.push_back({q.integer(0), q.text(1), q.text(2)});
    if (rc != SQLITE_DONE) return sqlError("reading events");
    return out;
}

Result<std::vector<std::vector<std::int64_t>>> SqliteEventStore::commitGroup(std::span<const CommitBatch> batches) {
    std::lock_guard lock(m_mutex);
    if (m_restartDue.exchange(false, std::memory_order_acq_rel)) restartLog();
    if (auto st = exec("BEGIN IMMEDIATE"); !st) return st.error();
    std::vector<std::vector<std::int64_t>> ids(batches.size());
    bool purged = false;
    for (std::size_t i = 0; i < batches.size(); ++i) {
        std::string failed;
        if (!writeBatch(batches[i], ids[i], failed)) {
            Error e = sqlError(failed);
            (void)exec("ROLLBACK"); // the error already being reported matters more
            return e;
        }
        purged = purged || batches[i].purgeBeforeFirstEvent;
    }
    if (auto st = exec("COMMIT"); !st) {
        (void)exec("ROLLBACK"); // the error already being reported matters more
        return st.error();
    }
    for (auto it = ids.rbegin(); it != ids.rend(); ++it)
        if (!it->empty()) {
            m_lastEventId = it->back();
            break;
        }
    if (purged) {
        // The write-ahead log still holds yesterday's pages: fold it into the database and empty
        // it, so no copy of a purged name stays on disk.
        std::lock_guard checkpointing(m_checkpointMutex); // not beside the checkpointer's
        (void)exec("PRAGMA wal_checkpoint(TRUNCATE);");
    }
    return ids;
}

// One command's rows inside the open transaction; false (and what failed) on an error.
bool SqliteEventStore::writeBatch(const CommitBatch& batch, std::vector<std::int64_t>& ids, std::string& failed) {
    auto fail = [&](const char* what) {
        failed = what;
        return false;
    };
    {
        Statement insert(*m_writerStatements, "INSERT INTO events(type, body) VALUES(?, ?)");
        if (!insert.ok()) return fail("storing events");
        for (const auto& [type, body] : batch.events) {
            if (insert.bind(1, type).bind(2, body).step() != SQLITE_DONE) return fail("storing an event");
            ids.push_back(sqlite3_last_insert_rowid(m_db));
            insert.reset();
        }
    }
    if (!batch.finishedDay.empty()) {
        Statement v(m_db, "INSERT OR REPLACE INTO visits(ticket, day, number, service, services, kind, status, issued_at, "
                          "appointment_at, first_called_at, started_at, ended_at, counter, outcome, feedback, limit_s, "
                          "issued_hour) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!v.ok()) return fail("storing visits");
        for (const VisitRecord& r : batch.finishedDay) {
            std::optional<std::int64_t> feedback;
            if (r.feedbackScore) feedback = *r.feedbackScore;
            v.bind(1, r.ticket).bind(2, r.day).bind(3, r.number).bind(4, r.service).bind(5, r.services)
                .bind(6, std::string(ticketKindName(r.kind))).bind(7, std::string(ticketStatusName(r.status)))
                .bind(8, r.issuedAt).bind(9, r.appointmentAt).bindOpt(10, r.firstCalledAt).bindOpt(11, r.startedAt)
                .bindOpt(12, r.endedAt).bind(13, r.counter).bind(14, std::string(outcomeName(r.outcome)))
                .bindOpt(15, feedback).bind(16, r.limitS).bind(17, r.issuedHour);
            if (v.step() != SQLITE_DONE) return fail("storing a visit");
            v.reset();
        }
    }
    if (!batch.finishedDoorAnswers.empty()) {
        Statement d(m_db, "INSERT OR REPLACE INTO door_answers(day, service, count) VALUES(?,?,?)");
        if (!d.ok()) return fail("storing door answers");
        for (const DoorAnswerDay& r : batch.finishedDoorAnswers) {
            if (d.bind(1, r.day).bind(2, r.service).bind(3, r.count).step() != SQLITE_DONE) return fail("storing door answers");
            d.reset();
        }
    }
    if (batch.purgeBeforeFirstEvent && !ids.empty()) {
        // A new day: yesterday's events (names, booking codes, notes), retry keys and expired
        // staff sessions go.
        Statement purge(m_db, "DELETE FROM events WHERE id < ?");
        if (!purge.ok() || purge.bind(1, ids.front()).step() != SQLITE_DONE) return fail("purging old events");
        Statement keys(m_db, "DELETE FROM idempotency WHERE day < ?");
        if (!keys.ok() || keys.bind(1, batch.today).step() != SQLITE_DONE) return fail("purging old retry keys");
        Statement sessions(m_db, "DELETE FROM sessions WHERE expires_at < ?");
        if (!sessions.ok() || sessions.bind(1, batch.at).step() != SQLITE_DONE) return fail("purging expired sessions");
    }
    if (batch.configuration) {
        Statement q(m_db, "INSERT OR REPLACE INTO configuration(id, document, updated_at) VALUES(1, ?, ?)");
        if (!q.ok() || q.bind(1, *batch.configuration).bind(2, batch.at).step() != SQLITE_DONE) return fail("storing the configuration");
    }
    if (batch.idempotency) {
        const auto& r = *batch.idempotency;
        Statement q(*m_writerStatements, "INSERT INTO idempotency(key, request_hash, status, response, day) VALUES(?,?,?,?,?)");
        if (!q.ok() || q.bind(1, r.key).bind(2, r.requestHash).bind(3, r.status).bind(4, r.response).bind(5, r.day).step() != SQLITE_DONE)
            return fail("storing the retry key");
    }
    return true;
}

Result<std::optional<std::string>> SqliteEventStore::loadConfiguration() {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "SELECT document FROM configuration WHERE id = 1");
    if (!q.ok()) return sqlError("reading the configuration");
    const int rc = q.step();
    if (rc == SQLITE_DONE) return std::optional<std::string>{};
    if (rc != SQLITE_ROW) return sqlError("reading the configuration");
    return std::optional<std::string>{q.text(0)};
}

Result<std::optional<IdempotencyRecord>> SqliteEventStore::findIdempotency(const std::string& key) {
    auto found = findIdempotencies({key});
    if (!found) return found.error();
    if (found->empty()) return std::optional<IdempotencyRecord>{};
    return std::optional<IdempotencyRecord>{std::move(found->front())};
}

Result<std::vector<IdempotencyRecord>> SqliteEventStore::findIdempotencies(const std::vector<std::string>& keys) {
    std::lock_guard lock(m_readMutex);
    auto failed = [&] { return makeError(ErrorCode::StoreFailed, std::string("reading retry keys: ") + sqlite3_errmsg(m_reader)); };
    Statement q(*m_readerStatements, "SELECT request_hash, status, response, day FROM idempotency WHERE key = ?");
    if (!q.ok()) return failed();
    // Several keys share one read transaction: each statement on its own would begin and end
    // one, and in WAL mode each of those takes and frees a read lock with two system calls.
    const bool several = keys.size() > 1;
    if (several && sqlite3_exec(m_reader, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) return failed();
    std::vector<IdempotencyRecord> out;
    for (const std::string& key : keys) {
        const int rc = q.bind(1, key).step();
        if (rc == SQLITE_ROW) {
            out.push_back(IdempotencyRecord{key, q.text(0), static_cast<int>(q.integer(1)), q.text(2), static_cast<LocalDay>(q.integer(3))});
        } else if (rc != SQLITE_DONE) {
            auto error = failed();
            q.reset();
            if (several) sqlite3_exec(m_reader, "ROLLBACK", nullptr, nullptr, nullptr);
            return error;
        }
        q.reset();
    }
    if (several && sqlite3_exec(m_reader, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        auto error = failed();
        sqlite3_exec(m_reader, "ROLLBACK", nullptr, nullptr, nullptr);
        return error;
    }
    return out;
}

Result<std::vector<VisitRecord>> SqliteEventStore::visits(LocalDay day) {
    std::lock_guard lock(m_mutex);
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

Result<DoorAnswerCounts> SqliteEventStore::doorAnswers(LocalDay day) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "SELECT service, count FROM door_answers WHERE day = ?");
    if (!q.ok()) return sqlError("reading door answers");
    q.bind(1, day);
    DoorAnswerCounts out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) out[q.text(0)] += static_cast<int>(q.integer(1));
    if (rc != SQLITE_DONE) return sqlError("reading door answers");
    return out;
}

Status SqliteEventStore::putSession(const std::string& tokenHash, const StoredSession& session) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "INSERT OR REPLACE INTO sessions(token_hash, username, expires_at, location) VALUES(?,?,?,?)");
    if (!q.ok() || q.bind(1, tokenHash).bind(2, session.username).bind(3, session.expiresAt).bind(4, session.location).step() != SQLITE_DONE)
        return sqlError("storing a session");
    return Ok{};
}

Result<std::optional<StoredSession>> SqliteEventStore::findSession(const std::string& tokenHash) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "SELECT username, expires_at, location FROM sessions WHERE token_hash = ?");
    if (!q.ok()) return sqlError("reading sessions");
    int rc = q.bind(1, tokenHash).step();
    if (rc == SQLITE_DONE) return std::optional<StoredSession>{};
    if (rc != SQLITE_ROW) return sqlError("reading sessions");
    return std::optional<StoredSession>{StoredSession{q.text(0), q.integer(1), q.text(2)}};
}

Status SqliteEventStore::deleteSession(const std::string& tokenHash) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "DELETE FROM sessions WHERE token_hash = ?");
    if (!q.ok() || q.bind(1, tokenHash).step() != SQLITE_DONE) return sqlError("deleting a session");
    return Ok{};
}

Status SqliteEventStore::deleteSessionsOf(const std::string& username) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "DELETE FROM sessions WHERE username = ?");
    if (!q.ok() || q.bind(1, username).step() != SQLITE_DONE) return sqlError("ending a user's sessions");
    return Ok{};
}

Status SqliteEventStore::deleteExpiredSessions(core::Seconds now) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "DELETE FROM sessions WHERE expires_at < ?");
    if (!q.ok() || q.bind(1, now).step() != SQLITE_DONE) return sqlError("purging expired sessions");
    return Ok{};
}

Status SqliteEventStore::putStaffAccount(const StaffAccountRecord& a) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "INSERT INTO staff_accounts(username, password_hash, role, counters, created_at, disabled_at, locations) VALUES(?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role, "
                      "counters = excluded.counters, disabled_at = excluded.disabled_at, locations = excluded.locations");
    q.bind(1, a.username).bind(2, a.passwordHash).bind(3, a.role).bind(4, joinCounters(a.counters)).bind(5, a.createdAt).bindOpt(6, a.disabledAt);
    q.bind(7, joinCounters(a.locations));
    if (q.step() != SQLITE_DONE) return sqlError("writing a staff account");
    return Ok{};
}

Result<bool> SqliteEventStore::addStaffAccount(const StaffAccountRecord& a) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "INSERT INTO staff_accounts(username, password_hash, role, counters, created_at, disabled_at, locations) VALUES(?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT(username) DO NOTHING");
    q.bind(1, a.username).bind(2, a.passwordHash).bind(3, a.role).bind(4, joinCounters(a.counters)).bind(5, a.createdAt).bindOpt(6, a.disabledAt);
    q.bind(7, joinCounters(a.locations));
    if (q.step() != SQLITE_DONE) return sqlError("adding a staff account");
    return sqlite3_changes(m_db) == 1;
}

Result<std::vector<StaffAccountRecord>> SqliteEventStore::staffAccounts() {
    std::lock_guard lock(m_mutex);
    std::vector<StaffAccountRecord> out;
    Statement q(m_db, "SELECT username, password_hash, role, counters, created_at, disabled_at, locations FROM staff_accounts ORDER BY username");
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        out.push_back({q.text(0), q.text(1), q.text(2), splitCounters(q.text(3)), q.integer(4), q.optInteger(5), splitCounters(q.text(6))});
    if (rc != SQLITE_DONE) return sqlError("reading staff accounts");
    return out;
}

Status SqliteEventStore::appendAudit(const AuditEntry& e) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "INSERT INTO audit(at, day, actor, role, action, target, detail) VALUES(?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, e.at).bind(2, std::int64_t{e.day}).bind(3, e.actor).bind(4, e.role).bind(5, e.action).bind(6, e.target).bind(7, e.detail);
    if (q.step() != SQLITE_DONE) return sqlError("writing the audit trail");
    return Ok{};
}

Result<std::vector<AuditEntry>> SqliteEventStore::auditEntries(LocalDay day) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "SELECT id, at, day, actor, role, action, target, detail FROM audit WHERE day = ? ORDER BY id");
    q.bind(1, std::int64_t{day});
    std::vector<AuditEntry> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        out.push_back({q.integer(0), q.integer(1), static_cast<LocalDay>(q.integer(2)), q.text(3), q.text(4), q.text(5), q.text(6), q.text(7)});
    if (rc != SQLITE_DONE) return sqlError("reading the audit trail");
    return out;
}

Status SqliteEventStore::purgeAudit(LocalDay before) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "DELETE FROM audit WHERE day < ?");
    q.bind(1, std::int64_t{before});
    if (q.step() != SQLITE_DONE) return sqlError("purging the audit trail");
    return Ok{};
}

Status SqliteEventStore::putEnrolledDevice(const EnrolledDeviceRecord& d) {
    std::lock_guard lock(m_mutex);
    if (auto st = exec("BEGIN IMMEDIATE"); !st) return st;
    auto fail = [&](const char* what) {
        Error e = sqlError(what);
        (void)exec("ROLLBACK");
        return e;
    };
    {
        Statement up(m_db, "INSERT INTO enrolled_devices(id, name, role, enrolled_at, revoked_at, location) VALUES(?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT(id) DO UPDATE SET name = excluded.name, revoked_at = excluded.revoked_at");
        up.bind(1, d.id).bind(2, d.name).bind(3, d.role).bind(4, d.enrolledAt).bindOpt(5, d.revokedAt).bind(6, d.location);
        if (up.step() != SQLITE_DONE) return fail("writing an enrolled device");
        Statement clear(m_db, "DELETE FROM device_tokens WHERE device_id = ?");
        clear.bind(1, d.id);
        if (clear.step() != SQLITE_DONE) return fail("writing an enrolled device's tokens");
        Statement add(m_db, "INSERT INTO device_tokens(token_hash, device_id, expires_at) VALUES(?, ?, ?)");
        for (const auto& t : d.tokens) {
            add.bind(1, t.tokenHash).bind(2, d.id).bind(3, t.expiresAt);
            if (add.step() != SQLITE_DONE) return fail("writing an enrolled device's tokens");
            add.reset();
        }
    }
    if (auto st = exec("COMMIT"); !st) {
        (void)exec("ROLLBACK");
        return st;
    }
    return Ok{};
}

Result<std::vector<EnrolledDeviceRecord>> SqliteEventStore::enrolledDevices() {
    std::lock_guard lock(m_mutex);
    std::vector<EnrolledDeviceRecord> out;
    Statement q(m_db, "SELECT id, name, role, enrolled_at, revoked_at, location FROM enrolled_devices ORDER BY enrolled_at, id");
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) out.push_back({q.text(0), q.text(1), q.text(2), q.integer(3), q.optInteger(4), {}, q.text(5)});
    if (rc != SQLITE_DONE) return sqlError("reading enrolled devices");
    Statement t(m_db, "SELECT token_hash, expires_at FROM device_tokens WHERE device_id = ? ORDER BY expires_at");
    for (auto& d : out) {
        t.bind(1, d.id);
        while ((rc = t.step()) == SQLITE_ROW) d.tokens.push_back({t.text(0), t.integer(1)});
        if (rc != SQLITE_DONE) return sqlError("reading device tokens");
        t.reset();
    }
    return out;
}

Status SqliteEventStore::probeWrite() {
    std::lock_guard lock(m_mutex);
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

Result<bool> SqliteEventStore::addPairing(const PairingRecord& p) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "INSERT INTO pairings(code, role, address, secret_hash, created_at, expires_at, approved_device) "
                      "VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    q.bind(1, p.code).bind(2, p.role).bind(3, p.address).bind(4, p.secretHash).bind(5, p.createdAt).bind(6, p.expiresAt).bind(7, p.approvedDevice);
    if (q.step() != SQLITE_DONE) return sqlError("storing a pairing");
    return sqlite3_changes(m_db) == 1;
}

Result<std::vector<PairingRecord>> SqliteEventStore::pairings(std::int64_t now) {
    std::lock_guard lock(m_mutex);
    Statement gone(m_db, "DELETE FROM pairings WHERE expires_at <= ?");
    gone.bind(1, now);
    if (gone.step() != SQLITE_DONE) return sqlError("deleting expired pairings");
    Statement q(m_db, "SELECT code, role, address, secret_hash, created_at, expires_at, approved_device FROM pairings ORDER BY created_at, code");
    std::vector<PairingRecord> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
        PairingRecord p{q.text(0), q.text(1), q.text(2), q.text(3), q.integer(4), q.integer(5), std::nullopt};
        if (!q.null(6)) p.approvedDevice = q.text(6);
        out.push_back(std::move(p));
    }
    if (rc != SQLITE_DONE) return sqlError("reading pairings");
    return out;
}

Status SqliteEventStore::deleteExpiredPairings(std::int64_t now) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "DELETE FROM pairings WHERE expires_at <= ?");
    if (!q.ok() || q.bind(1, now).step() != SQLITE_DONE) return sqlError("deleting expired pairings");
    return Ok{};
}

Result<bool> SqliteEventStore::approvePairing(const std::string& code, const std::string& deviceId, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "UPDATE pairings SET approved_device = ? WHERE code = ? AND approved_device IS NULL AND expires_at > ?");
    q.bind(1, deviceId).bind(2, code).bind(3, now);
    if (q.step() != SQLITE_DONE) return sqlError("approving a pairing");
    return sqlite3_changes(m_db) == 1;
}

Result<bool> SqliteEventStore::takePairing(const std::string& code) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "DELETE FROM pairings WHERE code = ?");
    q.bind(1, code);
    if (q.step() != SQLITE_DONE) return sqlError("deleting a pairing");
    return sqlite3_changes(m_db) == 1;
}

Result<std::int64_t> SqliteEventStore::addPrintJob(const PrintJobRecord& job, std::int64_t keep) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "INSERT INTO print_jobs(kiosk, ticket, created_at, state, reason) VALUES(?, ?, ?, ?, ?)");
    q.bind(1, job.kiosk).bind(2, job.ticket).bind(3, job.createdAt).bind(4, job.state).bind(5, job.reason);
    if (q.step() != SQLITE_DONE) return sqlError("storing a print job");
    const std::int64_t id = sqlite3_last_insert_rowid(m_db);
    Statement old(m_db, "DELETE FROM print_jobs WHERE id <= ?");
    old.bind(1, id - keep);
    if (old.step() != SQLITE_DONE) return sqlError("deleting old print jobs");
    return id;
}

Result<std::vector<PrintJobRecord>> SqliteEventStore::takePrintJobs(const std::string& kiosk, std::int64_t notBefore) {
    std::lock_guard lock(m_mutex); // one connection: the update and its RETURNING are one step
    Statement q(m_db, "UPDATE print_jobs SET state = 'taken' WHERE kiosk = ? AND state = 'queued' AND created_at >= ? "
                      "RETURNING id, kiosk, ticket, created_at, state, reason");
    q.bind(1, kiosk).bind(2, notBefore);
    std::vector<PrintJobRecord> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) out.push_back({q.integer(0), q.text(1), q.text(2), q.integer(3), q.text(4), q.text(5)});
    if (rc != SQLITE_DONE) return sqlError("taking print jobs");
    std::sort(out.begin(), out.end(), [](const PrintJobRecord& a, const PrintJobRecord& b) { return a.id < b.id; });
    return out;
}

Status SqliteEventStore::setPrintJob(std::int64_t id, const std::string& state, const std::string& reason) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "UPDATE print_jobs SET state = ?, reason = ? WHERE id = ?");
    q.bind(1, state).bind(2, reason).bind(3, id);
    if (q.step() != SQLITE_DONE) return sqlError("writing a print job");
    return Ok{};
}

Result<std::optional<PrintJobRecord>> SqliteEventStore::printJob(std::int64_t id) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "SELECT id, kiosk, ticket, created_at, state, reason FROM print_jobs WHERE id = ?");
    q.bind(1, id);
    const int rc = q.step();
    if (rc == SQLITE_DONE) return std::optional<PrintJobRecord>{};
    if (rc != SQLITE_ROW) return sqlError("reading a print job");
    return std::optional<PrintJobRecord>{PrintJobRecord{q.integer(0), q.text(1), q.text(2), q.integer(3), q.text(4), q.text(5)}};
}

Status SqliteEventStore::putDeviceStatus(const DeviceStatusRecord& d) {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "INSERT INTO device_status(id, status, detail, last_seen) VALUES(?, ?, ?, ?) "
                      "ON CONFLICT(id) DO UPDATE SET status = excluded.status, detail = excluded.detail, last_seen = excluded.last_seen");
    q.bind(1, d.id).bind(2, d.status).bind(3, d.detail).bind(4, d.lastSeen);
    if (q.step() != SQLITE_DONE) return sqlError("storing a device's heartbeat");
    return Ok{};
}

Result<std::vector<DeviceStatusRecord>> SqliteEventStore::deviceStatuses() {
    std::lock_guard lock(m_mutex);
    Statement q(m_db, "SELECT id, status, detail, last_seen FROM device_status ORDER BY id");
    std::vector<DeviceStatusRecord> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) out.push_back({q.text(0), q.text(1), q.text(2), q.integer(3)});
    if (rc != SQLITE_DONE) return sqlError("reading devices' heartbeats");
    return out;
}

} // namespace loket::server
