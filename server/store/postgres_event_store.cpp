#include "postgres_event_store.hpp"

#include "postgres_announcement.hpp"

#include <libpq-fe.h>

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace loket::server {
using namespace loket::core;
using pg::param;

namespace {

// The advisory locks' first key: "Lokt". The second names what is locked: the hall's commands
// (one location today; a city gives each location its own number) or the schema migration.
constexpr const char* kLockClass = "1282368372";
constexpr const char* kHallLock = "0";
constexpr const char* kMigrationLock = "-1";
constexpr const char* kChannel = "loket_events";
// At most this many carried events are kept for a follower that does not take them (it reads
// instead once they are dropped).
constexpr std::size_t kMaxDelivered = 4096;

struct PostgresMigration {
    int version;
    const char* sql;
};

// The schema's history, oldest first. Never edit a released step: add one. Each runs once, in
// order, inside open's migration transaction, which then records its number in loket_schema.
constexpr PostgresMigration kPostgresMigrations[] = {
    // 1: the tables of SQLite schema version 5, in PostgreSQL's types.
    {1, R"SQL(
CREATE TABLE events(
  id BIGSERIAL PRIMARY KEY,
  type TEXT NOT NULL,
  body TEXT NOT NULL);
CREATE TABLE idempotency(
  key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  day BIGINT NOT NULL);
CREATE INDEX idempotency_by_day ON idempotency(day);
CREATE TABLE visits(
  ticket BIGINT PRIMARY KEY,
  day BIGINT NOT NULL,
  number TEXT NOT NULL,
  service TEXT NOT NULL,
  services TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  appointment_at BIGINT NOT NULL,
  first_called_at BIGINT,
  started_at BIGINT,
  ended_at BIGINT,
  counter TEXT NOT NULL,
  outcome TEXT NOT NULL,
  feedback INTEGER,
  limit_s BIGINT NOT NULL,
  issued_hour INTEGER NOT NULL);
CREATE INDEX visits_by_day ON visits(day);
CREATE TABLE sessions(
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  expires_at BIGINT NOT NULL);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
CREATE TABLE audit(
  id BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  day BIGINT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL);
CREATE INDEX audit_by_day ON audit(day);
CREATE TABLE enrolled_devices(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  enrolled_at BIGINT NOT NULL,
  revoked_at BIGINT);
CREATE TABLE device_tokens(
  token_hash TEXT PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES enrolled_devices(id) ON DELETE CASCADE,
  expires_at BIGINT NOT NULL);
CREATE INDEX device_tokens_by_device ON device_tokens(device_id);
)SQL"},
    // 2: /healthz commits a one-row probe; the row is seeded here, once, so probes from several
    // instances only ever update it.
    {2, R"SQL(
CREATE TABLE health(
  id INTEGER PRIMARY KEY,
  probes BIGINT NOT NULL);
INSERT INTO health(id, probes) VALUES(1, 0);
)SQL"},
    // 3: the hall's live configuration (the admin page changes it); one row, kept by the daily
    // purge of the event log.
    {3, R"SQL(
CREATE TABLE configuration(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  document TEXT NOT NULL,
  updated_at BIGINT NOT NULL);
)SQL"},
    // 4: staff accounts made on the admin page (password hashes only; counters comma-separated).
    {4, R"SQL(
CREATE TABLE staff_accounts(
  username TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  counters TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  disabled_at BIGINT);
CREATE INDEX sessions_by_user ON sessions(username);
)SQL"},
    // 5: a city's locations (docs/locations.md): a staff session and an enrolled device work at
    // one location, a page account at the locations listed (comma-separated; "" = every location,
    // and always "" in a one-location hall).
    {5, R"SQL(
ALTER TABLE sessions ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolled_devices ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE staff_accounts ADD COLUMN locations TEXT NOT NULL DEFAULT '';
)SQL"},
    // 6: a finished day's questions answered at the door: a count per service (no visitor data),
    // kept like the visits when the day's events are purged.
    {6, R"SQL(
CREATE TABLE door_answers(
  day INTEGER NOT NULL,
  service TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (day, service));
)SQL"},
    // 7: pairing codes waiting for approval (the secret's hash only) and the host's print jobs,
    // and the devices' last heartbeats, in the database rather than one instance's memory, so every
    // instance sees them.
    {7, R"SQL(
CREATE TABLE pairings(
  code TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  address TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  approved_device TEXT);
CREATE TABLE print_jobs(
  id BIGSERIAL PRIMARY KEY,
  kiosk TEXT NOT NULL,
  ticket TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL);
CREATE INDEX print_jobs_by_kiosk ON print_jobs(kiosk, state);
CREATE TABLE device_status(
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  detail TEXT NOT NULL,
  last_seen BIGINT NOT NULL);
)SQL"},
};

constexpr int kPostgresSchemaVersion = std::size(kPostgresMigrations);

const char* const kLockHall = "SELECT pg_advisory_xact_lock($1::int, $2::int)";

// The statements of the write path, prepared once per connection (pg::Statement::prepared): the
// server parses and plans them once, and each group only binds its values.
pg::Statement lockStatement(const std::string& lockKey) {
    return {"locking the hall's commands", kLockHall, {kLockClass, lockKey}, "loket_lock"};
}
pg::Statement eventsAfterStatement(std::int64_t knownEventId) {
    return {"reading events", "SELECT id, type, body FROM events WHERE id > $1 ORDER BY id", {param(knownEventId)}, "loket_events_after"};
}
pg::Statement retryKeysStatement(const std::vector<std::string>& keys) {
    return {"reading retry keys", "SELECT key, request_hash, status, response, day FROM idempotency WHERE key = ANY($1::text[])",
            {pg::textArray(keys)}, "loket_retry_keys"};
}
// A group's events stored and announced in one statement: the ids in order, and one NOTIFY with
// the last id and `carried` (the events, postgres_announcement.hpp) when the ids are consecutive,
// as they are under the hall's lock with the sequence's cache of 1; the id alone otherwise.
pg::Statement storeAndAnnounceStatement(std::vector<pg::Param> eventArrays, const std::string& channel, std::string carried) {
    eventArrays.push_back(channel);
    eventArrays.push_back(std::move(carried));
    return {"storing events",
            "WITH stored AS (INSERT INTO events(type, body) SELECT * FROM unnest($1::text[], $2::text[]) RETURNING id), "
            "span AS (SELECT min(id) AS first_id, max(id) AS last_id, count(*) AS n FROM stored), "
            "announced AS (SELECT pg_notify($3, CASE WHEN last_id - first_id + 1 = n THEN last_id::text || $4 "
            "ELSE last_id::text END) FROM span) "
            "SELECT id FROM stored, announced ORDER BY id",
            std::move(eventArrays), "loket_store_and_announce"};
}
std::vector<StoredEvent> storedEventsOf(const pg::Rows& rows, std::vector<StoredEvent> out = {}) {
    out.reserve(out.size() + static_cast<std::size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) out.push_back({rows.integer(i, 0), rows.text(i, 1), rows.text(i, 2)});
    return out;
}
std::vector<IdempotencyRecord> retryKeysOf(const pg::Rows& rows) {
    std::vector<IdempotencyRecord> out;
    for (int i = 0; i < rows.size(); ++i)
        out.push_back({rows.text(i, 0), rows.text(i, 1), static_cast<int>(rows.integer(i, 2)), rows.text(i, 3),
                       static_cast<LocalDay>(rows.integer(i, 4))});
    return out;
}

// A location's lock key: a stable hash of its id (FNV-1a), never 0 (the one-location hall) nor
// negative (the migration), so reordering the configuration's locations keeps every key.
std::string lockKeyOf(const std::string& partition) {
    if (partition.empty()) return kHallLock;
    std::uint32_t h = 2166136261u;
    for (unsigned char ch : partition) h = (h ^ ch) * 16777619u;
    h &= 0x7fffffffu;
    return std::to_string(h == 0 ? 1u : h);
}

// A location's tables live in a schema of their own; its connections find them first.
std::string schemaOf(const std::string& partition) { return "loc_" + partition; }

std::string partitionUrl(const std::string& url, const std::string& partition) {
    if (partition.empty()) return url;
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schemaOf(partition);
}

} // namespace

int PostgresEventStore::schemaVersion() { return kPostgresSchemaVersion; }

Result<std::unique_ptr<EventStore>> PostgresEventStore::open(const std::string& baseUrl, const std::string& partition) {
    if (partition.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos || partition.size() > 32)
        return makeError(ErrorCode::ConfigError, "'" + partition + "' cannot name a store partition (a-z, 0-9 and _ only)");
    if (!partition.empty()) {
        if (baseUrl.find("options=") != std::string::npos)
            return makeError(ErrorCode::ConfigError, "a city's store URL cannot carry options= (each location sets its own search_path)");
        // Instances that start together create the schema once (under the migration lock).
        auto c = pg::Connection::open(baseUrl);
        if (!c) return c.error();
        const std::string create = std::string("BEGIN; SELECT pg_advisory_xact_lock(") + kLockClass + ", " + kMigrationLock +
                                   "); CREATE SCHEMA IF NOT EXISTS " + schemaOf(partition) + "; COMMIT";
        if (auto st = c.value()->script("creating the location's schema", create.c_str()); !st) return st.error();
    }
    const std::string url = partitionUrl(baseUrl, partition);
    auto writer = pg::Connection::open(url);
    if (!writer) return writer.error();
    auto other = pg::Connection::open(url);
    if (!other) return other.error();
    std::unique_ptr<PostgresEventStore> store(new PostgresEventStore(url, std::move(writer.value()), std::move(other.value())));
    store->m_lockKey = lockKeyOf(partition);
    store->m_channel = partition.empty() ? std::string(kChannel) : std::string(kChannel) + "_" + partition;
    store->m_listenUrl = baseUrl; // every location's channel on one listening connection
    if (auto st = store->migrate(); !st) return st.error();
    auto last = store->m_writer->exec("reading the last event id", "SELECT COALESCE(MAX(id), 0) FROM events");
    if (!last) return last.error();
    store->m_lastEventId = last->integer(0, 0);
    return std::unique_ptr<EventStore>(std::move(store));
}

PostgresEventStore::~PostgresEventStore() { stopWatching(); }

Status PostgresEventStore::migrate() {
    pg::Connection& c = *m_writer;
    auto fail = [&](Error e) {
        c.rollbackQuietly(); // the database stays at the version it had
        return e;
    };
    if (auto st = c.script("starting the schema migration", "BEGIN"); !st) return st.error();
    // Instances that start together: the first migrates, the others wait here and then find the
    // schema current.
    if (auto r = c.exec("locking the schema migration", kLockHall, {kLockClass, kMigrationLock}); !r) return fail(r.error());
    if (auto st = c.script("creating the schema version table", "CREATE TABLE IF NOT EXISTS loket_schema(version INTEGER NOT NULL)"); !st)
        return fail(st.error());
    auto read = c.exec("reading the schema version", "SELECT version FROM loket_schema");
    if (!read) return fail(read.error());
    int version = 0;
    if (read->size() == 0) {
        if (auto r = c.exec("writing the schema version", "INSERT INTO loket_schema(version) VALUES(0)"); !r) return fail(r.error());
    } else {
        version = static_cast<int>(read->integer(0, 0));
    }
    if (version > kPostgresSchemaVersion)
        return fail(makeError(ErrorCode::StoreFailed, "the database has schema version " + std::to_string(version) +
                                                          ", newer than this server's " + std::to_string(kPostgresSchemaVersion) +
                                                          "; run the loket-server that wrote it"));
    for (const PostgresMigration& m : kPostgresMigrations) {
        if (m.version <= version) continue;
        if (auto st = c.script("migration to schema version " + std::to_string(m.version), m.sql); !st) return fail(st.error());
        if (auto r = c.exec("writing the schema version", "UPDATE loket_schema SET version = $1", {param(std::int64_t{m.version})}); !r)
            return fail(r.error());
    }
    if (auto st = c.script("committing the schema migration", "COMMIT"); !st) return fail(st.error());
    return Ok{};
}

void PostgresEventStore::noteEventId(std::int64_t id) {
    std::int64_t known = m_lastEventId.load();
    while (id > known && !m_lastEventId.compare_exchange_weak(known, id)) {
    }
}

Result<std::vector<StoredEvent>> PostgresEventStore::readEventsAfter(std::int64_t knownEventId) {
    auto rows = m_writer->pipeline({eventsAfterStatement(knownEventId)});
    if (!rows) return rows.error();
    std::vector<StoredEvent> out = storedEventsOf(rows->front());
    if (!out.empty()) noteEventId(out.back().id);
    return out;
}

Result<std::vector<StoredEvent>> PostgresEventStore::loadEvents() {
    std::lock_guard lock(m_writerMutex);
    return readEventsAfter(0);
}

std::optional<std::vector<StoredEvent>> PostgresEventStore::takeDelivered(std::int64_t knownEventId, std::int64_t* keptTo) {
    std::lock_guard lock(m_deliveredMutex);
    if (!m_deliveredValid || knownEventId < m_deliveredFrom) return std::nullopt;
    std::vector<StoredEvent> out;
    for (StoredEvent& e : m_delivered)
        if (e.id > knownEventId) out.push_back(std::move(e));
    // The caller applies them: nobody asks for them again (one who does reads them).
    m_delivered.clear();
    m_deliveredFrom = m_deliveredTo;
    if (keptTo) *keptTo = m_deliveredTo;
    return out;
}

Result<std::vector<StoredEvent>> PostgresEventStore::eventsAfter(std::int64_t knownEventId) {
    // While the listener is connected, every commit after the one it last read announces its
    // last id: when none is above `knownEventId` there is nothing to read (the caller already has
    // it: its own commit, or a write turn read it first), and no round trip is made; nor when the
    // announcements carried the events.
    if (m_listening.load() && m_announcedId.load() <= knownEventId) return std::vector<StoredEvent>{};
    if (auto delivered = takeDelivered(knownEventId)) {
        if (!delivered->empty()) noteEventId(delivered->back().id);
        return std::move(*delivered);
    }
    std::lock_guard lock(m_writerMutex);
    ++m_eventLogReads;
    return readEventsAfter(knownEventId);
}

Result<std::vector<StoredEvent>> PostgresEventStore::beginWriteTurn(std::int64_t knownEventId) {
    auto turn = beginWriteTurn(knownEventId, {});
    if (!turn) return turn.error();
    return std::move(turn->missed);
}

Result<EventStore::WriteTurn> PostgresEventStore::beginWriteTurn(std::int64_t knownEventId, const std::vector<std::string>& retryKeys) {
    std::lock_guard lock(m_writerMutex);
    pg::Connection& c = *m_writer;
    if (m_turnOpen) c.rollbackQuietly(); // a turn its caller never ended: it wrote nothing
    m_turnOpen = false;
    if (auto st = c.ensureConnected(); !st) return st.error();
    // One round trip: begin, wait for the hall's lock (held until this transaction ends: every
    // other instance's turn waits here), read what others committed since `knownEventId`, and
    // look the group's retry keys up. What the announcements carried is not read again: only the
    // events committed after the last one announced here.
    std::vector<StoredEvent> delivered;
    std::int64_t readAfter = knownEventId;
    std::int64_t keptTo = 0;
    if (auto kept = takeDelivered(knownEventId, &keptTo)) {
        delivered = std::move(*kept);
        readAfter = std::max(knownEventId, keptTo);
    }
    std::vector<pg::Statement> statements{{"starting a write turn", "BEGIN", {}}, lockStatement(m_lockKey), eventsAfterStatement(readAfter)};
    if (!retryKeys.empty()) statements.push_back(retryKeysStatement(retryKeys));
    auto rows = c.pipeline(statements);
    if (!rows) {
        c.rollbackQuietly();
        return rows.error();
    }
    WriteTurn turn;
    turn.missed = storedEventsOf((*rows)[2], std::move(delivered));
    if (!retryKeys.empty()) turn.storedKeys = retryKeysOf((*rows)[3]);
    if (!turn.missed.empty()) noteEventId(turn.missed.back().id);
    m_turnOpen = true;
    return turn;
}

void PostgresEventStore::endWriteTurn() {
    std::lock_guard lock(m_writerMutex);
    if (m_turnOpen) m_writer->rollbackQuietly(); // it only read: nothing to keep
    m_turnOpen = false;
}

Result<std::vector<std::vector<std::int64_t>>> PostgresEventStore::commitGroup(std::span<const CommitBatch> batches) {
    std::lock_guard lock(m_writerMutex);
    pg::Connection& c = *m_writer;
    const bool inTurn = m_turnOpen;
    m_turnOpen = false;
    // The whole group in ONE round trip (a pipeline ending in COMMIT), so the hall's lock is held
    // for one network turn and one fsync however many commands the group has.
    std::vector<pg::Statement> statements;
    if (!inTurn) {
        statements.push_back({"starting a commit", "BEGIN", {}});
        statements.push_back(lockStatement(m_lockKey));
    }
    std::vector<std::size_t> eventInserts; // the statements that return event ids, in order
    std::size_t eventCount = 0;
    bool purged = false;
    appendGroupWrites(batches, statements, eventInserts, eventCount, purged);
    // Delivered at commit, to every instance LISTENing: the payload is the last id (this
    // session's last from the sequence), so an instance that already has it does not read again,
    // and the events when they fit, so one that does not have them need not read them either.
    if (eventInserts.size() == 1) {
        pg::Statement& insert = statements[eventInserts.front()];
        insert = storeAndAnnounceStatement(std::move(insert.params), m_channel, pg::carriedEvents(batches));
    } else if (eventCount > 0)
        statements.push_back({"announcing the commit", "SELECT pg_notify($1, currval(pg_get_serial_sequence('events', 'id'))::text)",
                              {m_channel}, "loket_announce"});
    statements.push_back({"committing", "COMMIT", {}});
    auto results = c.pipeline(statements);
    if (!results) {
        c.rollbackQuietly(); // nothing of any batch stays
        return results.error();
    }
    // Ids in the order the rows were given: one sequence, taken row by row under the hall's lock.
    std::vector<std::int64_t> all;
    all.reserve(eventCount);
    for (std::size_t index : eventInserts) {
        const pg::Rows& rows = (*results)[index];
        const std::size_t first = all.size();
        for (int i = 0; i < rows.size(); ++i) all.push_back(rows.integer(i, 0));
        std::sort(all.begin() + static_cast<std::ptrdiff_t>(first), all.end());
    }
    if (all.size() != eventCount)
        return makeError(ErrorCode::StoreFailed, "storing events: " + std::to_string(all.size()) + " ids for " +
                                                     std::to_string(eventCount) + " events");
    std::vector<std::vector<std::int64_t>> ids(batches.size());
    std::size_t next = 0;
    for (std::size_t i = 0; i < batches.size(); ++i)
        for (std::size_t e = 0; e < batches[i].events.size(); ++e) ids[i].push_back(all[next++]);
    if (!all.empty()) noteEventId(all.back());
    if (purged) {
        // Dead rows of yesterday's events keep their bytes until vacuumed: reclaim them now.
        (void)c.script("vacuuming purged rows", "VACUUM events, idempotency, sessions");
    }
    return ids;
}

void PostgresEventStore::appendGroupWrites(std::span<const CommitBatch> batches, std::vector<pg::Statement>& out,
                                           std::vector<std::size_t>& eventInserts, std::size_t& eventCount, bool& purged) {
    // Events and retry keys go many rows to a statement (arrays unnested in order); the rest of a
    // batch (a new day's visits and purge, a configuration) is rare and gets statements of its own.
    std::vector<std::string> types, bodies;
    std::vector<std::string> keys, hashes, statuses, responses, days;
    auto flush = [&] {
        if (!types.empty()) {
            eventInserts.push_back(out.size());
            out.push_back({"storing events", "INSERT INTO events(type, body) SELECT * FROM unnest($1::text[], $2::text[]) RETURNING id",
                           {pg::textArray(types), pg::textArray(bodies)}, "loket_store_events"});
            types.clear();
            bodies.clear();
        }
        if (!keys.empty()) {
            out.push_back({"storing retry keys",
                           "INSERT INTO idempotency(key, request_hash, status, response, day) "
                           "SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::bigint[])",
                           {pg::textArray(keys), pg::textArray(hashes), pg::textArray(statuses), pg::textArray(responses),
                            pg::textArray(days)},
                           "loket_store_retry_keys"});
            for (auto* v : {&keys, &hashes, &statuses, &responses, &days}) v->clear();
        }
    };
    for (const CommitBatch& batch : batches) {
        if (batch.purgeBeforeFirstEvent && !batch.events.empty()) {
            // A new day: yesterday's events (names, booking codes, notes), retry keys and expired
            // staff sessions go. Everything stored before this batch's first event goes, so what
            // the group wrote before it is written first.
            flush();
            purged = true;
            out.push_back({"purging old events", "DELETE FROM events", {}});
            out.push_back({"purging old retry keys", "DELETE FROM idempotency WHERE day < $1", {param(std::int64_t{batch.today})}});
            out.push_back({"purging expired sessions", "DELETE FROM sessions WHERE expires_at < $1", {param(batch.at)}});
        }
        for (const VisitRecord& v : batch.finishedDay) {
            std::optional<std::int64_t> feedback;
            if (v.feedbackScore) feedback = *v.feedbackScore;
            out.push_back({"storing a visit",
                           "INSERT INTO visits(ticket, day, number, service, services, kind, status, issued_at, appointment_at, "
                           "first_called_at, started_at, ended_at, counter, outcome, feedback, limit_s, issued_hour) "
                           "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) "
                           "ON CONFLICT(ticket) DO UPDATE SET day = excluded.day, number = excluded.number, "
                           "service = excluded.service, services = excluded.services, kind = excluded.kind, "
                           "status = excluded.status, issued_at = excluded.issued_at, appointment_at = excluded.appointment_at, "
                           "first_called_at = excluded.first_called_at, started_at = excluded.started_at, "
                           "ended_at = excluded.ended_at, counter = excluded.counter, outcome = excluded.outcome, "
                           "feedback = excluded.feedback, limit_s = excluded.limit_s, issued_hour = excluded.issued_hour",
                           {param(v.ticket), param(std::int64_t{v.day}), v.number, v.service, v.services,
                            std::string(ticketKindName(v.kind)), std::string(ticketStatusName(v.status)), param(v.issuedAt),
                            param(v.appointmentAt), param(v.firstCalledAt), param(v.startedAt), param(v.endedAt), v.counter,
                            std::string(outcomeName(v.outcome)), param(feedback), param(v.limitS), param(std::int64_t{v.issuedHour})}});
        }
        for (const DoorAnswerDay& d : batch.finishedDoorAnswers)
            out.push_back({"storing door answers",
                           "INSERT INTO door_answers(day, service, count) VALUES($1, $2, $3) "
                           "ON CONFLICT(day, service) DO UPDATE SET count = excluded.count",
                           {param(std::int64_t{d.day}), d.service, param(std::int64_t{d.count})}});
        for (const auto& [type, body] : batch.events) {
            types.push_back(type);
            bodies.push_back(body);
        }
        eventCount += batch.events.size();
        if (batch.configuration)
            out.push_back({"storing the configuration",
                           "INSERT INTO configuration(id, document, updated_at) VALUES(1, $1, $2) "
                           "ON CONFLICT(id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at",
                           {*batch.configuration, param(batch.at)}});
        if (batch.idempotency) {
            const auto& k = *batch.idempotency;
            keys.push_back(k.key);
            hashes.push_back(k.requestHash);
            statuses.push_back(std::to_string(k.status));
            responses.push_back(k.response);
            days.push_back(std::to_string(k.day));
        }
    }
    flush();
}

Result<std::optional<IdempotencyRecord>> PostgresEventStore::findIdempotency(const std::string& key) {
    // On the write connection: inside a write turn it sees what other instances committed
    // before the turn began, and nothing can commit the same key until the turn ends.
    std::lock_guard lock(m_writerMutex);
    auto r = m_writer->exec("reading retry keys", "SELECT request_hash, status, response, day FROM idempotency WHERE key = $1", {key});
    if (!r) return r.error();
    if (r->size() == 0) return std::optional<IdempotencyRecord>{};
    return std::optional<IdempotencyRecord>{
        IdempotencyRecord{key, r->text(0, 0), static_cast<int>(r->integer(0, 1)), r->text(0, 2), static_cast<LocalDay>(r->integer(0, 3))}};
}

Result<DoorAnswerCounts> PostgresEventStore::doorAnswers(LocalDay day) {
    std::lock_guard lock(m_otherMutex);
    auto q = m_other->exec("reading door answers", "SELECT service, count FROM door_answers WHERE day = $1", {param(std::int64_t{day})});
    if (!q) return q.error();
    DoorAnswerCounts out;
    for (int i = 0; i < q->size(); ++i) out[q->text(i, 0)] += static_cast<int>(q->integer(i, 1));
    return out;
}

Result<std::vector<IdempotencyRecord>> PostgresEventStore::findIdempotencies(const std::vector<std::string>& keys) {
    // One round trip for a whole group's keys, on the write connection like findIdempotency.
    if (keys.empty()) return std::vector<IdempotencyRecord>{};
    std::lock_guard lock(m_writerMutex);
    auto r = m_writer->pipeline({retryKeysStatement(keys)});
    if (!r) return r.error();
    return retryKeysOf(r->front());
}

Result<std::vector<VisitRecord>> PostgresEventStore::visits(LocalDay day) {
    std::lock_guard lock(m_otherMutex);
    auto q = m_other->exec("reading visits",
                           "SELECT ticket, day, number, service, services, kind, status, issued_at, appointment_at, "
                           "first_called_at, started_at, ended_at, counter, outcome, feedback, limit_s, issued_hour "
                           "FROM visits WHERE day = $1 ORDER BY ticket",
                           {param(std::int64_t{day})});
    if (!q) return q.error();
    std::vector<VisitRecord> out;
    for (int i = 0; i < q->size(); ++i) {
        VisitRecord r;
        r.ticket = q->integer(i, 0);
        r.day = static_cast<LocalDay>(q->integer(i, 1));
        r.number = q->text(i, 2);
        r.service = q->text(i, 3);
        r.services = q->text(i, 4);
        r.kind = q->text(i, 5) == "appointment" ? TicketKind::Appointment : TicketKind::WalkIn;
        r.status = parseTicketStatus(q->text(i, 6)).value_or(TicketStatus::Cancelled);
        r.issuedAt = q->integer(i, 7);
        r.appointmentAt = q->integer(i, 8);
        r.firstCalledAt = q->optInteger(i, 9);
        r.startedAt = q->optInteger(i, 10);
        r.endedAt = q->optInteger(i, 11);
        r.counter = q->text(i, 12);
        r.outcome = parseOutcome(q->text(i, 13)).value_or(Outcome::None);
        if (auto f = q->optInteger(i, 14)) r.feedbackScore = static_cast<int>(*f);
        r.limitS = q->integer(i, 15);
        r.issuedHour = static_cast<int>(q->integer(i, 16));
        out.push_back(std::move(r));
    }
    return out;
}

Status PostgresEventStore::putSession(const std::string& tokenHash, const StoredSession& session) {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("storing a session",
                           "INSERT INTO sessions(token_hash, username, expires_at, location) VALUES($1, $2, $3, $4) "
                           "ON CONFLICT(token_hash) DO UPDATE SET username = excluded.username, expires_at = excluded.expires_at, "
                           "location = excluded.location",
                           {tokenHash, session.username, param(session.expiresAt), session.location});
    if (!r) return r.error();
    return Ok{};
}

Result<std::optional<StoredSession>> PostgresEventStore::findSession(const std::string& tokenHash) {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("reading sessions", "SELECT username, expires_at, location FROM sessions WHERE token_hash = $1", {tokenHash});
    if (!r) return r.error();
    if (r->size() == 0) return std::optional<StoredSession>{};
    return std::optional<StoredSession>{StoredSession{r->text(0, 0), r->integer(0, 1), r->text(0, 2)}};
}

Result<std::optional<std::string>> PostgresEventStore::loadConfiguration() {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("reading the configuration", "SELECT document FROM configuration WHERE id = 1", {});
    if (!r) return r.error();
    if (r->size() == 0) return std::optional<std::string>{};
    return std::optional<std::string>{r->text(0, 0)};
}

Status PostgresEventStore::deleteSession(const std::string& tokenHash) {
    std::lock_guard lock(m_otherMutex);
    if (auto r = m_other->exec("deleting a session", "DELETE FROM sessions WHERE token_hash = $1", {tokenHash}); !r) return r.error();
    return Ok{};
}

Status PostgresEventStore::deleteSessionsOf(const std::string& username) {
    std::lock_guard lock(m_otherMutex);
    if (auto r = m_other->exec("ending a user's sessions", "DELETE FROM sessions WHERE username = $1", {username}); !r) return r.error();
    return Ok{};
}

Status PostgresEventStore::deleteExpiredSessions(core::Seconds now) {
    std::lock_guard lock(m_otherMutex);
    if (auto r = m_other->exec("purging expired sessions", "DELETE FROM sessions WHERE expires_at < $1", {param(now)}); !r) return r.error();
    return Ok{};
}

Status PostgresEventStore::putStaffAccount(const StaffAccountRecord& a) {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("writing a staff account",
                           "INSERT INTO staff_accounts(username, password_hash, role, counters, created_at, disabled_at, locations) "
                           "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash, "
                           "role = excluded.role, counters = excluded.counters, disabled_at = excluded.disabled_at, locations = excluded.locations",
                           {a.username, a.passwordHash, a.role, joinCounters(a.counters), param(a.createdAt), param(a.disabledAt),
                            joinCounters(a.locations)});
    if (!r) return r.error();
    return Ok{};
}

Result<bool> PostgresEventStore::addStaffAccount(const StaffAccountRecord& a) {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("adding a staff account",
                           "INSERT INTO staff_accounts(username, password_hash, role, counters, created_at, disabled_at, locations) "
                           "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(username) DO NOTHING RETURNING username",
                           {a.username, a.passwordHash, a.role, joinCounters(a.counters), param(a.createdAt), param(a.disabledAt),
                            joinCounters(a.locations)});
    if (!r) return r.error();
    return r->size() == 1;
}

Result<std::vector<StaffAccountRecord>> PostgresEventStore::staffAccounts() {
    std::lock_guard lock(m_otherMutex);
    auto q = m_other->exec("reading staff accounts",
                           "SELECT username, password_hash, role, counters, created_at, disabled_at, locations FROM staff_accounts ORDER BY username");
    if (!q) return q.error();
    std::vector<StaffAccountRecord> out;
    for (int i = 0; i < q->size(); ++i)
        out.push_back({q->text(i, 0), q->text(i, 1), q->text(i, 2), splitCounters(q->text(i, 3)), q->integer(i, 4), q->optInteger(i, 5),
                       splitCounters(q->text(i, 6))});
    return out;
}

Status PostgresEventStore::appendAudit(const AuditEntry& e) {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("writing the audit trail",
                           "INSERT INTO audit(at, day, actor, role, action, target, detail) VALUES($1, $2, $3, $4, $5, $6, $7)",
                           {param(e.at), param(std::int64_t{e.day}), e.actor, e.role, e.action, e.target, e.detail});
    if (!r) return r.error();
    return Ok{};
}

Result<std::vector<AuditEntry>> PostgresEventStore::auditEntries(LocalDay day) {
    std::lock_guard lock(m_otherMutex);
    auto q = m_other->exec("reading the audit trail",
                           "SELECT id, at, day, actor, role, action, target, detail FROM audit WHERE day = $1 ORDER BY id",
                           {param(std::int64_t{day})});
    if (!q) return q.error();
    std::vector<AuditEntry> out;
    for (int i = 0; i < q->size(); ++i)
        out.push_back({q->integer(i, 0), q->integer(i, 1), static_cast<LocalDay>(q->integer(i, 2)), q->text(i, 3), q->text(i, 4),
                       q->text(i, 5), q->text(i, 6), q->text(i, 7)});
    return out;
}

Status PostgresEventStore::purgeAudit(LocalDay before) {
    std::lock_guard lock(m_otherMutex);
    if (auto r = m_other->exec("purging the audit trail", "DELETE FROM audit WHERE day < $1", {param(std::int64_t{before})}); !r)
        return r.error();
    return Ok{};
}

Status PostgresEventStore::putEnrolledDevice(const EnrolledDeviceRecord& d) {
    std::lock_guard lock(m_otherMutex);
    pg::Connection& c = *m_other;
    auto fail = [&](Error e) {
        c.rollbackQuietly();
        return e;
    };
    if (auto st = c.ensureConnected(); !st) return st;
    if (auto st = c.script("writing an enrolled device", "BEGIN"); !st) return st;
    if (auto r = c.exec("writing an enrolled device",
                        "INSERT INTO enrolled_devices(id, name, role, enrolled_at, revoked_at, location) VALUES($1, $2, $3, $4, $5, $6) "
                        "ON CONFLICT(id) DO UPDATE SET name = excluded.name, revoked_at = excluded.revoked_at",
                        {d.id, d.name, d.role, param(d.enrolledAt), param(d.revokedAt), d.location});
        !r)
        return fail(r.error());
    if (auto r = c.exec("writing an enrolled device's tokens", "DELETE FROM device_tokens WHERE device_id = $1", {d.id}); !r)
        return fail(r.error());
    for (const auto& t : d.tokens)
        if (auto r = c.exec("writing an enrolled device's tokens",
                            "INSERT INTO device_tokens(token_hash, device_id, expires_at) VALUES($1, $2, $3)",
                            {t.tokenHash, d.id, param(t.expiresAt)});
            !r)
            return fail(r.error());
    if (auto st = c.script("writing an enrolled device", "COMMIT"); !st) return fail(st.error());
    return Ok{};
}

Result<std::vector<EnrolledDeviceRecord>> PostgresEventStore::enrolledDevices() {
    std::lock_guard lock(m_otherMutex);
    auto q = m_other->exec("reading enrolled devices",
                           "SELECT id, name, role, enrolled_at, revoked_at, location FROM enrolled_devices ORDER BY enrolled_at, id");
    if (!q) return q.error();
    std::vector<EnrolledDeviceRecord> out;
    for (int i = 0; i < q->size(); ++i)
        out.push_back({q->text(i, 0), q->text(i, 1), q->text(i, 2), q->integer(i, 3), q->optInteger(i, 4), {}, q->text(i, 5)});
    for (auto& d : out) {
        auto t = m_other->exec("reading device tokens",
                               "SELECT token_hash, expires_at FROM device_tokens WHERE device_id = $1 ORDER BY expires_at", {d.id});
        if (!t) return t.error();
        for (int i = 0; i < t->size(); ++i) d.tokens.push_back({t->text(i, 0), t->integer(i, 1)});
    }
    return out;
}

Status PostgresEventStore::probeWrite() {
    std::lock_guard lock(m_otherMutex);
    // A real commit, synced like every other (a single statement is its own transaction).
    if (auto r = m_other->exec("probing a write", "UPDATE health SET probes = probes + 1 WHERE id = 1"); !r) return r.error();
    return Ok{};
}

void PostgresEventStore::watchCommits(std::function<void()> committed) {
    stopWatching();
    if (!committed) return;
    auto notice = [this, committed = std::move(committed)](const std::string& payload) {
        if (payload == "*") {
            // Listening now: every later commit is announced. Those before are read once: the
            // last id committed so far counts as announced.
            std::optional<std::int64_t> last;
            {
                std::lock_guard lock(m_otherMutex);
                if (auto r = m_other->exec("reading the last event id", "SELECT COALESCE(MAX(id), 0) FROM events")) last = r->integer(0, 0);
            }
            if (last) noteAnnounced(*last);
            {
                // Nothing kept yet: what was committed before is read (the caller is behind).
                std::lock_guard d(m_deliveredMutex);
                m_delivered.clear();
                m_deliveredValid = last.has_value();
                if (last) m_deliveredFrom = m_deliveredTo = std::max(*last, m_deliveredTo);
            }
            m_listening = last.has_value(); // unread: eventsAfter keeps reading, as without a listener
            committed();                     // whatever was committed while nobody listened
            return;
        }
        noteAnnouncement(payload, committed);
    };
    // The process's one listening connection for this database (pg::Listener), whatever the
    // location: each location's channel is a subscription on it.
    auto listener = std::make_unique<pg::Listener>(m_listenUrl, m_channel, std::move(notice), [this] {
        m_listening = false; // commits are not announced now: eventsAfter reads again
        std::lock_guard d(m_deliveredMutex);
        m_deliveredValid = false;
        m_delivered.clear();
    });
    std::lock_guard lock(m_watchMutex);
    m_watcher = std::move(listener);
}

void PostgresEventStore::noteAnnouncement(const std::string& payload, const std::function<void()>& committed) {
    // The events are looked at only when this instance does not have them yet (not its own).
    const std::int64_t lastId = pg::announcedLastId(payload).value_or(0);
    if (lastId <= 0) return; // not a payload of ours: nothing can be concluded from it
    const bool news = lastId > m_lastEventId.load();
    {
        std::lock_guard d(m_deliveredMutex);
        if (m_deliveredValid && lastId > m_deliveredTo) {
            std::vector<StoredEvent> carried;
            if (news) {
                if (auto a = pg::parseAnnouncement(payload)) carried = std::move(a->events);
            }
            // Announcements arrive in commit order, and no event lies between two of them: the
            // events carried follow those kept. Else (the id alone, or too many kept) keep none.
            if (!carried.empty() && carried.front().id > m_deliveredTo && m_delivered.size() + carried.size() <= kMaxDelivered) {
                for (StoredEvent& e : carried) m_delivered.push_back(std::move(e));
            } else {
                m_delivered.clear();
                m_deliveredFrom = lastId;
            }
            m_deliveredTo = lastId;
        }
    }
    noteAnnounced(lastId);
    if (news) committed();
}

void PostgresEventStore::noteAnnounced(std::int64_t id) {
    std::int64_t known = m_announcedId.load();
    while (id > known && !m_announcedId.compare_exchange_weak(known, id)) {
    }
}

void PostgresEventStore::stopWatching() {
    std::unique_ptr<pg::Listener> watcher;
    {
        std::lock_guard lock(m_watchMutex);
        watcher = std::move(m_watcher);
    }
    watcher.reset(); // waits while its function runs
    m_listening = false;
    std::lock_guard d(m_deliveredMutex);
    m_deliveredValid = false;
    m_delivered.clear();
}

} // namespace loket::server
