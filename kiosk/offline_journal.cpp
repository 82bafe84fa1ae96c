#include "offline_journal.hpp"

#include "shared/sqlite/statement.hpp"

#include <sqlite3.h>


namespace loket::kiosk {
namespace {

Error sqliteError(sqlite3* db, const std::string& what) {
    return makeError(ErrorCode::Io, "kiosk journal: " + what + ": " + (db ? sqlite3_errmsg(db) : "cannot open"));
}

using sqlite::Statement;


constexpr const char* kEntryColumns = "seq, key, kind, lease, number, service, code_hash, checked_in_at, language, visitor_code, state";

JournalEntry entryFrom(const Statement& s) {
    JournalEntry e;
    e.seq = s.integer(0);
    e.key = s.text(1);
    e.kind = s.text(2);
    e.lease = s.integer(3);
    e.number = s.text(4);
    e.service = s.text(5);
    if (!s.null(6)) e.codeHash = s.text(6);
    e.checkedInAt = s.integer(7);
    e.language = s.text(8);
    e.visitorCode = s.text(9);
    e.state = s.text(10);
    return e;
}

} // namespace

Result<OfflineJournal> OfflineJournal::open(const std::filesystem::path& file) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
        Error error = sqliteError(db, "open " + file.string());
        sqlite3_close(db);
        return error;
    }
    OfflineJournal journal(db);
    // WAL + FULL: a committed ticket survives a power cut (platform notes: NORMAL may lose it).
    for (const char* sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=2000",
                            "CREATE TABLE IF NOT EXISTS lease(id INTEGER PRIMARY KEY, service TEXT NOT NULL, prefix TEXT NOT NULL,"
                            " first INTEGER NOT NULL, count INTEGER NOT NULL, day TEXT NOT NULL, expires_at INTEGER NOT NULL)",
                            "CREATE TABLE IF NOT EXISTS kept(name TEXT PRIMARY KEY, value TEXT NOT NULL)",
                            "CREATE TABLE IF NOT EXISTS entry(seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,"
                            " kind TEXT NOT NULL, lease INTEGER NOT NULL, number TEXT NOT NULL, service TEXT NOT NULL, code_hash TEXT,"
                            " checked_in_at INTEGER NOT NULL, language TEXT NOT NULL, visitor_code TEXT NOT NULL,"
                            " state TEXT NOT NULL DEFAULT 'pending')"})
        if (auto st = journal.exec(sql); !st) return st.error();
    // Journals written before leases carried an upload secret get the column (empty for old leases).
    {
        Statement has(db, "SELECT COUNT(*) FROM pragma_table_info('lease') WHERE name = 'upload_secret'");
        if (!has.ok() || has.step() != SQLITE_ROW) return sqliteError(db, "read the journal's columns");
        if (has.integer(0) == 0)
            if (auto st = journal.exec("ALTER TABLE lease ADD COLUMN upload_secret TEXT NOT NULL DEFAULT ''"); !st) return st.error();
    }
    return journal;
}

OfflineJournal::OfflineJournal(OfflineJournal&& other) noexcept : m_db(other.m_db) { other.m_db = nullptr; }

OfflineJournal::~OfflineJournal() {
    if (m_db) sqlite3_close(m_db);
}

Status OfflineJournal::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        Error error = makeError(ErrorCode::Io, std::string("kiosk journal: ") + (message ? message : "error") + " in: " + sql);
        sqlite3_free(message);
        return error;
    }
    return Ok{};
}

