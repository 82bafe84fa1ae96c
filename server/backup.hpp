// Backup and restore of the hall's SQLite database, for `loket-server backup` and
// `loket-server restore` (main.cpp). Also the database lock the running server holds, so a
// restore cannot replace the file under a live hall.
//
// A backup is taken with SQLite's online backup API from a second, read-only connection: the
// copy is one consistent snapshot (one read transaction; WAL lets the hall keep writing). The
// copy is checked (integrity, a Loket schema version) and renamed into place only when complete.
// A restore checks the file the same way, refuses while a server holds the database lock, and
// keeps the replaced database beside it as `<db>.before-restore`.
//
// A city on SQLite (docs/locations.md) keeps each location's queue in its own file beside the
// shared one (`loket.<id>.db` beside `loket.db`, store_factory.hpp). A backup takes the
// locations the configuration names, no more and no fewer: a configured location without its
// file is refused (naming the file); a file beside them of a location the configuration no longer
// has is left out and named in the answer (`notTaken`) and the manifest. Without a configuration
// a backup is of one hall, and refuses when location files lie beside it.
// One snapshot across the files: the backup holds every file's write lock at once (writers wait,
// as for any transaction of the hall), opens a read transaction on each, and lets go — a few
// milliseconds — so every copy shows the city at one instant: no commit to any file falls
// between two files' snapshots. The manifest (`<backup>.manifest.json`) lists the files with
// their last event id and the instant. A restore puts back the manifest's files (or, for a
// backup without one, the files beside it), and moves aside a location file the backup has none
// of (that location then starts empty, as it was when the backup was made).
// Depends on SQLite and the store's schema version only; no HTTP, no hall model.
#pragma once

#include "shared/core/result.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace loket::server {

// What one location's file holds (a city on SQLite).
struct LocationSummary {
    std::string id;
    int schemaVersion = 0;
    long long events = 0;
    long long lastEventId = 0;
};

// What a checked database holds; `locations`: the location files copied along, by id.
struct DatabaseSummary {
    int schemaVersion = 0;
    long long events = 0;
    long long lastEventId = 0;
    std::vector<LocationSummary> locations = {};
    // A backup: location files beside the database that the configuration does not name (left out).
    std::vector<std::filesystem::path> notTaken = {};
    // A city's backup: the instant every file's snapshot shows (RFC 3339, UTC), and its manifest.
    std::string snapshotAt = {};
    std::filesystem::path manifest = {};
};

// The manifest written beside a city's backup `to`: `<to>.manifest.json`.
std::filesystem::path backupManifestPath(const std::filesystem::path& to);

// The ids of the location files beside `db` (`<stem>.<id><ext>`, id of a-z, 0-9 and _), sorted.
std::vector<std::string> locationFilesBeside(const std::filesystem::path& db);

// Copies the live database `db` to `to` (a new file; an existing one is replaced only after the
// copy succeeded), and the file of each location in `locations` (the configuration's ids; empty:
// one hall) to the same name beside `to`, all at one instant. Safe while the server runs.
Result<DatabaseSummary> backupDatabase(const std::filesystem::path& db, const std::filesystem::path& to,
                                       const std::vector<std::string>& locations = {});

// Replaces `db` with the backup `from`, and each location file with the backup's (all checked
// first). Fails while a server holds `db` (DatabaseLock).
Result<DatabaseSummary> restoreDatabase(const std::filesystem::path& from, const std::filesystem::path& db);

// Checks that `file` is an intact Loket database of a schema version this server knows.
Result<DatabaseSummary> checkDatabase(const std::filesystem::path& file);

// The running server's claim on its database: an exclusive flock on `<db>.lock` (a separate file,
// so SQLite's own POSIX locks on the database are never disturbed). Held until destroyed.
class DatabaseLock {
public:
    static Result<DatabaseLock> acquire(const std::filesystem::path& db);
    DatabaseLock(DatabaseLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    DatabaseLock& operator=(DatabaseLock&&) = delete;
    DatabaseLock(const DatabaseLock&) = delete;
    ~DatabaseLock();

private:
    explicit DatabaseLock(int fd) : m_fd(fd) {}
    int m_fd;
};

} // namespace loket::server
