// The offline kiosk's journal (issue 13): a local SQLite file with the number leases the server
// gave this kiosk and every ticket the kiosk issued on its own while the server was away. A
// ticket is committed (synchronous=FULL) before it is printed, and stays until the server has
// answered for it, so a kiosk that restarts or loses power resumes its upload and nothing is
// lost or doubled. Holds no names, no plain booking codes and never the offline book's key.
// Used by the kiosk's worker thread only (one connection, not shared between threads).
// Depends on loket::core (the lease rules) and SQLite.
#pragma once

#include "shared/core/offline_lease.hpp"
#include "shared/core/result.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace loket::kiosk {

// A lease as the kiosk keeps it: the numbers and when (server time) it expires.
struct JournalLease {
    core::LeaseId id = 0;
    std::string service;
    char prefix = 'A';
    int first = 1;
    int count = 0;
    std::string day;            // "2026-11-23", the hall's date
    core::Seconds expiresAt = 0; // server time
    // Lets this kiosk hand in the lease's tickets even after it was revoked (its token is then
    // gone): it authenticates the upload of this one lease only. Empty: the server sent none.
    std::string uploadSecret;
};

// One offline ticket. `kind` "ticket" (with a leased number) or "no_number" (the last resort,
// never uploaded). `state` pending → accepted | duplicate | refused once the server answered.
struct JournalEntry {
    std::int64_t seq = 0;
    std::string key;
    std::string kind = "ticket";
    core::LeaseId lease = 0;
    std::string number;
    std::string service;
    std::optional<std::string> codeHash;
    core::Seconds checkedInAt = 0; // the kiosk's own clock
    std::string language = "nl";
    std::string visitorCode;
    std::string state = "pending";
};

class OfflineJournal {
public:
    static Result<OfflineJournal> open(const std::filesystem::path& file);
    OfflineJournal(OfflineJournal&& other) noexcept;
    OfflineJournal& operator=(OfflineJournal&&) = delete;
    OfflineJournal(const OfflineJournal&) = delete;
    ~OfflineJournal();

    // The server's current leases for this kiosk replace the kept ones; a lease the server no
    // longer lists is forgotten once none of its tickets waits for upload.
    Status replaceLeases(const std::vector<JournalLease>& leases);
    Result<std::vector<JournalLease>> leases();
    // How many numbers of a lease this kiosk issued.
    Result<int> used(core::LeaseId lease);

    // Issues the next number of a usable lease for `service` and commits the entry before it
    // returns. `serverNow`/`today` are the kiosk's clock corrected by the last measured offset.
    // No usable lease: a "no_number" entry (the last resort) is committed instead.
    Result<JournalEntry> issue(const std::string& service, const std::optional<std::string>& codeHash,
                               core::Seconds kioskNow, core::Seconds serverNow, const std::string& today,
                               const std::string& language, const std::string& visitorCode);

    // Tickets waiting for upload, oldest first (of one lease only, when given).
    Result<std::vector<JournalEntry>> pending(std::size_t limit, std::optional<core::LeaseId> lease = std::nullopt);
    Result<std::size_t> pendingCount();
    Result<std::size_t> noNumberCount();
    // The server answered for an entry: it is cleared from the upload.
    Status markAnswered(const std::string& key, const std::string& state);

    // What a kiosk restarted while the server is away needs again, none of it secret: the hall's
    // service list as the server last sent it ("services"), and the clock offset, the hall's UTC
    // offset and the visitor URL base of the last contact ("contact"). Empty: nothing kept yet.
    Status keep(const std::string& name, const std::string& value);
    Result<std::string> kept(const std::string& name);

private:
    explicit OfflineJournal(sqlite3* db) : m_db(db) {}
    Status exec(const char* sql);
    sqlite3* m_db = nullptr;
};

} // namespace loket::kiosk