Status OfflineJournal::replaceLeases(const std::vector<JournalLease>& leases) {
    if (auto st = exec("BEGIN IMMEDIATE"); !st) return st;
    auto rollback = [&](Error e) -> Status {
        (void)exec("ROLLBACK");
        return e;
    };
    if (auto st = exec("CREATE TEMP TABLE IF NOT EXISTS keep(id INTEGER PRIMARY KEY); DELETE FROM keep"); !st) return rollback(st.error());
    for (const auto& l : leases) {
        Statement put(m_db, "INSERT INTO lease(id, service, prefix, first, count, day, expires_at, upload_secret) VALUES(?,?,?,?,?,?,?,?)"
                            " ON CONFLICT(id) DO UPDATE SET expires_at = excluded.expires_at, upload_secret ="
                            " CASE WHEN excluded.upload_secret != '' THEN excluded.upload_secret ELSE lease.upload_secret END");
        put.bind(1, l.id).bind(2, l.service).bind(3, std::string(1, l.prefix)).bind(4, std::int64_t{l.first})
            .bind(5, std::int64_t{l.count}).bind(6, l.day).bind(7, l.expiresAt).bind(8, l.uploadSecret);
        if (!put.ok() || put.step() != SQLITE_DONE) return rollback(sqliteError(m_db, "keep a lease"));
        Statement keep(m_db, "INSERT OR IGNORE INTO keep(id) VALUES(?)");
        keep.bind(1, l.id);
        if (!keep.ok() || keep.step() != SQLITE_DONE) return rollback(sqliteError(m_db, "keep a lease"));
    }
    // Leases the server no longer lists: forgotten with their answered tickets, once none waits.
    if (auto st = exec("DELETE FROM entry WHERE state != 'pending' AND kind = 'ticket' AND lease NOT IN (SELECT id FROM keep)"
                       " AND lease NOT IN (SELECT lease FROM entry WHERE state = 'pending');"
                       "DELETE FROM lease WHERE id NOT IN (SELECT id FROM keep)"
                       " AND id NOT IN (SELECT lease FROM entry WHERE state = 'pending')");
        !st)
        return rollback(st.error());
    return exec("COMMIT");
}

Result<std::vector<JournalLease>> OfflineJournal::leases() {
    Statement s(m_db, "SELECT id, service, prefix, first, count, day, expires_at, upload_secret FROM lease ORDER BY id");
    if (!s.ok()) return sqliteError(m_db, "read leases");
    std::vector<JournalLease> out;
    while (s.step() == SQLITE_ROW) {
        JournalLease l;
        l.id = s.integer(0);
        l.service = s.text(1);
        l.prefix = s.text(2).empty() ? 'A' : s.text(2)[0];
        l.first = static_cast<int>(s.integer(3));
        l.count = static_cast<int>(s.integer(4));
        l.day = s.text(5);
        l.expiresAt = s.integer(6);
        l.uploadSecret = s.text(7);
        out.push_back(l);
    }
    return out;
}

Result<int> OfflineJournal::used(core::LeaseId lease) {
    Statement s(m_db, "SELECT COUNT(*) FROM entry WHERE lease = ? AND kind = 'ticket'");
    if (!s.ok()) return sqliteError(m_db, "count a lease's tickets");
    s.bind(1, lease);
    if (s.step() != SQLITE_ROW) return sqliteError(m_db, "count a lease's tickets");
    return static_cast<int>(s.integer(0));
}

