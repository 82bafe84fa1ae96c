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
// shared one (`loket.<id>.db` beside `loket.db`, store_factory.hpp). Backup and restore take
// every such file along: the backup of `x.db` is `x.db` plus `x.<id>.db` for each location,
// each its own consistent snapshot; a restore puts each back, and moves aside a location file
// the backup has none of (that location then starts empty, as it was when the backup was made).
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
};

// The ids of the location files beside `db` (`<stem>.<id><ext>`, id of a-z, 0-9 and _), sorted.
std::vector<std::string> locationFilesBeside(const std::filesystem::path& db);

// Copies the live database `db` to `to` (a new file; an existing one is replaced only after the
// copy succeeded), and each location file beside it to the same name beside `to`. Safe while
// the server runs.
Result<DatabaseSummary> backupDatabase(const std::filesystem::path& db, const std::filesystem::path& to);

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
