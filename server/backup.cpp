#include "backup.hpp"

#include "sqlite_event_store.hpp"
#include "store/store_factory.hpp"
#include "shared/proto/rfc3339.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

namespace loket::server {

namespace {

// One SQLite connection that closes itself.
class Connection {
public:
    Connection(const std::filesystem::path& file, int flags) {
        m_rc = sqlite3_open_v2(file.c_str(), &m_db, flags, nullptr);
        if (m_db) sqlite3_busy_timeout(m_db, 5000);
    }
    ~Connection() { sqlite3_close(m_db); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    bool ok() const { return m_rc == SQLITE_OK; }
    sqlite3* get() const { return m_db; }
    std::string message() const { return m_db ? sqlite3_errmsg(m_db) : "out of memory"; }
    // The first column of the first row of `sql` as text, or nullopt on an error.
    std::optional<std::string> scalar(const char* sql) const {
        sqlite3_stmt* q = nullptr;
        std::optional<std::string> out;
        if (sqlite3_prepare_v2(m_db, sql, -1, &q, nullptr) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
            auto p = sqlite3_column_text(q, 0);
            out = p ? reinterpret_cast<const char*>(p) : "";
        }
        sqlite3_finalize(q);
        return out;
    }
    bool exec(const char* sql) const { return sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

private:
    sqlite3* m_db = nullptr;
    int m_rc = SQLITE_ERROR;
};

Error fail(const std::filesystem::path& file, const std::string& what) {
    return makeError(ErrorCode::StoreFailed, file.string() + ": " + what);
}

// The checks shared by backup (on the copy) and restore (on the file given).
Result<DatabaseSummary> summarise(const Connection& c, const std::filesystem::path& file) {
    auto integrity = c.scalar("PRAGMA integrity_check");
    if (!integrity) return fail(file, "not a readable SQLite database (" + c.message() + ")");
    if (*integrity != "ok") return fail(file, "the database is damaged: " + *integrity);
    auto hasEvents = c.scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'");
    if (!hasEvents || *hasEvents != "1") return fail(file, "not a Loket database (no events table)");
    DatabaseSummary s;
    s.schemaVersion = std::stoi(c.scalar("PRAGMA user_version").value_or("0"));
    // Version 0 is the unversioned first schema; the server migrates it at start-up.
    if (s.schemaVersion > SqliteEventStore::schemaVersion())
        return fail(file, "schema version " + std::to_string(s.schemaVersion) + " is newer than this server's " +
                              std::to_string(SqliteEventStore::schemaVersion()));
    s.events = std::stoll(c.scalar("SELECT COUNT(*) FROM events").value_or("0"));
    s.lastEventId = std::stoll(c.scalar("SELECT COALESCE(MAX(id), 0) FROM events").value_or("0"));
    if (auto seq = c.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'events'")) s.lastEventId = std::max(s.lastEventId, std::stoll(*seq));
    return s;
}

// Copies `from` (any connection) into the new file `to` with the online backup API, in one step:
// one read transaction on the source, so the copy is a single consistent snapshot. The copy
// leaves WAL mode (one self-contained file) and is synced before it is renamed into place.
Result<DatabaseSummary> copyInto(const Connection& from, const std::filesystem::path& source, const std::filesystem::path& to) {
    const std::filesystem::path partial = to.string() + ".partial";
    std::error_code ec;
    std::filesystem::remove(partial, ec);
    {
        Connection dest(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        if (!dest.ok()) return fail(partial, "cannot create: " + dest.message());
        sqlite3_backup* b = sqlite3_backup_init(dest.get(), "main", from.get(), "main");
        if (!b) return fail(partial, dest.message());
        int rc;
        // SQLITE_BUSY/LOCKED: the source was mid-checkpoint; try again (the busy timeout waits).
        while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE) {
            std::filesystem::remove(partial, ec);
            return fail(source, std::string("the copy failed: ") + sqlite3_errstr(rc));
        }
        if (!dest.exec("PRAGMA journal_mode=DELETE") || !dest.exec("PRAGMA synchronous=FULL")) {
            std::filesystem::remove(partial, ec);
            return fail(partial, dest.message());
        }
        auto summary = summarise(dest, partial);
        if (!summary) {
            std::filesystem::remove(partial, ec);
            return summary.error();
        }
    }
    if (int fd = ::open(partial.c_str(), O_RDONLY); fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    std::filesystem::rename(partial, to, ec);
    if (ec) return fail(to, "cannot move the copy into place: " + ec.message());
    const auto dir = to.has_parent_path() ? to.parent_path() : std::filesystem::path(".");
    if (int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    Connection check(to, SQLITE_OPEN_READONLY);
    return summarise(check, to);
}

} // namespace

Result<DatabaseSummary> checkDatabase(const std::filesystem::path& file) {
    if (!std::filesystem::is_regular_file(file)) return fail(file, "no such file");
    Connection c(file, SQLITE_OPEN_READONLY);
    if (!c.ok()) return fail(file, "cannot open: " + c.message());
    return summarise(c, file);
}

namespace {

std::filesystem::path locationFile(const std::filesystem::path& db, const std::string& id) {
    return sqlitePartitionPath(db.string(), id);
}

LocationSummary locationSummary(const std::string& id, const DatabaseSummary& s) { return {id, s.schemaVersion, s.events, s.lastEventId}; }

// Puts the checked backup `from` in place of `db`; the caller holds the database lock.
Result<DatabaseSummary> restoreOne(const std::filesystem::path& from, const std::filesystem::path& db) {
    Connection source(from, SQLITE_OPEN_READONLY);
    if (!source.ok()) return fail(from, "cannot open: " + source.message());
    const std::filesystem::path incoming = db.string() + ".restoring";
    auto copied = copyInto(source, from, incoming);
    if (!copied) return copied.error();
    std::error_code ec;
    // Run as root (the packaged server has a DynamicUser), the restored file and the lock must
    // still belong to the server's user: take the owner and mode of what is there.
    struct stat owner {};
    const bool hadOwner = ::stat(db.c_str(), &owner) == 0 || ::stat(db.parent_path().c_str(), &owner) == 0;
    if (hadOwner && ::geteuid() == 0) {
        const std::filesystem::path lockFile = db.string() + ".lock";
        for (const auto* file : {&incoming, &lockFile})
            if (std::filesystem::exists(*file) && ::chown(file->c_str(), owner.st_uid, owner.st_gid) != 0) {
                const std::string why = std::strerror(errno);
                std::filesystem::remove(incoming, ec);
                return fail(*file, "cannot give it to the database's owner: " + why);
            }
    }
    if (std::filesystem::exists(db)) {
        // Bring the old file up to date (its WAL folded in) and keep it, in case the wrong backup
        // was chosen. Then drop its -wal/-shm: an old WAL replayed onto the new file would corrupt it.
        {
            Connection old(db, SQLITE_OPEN_READWRITE);
            if (old.ok()) (void)old.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        std::filesystem::rename(db, db.string() + ".before-restore", ec);
        if (ec) return fail(db, "cannot move the old database aside: " + ec.message());
    }
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(db.string() + suffix, ec);
    std::filesystem::rename(incoming, db, ec);
    if (ec) return fail(db, "cannot move the restored database into place: " + ec.message());
    return copied;
}

} // namespace

std::vector<std::string> locationFilesBeside(const std::filesystem::path& db) {
    std::vector<std::string> ids;
    const std::filesystem::path dir = db.has_parent_path() ? db.parent_path() : std::filesystem::path(".");
    const std::string prefix = db.stem().string() + ".", suffix = db.extension().string();
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_regular_file() || name.size() <= prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        const std::string id = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
        if (id.size() <= 32 && id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos) ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::filesystem::path backupManifestPath(const std::filesystem::path& to) { return to.string() + ".manifest.json"; }

namespace {

// Run as root, a file SQLite made beside the database (its -wal or -shm, when the server was not
// running) must still belong to the database's owner, or the server's user could not open it.
// A file that cannot be given back is an error: the server would fail at its next start.
Status keepOwner(const std::filesystem::path& db) {
    struct stat owner {};
    if (::geteuid() != 0 || ::stat(db.c_str(), &owner) != 0) return Ok{};
    for (const char* suffix : {"-wal", "-shm"}) {
        const std::string file = db.string() + suffix;
        struct stat st {};
        if (::stat(file.c_str(), &st) == 0 && (st.st_uid != owner.st_uid || st.st_gid != owner.st_gid) &&
            ::chown(file.c_str(), owner.st_uid, owner.st_gid) != 0)
            return fail(file, std::string("cannot give it back to the database's owner: ") + std::strerror(errno));
    }
    return Ok{};
}

void removeAll(const std::vector<std::filesystem::path>& files) {
    std::error_code ec;
    for (const auto& file : files) std::filesystem::remove(file, ec);
}

// The manifest of a city's backup: which files, what each holds, and the one instant they show.
Status writeManifest(const std::filesystem::path& to, const DatabaseSummary& s, long long pauseMs) {
    nlohmann::json files = nlohmann::json::array();
    files.push_back({{"location", nullptr}, {"file", to.filename().string()}, {"schema_version", s.schemaVersion}, {"events", s.events},
                     {"last_event_id", s.lastEventId}});
    for (const auto& l : s.locations)
        files.push_back({{"location", l.id}, {"file", std::filesystem::path(sqlitePartitionPath(to.string(), l.id)).filename().string()},
                         {"schema_version", l.schemaVersion}, {"events", l.events}, {"last_event_id", l.lastEventId}});
    nlohmann::json notTaken = nlohmann::json::array();
    for (const auto& f : s.notTaken) notTaken.push_back(f.filename().string());
    const nlohmann::json doc = {{"format", 1},
                                {"snapshot_at", s.snapshotAt},
                                {"one_snapshot", true},
                                {"writes_held_ms", pauseMs},
                                {"files", files},
                                {"not_taken", notTaken}};
    const std::filesystem::path manifest = backupManifestPath(to), partial = manifest.string() + ".partial";
    {
        std::ofstream out(partial, std::ios::trunc);
        out << doc.dump(2) << "\n";
        if (!out.flush()) return fail(partial, "cannot write the manifest");
    }
    if (int fd = ::open(partial.c_str(), O_RDONLY); fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    std::error_code ec;
    std::filesystem::rename(partial, manifest, ec);
    if (ec) return fail(manifest, "cannot move the manifest into place: " + ec.message());
    return Ok{};
}

// The location ids a backup holds: its manifest's, else (a backup made before manifests) the
// files beside it.
Result<std::vector<std::string>> backupLocations(const std::filesystem::path& from) {
    const std::filesystem::path manifest = backupManifestPath(from);
    if (!std::filesystem::exists(manifest)) return locationFilesBeside(from);
    std::ifstream in(manifest);
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("files") || !doc["files"].is_array())
        return fail(manifest, "not a Loket backup manifest");
    std::vector<std::string> ids;
    for (const auto& f : doc["files"]) {
        if (!f.is_object() || !f.contains("location")) return fail(manifest, "not a Loket backup manifest");
        if (f["location"].is_string()) ids.push_back(f["location"].get<std::string>());
    }
    return ids;
}

} // namespace

Result<DatabaseSummary> backupDatabase(const std::filesystem::path& db, const std::filesystem::path& to, const std::vector<std::string>& locations) {
    // The files: the shared one, then each configured location's. All must be there.
    std::vector<std::pair<std::string, std::filesystem::path>> files{{"", db}};
    for (const auto& id : locations) files.emplace_back(id, locationFile(db, id));
    for (const auto& [id, file] : files) {
        if (std::filesystem::is_regular_file(file)) continue;
        if (id.empty()) return fail(file, "no such database");
        return fail(file, "no such file, but the configuration names location " + id +
                              " (start the server once to make it, or take the location out of the configuration)");
    }
    // Files beside it of locations the configuration does not name: never taken silently.
    DatabaseSummary out;
    for (const auto& id : locationFilesBeside(db))
        if (std::find(locations.begin(), locations.end(), id) == locations.end()) out.notTaken.push_back(locationFile(db, id));
    if (locations.empty() && !out.notTaken.empty())
        return fail(out.notTaken.front(), "looks like a city's location file beside " + db.string() +
                                              ", and no configuration naming locations was given: name the city's configuration "
                                              "(--config) so the backup takes its locations, or move the file away");
    for (const auto& [id, file] : files) {
        const auto dest = id.empty() ? to : locationFile(to, id);
        if (std::filesystem::exists(dest) && std::filesystem::equivalent(file, dest)) return fail(dest, "the backup cannot be the database itself");
    }

    // Read-only: this process never writes the live files. In WAL mode a reader needs the -shm
    // file, which the running server keeps. Each file is checked before anything is copied.
    std::vector<std::unique_ptr<Connection>> live;
    for (const auto& [id, file] : files) {
        live.push_back(std::make_unique<Connection>(file, SQLITE_OPEN_READONLY));
        if (!live.back()->ok()) return fail(file, "cannot open: " + live.back()->message());
        if (auto s = summarise(*live.back(), file); !s) return id.empty() ? s.error() : makeError(s.error().code, "location " + id + ": " + s.error().message);
    }

    // A city: one instant for every file. Hold each file's write lock (BEGIN IMMEDIATE on a
    // second connection; it writes nothing), start the copies' read transactions, let go. The
    // hall's writers wait meanwhile, as for any other transaction (busy timeout).
    long long pauseMs = 0;
    const bool city = files.size() > 1;
    if (city) {
        const auto pausedAt = std::chrono::steady_clock::now();
        {
            std::vector<std::unique_ptr<Connection>> holds;
            for (const auto& [id, file] : files) {
                holds.push_back(std::make_unique<Connection>(file, SQLITE_OPEN_READWRITE));
                Connection& hold = *holds.back();
                if (hold.ok()) sqlite3_db_config(hold.get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
                if (!hold.ok() || !hold.exec("BEGIN IMMEDIATE"))
                    return fail(file, "cannot hold its writes for one snapshot of the city (this needs write access to the files): " + hold.message());
            }
            for (std::size_t i = 0; i < files.size(); ++i)
                if (!live[i]->exec("BEGIN") || !live[i]->scalar("SELECT COUNT(*) FROM events"))
                    return fail(files[i].second, "cannot start the snapshot: " + live[i]->message());
            out.snapshotAt = proto::rfc3339(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count(), 0);
            for (auto& hold : holds) (void)hold->exec("ROLLBACK");
        }
        pauseMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - pausedAt).count();
        for (const auto& [id, file] : files)
            if (auto kept = keepOwner(file); !kept) return kept.error();
    }

    // Each copy reads inside its connection's open read transaction: the snapshot of that instant.
    std::vector<std::filesystem::path> written;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& [id, file] = files[i];
        const auto dest = id.empty() ? to : locationFile(to, id);
        auto copied = copyInto(*live[i], file, dest);
        if (!copied) {
            // Half a city is no backup: take back what this run wrote.
            removeAll(written);
            return id.empty() ? copied.error() : makeError(copied.error().code, "location " + id + ": " + copied.error().message);
        }
        written.push_back(dest);
        if (id.empty()) {
            out.schemaVersion = copied->schemaVersion;
            out.events = copied->events;
            out.lastEventId = copied->lastEventId;
        } else {
            out.locations.push_back(locationSummary(id, *copied));
        }
    }
    if (!city) {
        // One hall's backup has no manifest: one left by an earlier city backup of this name goes,
        // or a restore would look for location files this backup does not have.
        std::error_code ec;
        std::filesystem::remove(backupManifestPath(to), ec);
    } else {
        for (auto& c : live) (void)c->exec("COMMIT");
        if (auto st = writeManifest(to, out, pauseMs); !st) {
            removeAll(written);
            return st.error();
        }
        out.manifest = backupManifestPath(to);
    }
    return out;
}

Result<DatabaseSummary> restoreDatabase(const std::filesystem::path& from, const std::filesystem::path& db) {
    auto checked = checkDatabase(from);
    if (!checked) return checked.error();
    // Every file of the backup is checked before anything is replaced.
    auto listed = backupLocations(from);
    if (!listed) return listed.error();
    const std::vector<std::string> ids = *listed;
    for (const auto& id : ids)
        if (auto c = checkDatabase(locationFile(from, id)); !c) return makeError(c.error().code, "location " + id + ": " + c.error().message);
    auto lock = DatabaseLock::acquire(db); // held until the new files are in place
    if (!lock) return lock.error();
    auto restored = restoreOne(from, db);
    if (!restored) return restored.error();
    for (const auto& id : ids) {
        auto one = restoreOne(locationFile(from, id), locationFile(db, id));
        if (!one) return makeError(one.error().code, "location " + id + ": " + one.error().message);
        restored->locations.push_back(locationSummary(id, *one));
    }
    // A location the backup has no file of had no queue then: it starts empty again, and its
    // current file is kept aside like the others.
    for (const auto& id : locationFilesBeside(db)) {
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
        const std::filesystem::path file = locationFile(db, id);
        {
            Connection old(file, SQLITE_OPEN_READWRITE);
            if (old.ok()) (void)old.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        std::error_code ec;
        std::filesystem::rename(file, file.string() + ".before-restore", ec);
        if (ec) return fail(file, "cannot move the old location file aside: " + ec.message());
        for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(file.string() + suffix, ec);
    }
    return restored;
}

Result<DatabaseLock> DatabaseLock::acquire(const std::filesystem::path& db) {
    const std::string file = db.string() + ".lock";
    // Read-only is enough for flock, and lets `restore` (perhaps as root) and the server share it.
    const int fd = ::open(file.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return fail(file, "cannot open the lock file");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return makeError(ErrorCode::Unavailable, db.string() + " is in use by a running loket-server; stop it first");
    }
    return DatabaseLock(fd);
}

DatabaseLock::~DatabaseLock() {
    if (m_fd >= 0) ::close(m_fd);
}

} // namespace loket::server