Result<JournalEntry> OfflineJournal::issue(const std::string& service, const std::optional<std::string>& codeHash,
                                           core::Seconds kioskNow, core::Seconds serverNow, const std::string& today,
                                           const std::string& language, const std::string& visitorCode) {
    if (auto st = exec("BEGIN IMMEDIATE"); !st) return st.error();
    auto rollback = [&](Error e) -> Result<JournalEntry> {
        (void)exec("ROLLBACK");
        return e;
    };
    JournalEntry e;
    e.kind = "no_number";
    e.service = service;
    e.codeHash = codeHash;
    e.checkedInAt = kioskNow;
    e.language = language;
    e.visitorCode = visitorCode;
    {
        Statement s(m_db, "SELECT l.id, l.prefix, l.first, l.count, (SELECT COUNT(*) FROM entry e WHERE e.lease = l.id AND e.kind = 'ticket')"
                          " FROM lease l WHERE l.service = ? AND l.day = ? AND l.expires_at > ? ORDER BY l.id");
        if (!s.ok()) return rollback(sqliteError(m_db, "find a lease"));
        s.bind(1, service).bind(2, today).bind(3, serverNow);
        while (s.step() == SQLITE_ROW) {
            const int first = static_cast<int>(s.integer(2)), count = static_cast<int>(s.integer(3));
            const int used = static_cast<int>(s.integer(4));
            if (used >= count) continue;
            e.kind = "ticket";
            e.lease = s.integer(0);
            e.number = core::leaseNumber(s.text(1).empty() ? 'A' : s.text(1)[0], first + used);
            break;
        }
    }
    e.key = e.kind == "ticket" ? std::to_string(e.lease) + "-" + e.number : "no-number-" + visitorCode;
    Statement put(m_db, "INSERT INTO entry(key, kind, lease, number, service, code_hash, checked_in_at, language, visitor_code, state)"
                        " VALUES(?,?,?,?,?,?,?,?,?,?)");
    put.bind(1, e.key).bind(2, e.kind).bind(3, e.lease).bind(4, e.number).bind(5, e.service).bind(6, e.codeHash)
        .bind(7, e.checkedInAt).bind(8, e.language).bind(9, e.visitorCode).bind(10, std::string(e.kind == "ticket" ? "pending" : "desk"));
    if (!put.ok() || put.step() != SQLITE_DONE) return rollback(sqliteError(m_db, "write a ticket"));
    e.seq = sqlite3_last_insert_rowid(m_db);
    if (e.kind != "ticket") e.state = "desk";
    if (auto st = exec("COMMIT"); !st) return rollback(st.error());
    return e;
}

Result<std::vector<JournalEntry>> OfflineJournal::pending(std::size_t limit, std::optional<core::LeaseId> lease) {
    const std::string sql = std::string("SELECT ") + kEntryColumns +
                            " FROM entry WHERE state = 'pending' AND kind = 'ticket' AND (?2 IS NULL OR lease = ?2) ORDER BY seq LIMIT ?1";
    Statement s(m_db, sql.c_str());
    if (!s.ok()) return sqliteError(m_db, "read pending tickets");
    s.bind(1, static_cast<std::int64_t>(limit)).bindOpt(2, lease);
    std::vector<JournalEntry> out;
    while (s.step() == SQLITE_ROW) out.push_back(entryFrom(s));
    return out;
}

Result<std::size_t> OfflineJournal::pendingCount() {
    Statement s(m_db, "SELECT COUNT(*) FROM entry WHERE state = 'pending' AND kind = 'ticket'");
    if (!s.ok() || s.step() != SQLITE_ROW) return sqliteError(m_db, "count pending tickets");
    return static_cast<std::size_t>(s.integer(0));
}

Result<std::size_t> OfflineJournal::noNumberCount() {
    Statement s(m_db, "SELECT COUNT(*) FROM entry WHERE kind = 'no_number'");
    if (!s.ok() || s.step() != SQLITE_ROW) return sqliteError(m_db, "count tickets without a number");
    return static_cast<std::size_t>(s.integer(0));
}

Status OfflineJournal::markAnswered(const std::string& key, const std::string& state) {
    Statement s(m_db, "UPDATE entry SET state = ? WHERE key = ?");
    if (!s.ok()) return sqliteError(m_db, "clear a ticket");
    s.bind(1, state).bind(2, key);
    if (s.step() != SQLITE_DONE) return sqliteError(m_db, "clear a ticket");
    return Ok{};
}

Status OfflineJournal::keep(const std::string& name, const std::string& value) {
    // Unchanged values are not written again (no commit, no fsync).
    Statement s(m_db, "INSERT INTO kept(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value"
                      " WHERE kept.value != excluded.value");
    if (!s.ok()) return sqliteError(m_db, "keep " + name);
    s.bind(1, name).bind(2, value);
    if (s.step() != SQLITE_DONE) return sqliteError(m_db, "keep " + name);
    return Ok{};
}

Result<std::string> OfflineJournal::kept(const std::string& name) {
    Statement s(m_db, "SELECT value FROM kept WHERE name = ?");
    if (!s.ok()) return sqliteError(m_db, "read " + name);
    s.bind(1, name);
    return s.step() == SQLITE_ROW ? s.text(0) : std::string();
}

} // namespace loket::kiosk
