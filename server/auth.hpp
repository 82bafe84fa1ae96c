// Auth: who is asking. Device tokens come from the hall configuration (stored as SHA-256);
// staff log in with a password and get a session token (kept hashed in the SessionStore, so a
// copy of the database holds no usable token). A local account ([[staff]]) is checked first — the
// break-glass account keeps working when the directory is down; any other name goes to the
// directory ([directory], server/directory), whose groups give the role and counters.
// Failed logins are throttled per user name *and* address: an outsider cannot lock a colleague
// out from another desk, nor every colleague behind one address.
#pragma once

#include "server_config.hpp"
#include "server/directory/directory.hpp"
#include "session_store.hpp"

#include <httplib.h>

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace loket::server {

struct Principal {
    Role role = Role::Kiosk;
    std::string id;                       // device id or user name (for logs; never a token)
    const DeviceConfig* device = nullptr; // for heartbeats
    std::vector<std::string> counters;    // staff: where they may work; "*" = all
    bool enrolled = false;                // a device enrolled by pairing (its token rotates; it can be revoked)
    std::string location = {};            // where it works: the device's location, or the one chosen at log-in ("" in one hall)

    bool mayWorkAt(const std::string& counter) const;
};

class Auth {
public:
    Auth(const ServerConfig& config, SessionStore& sessions);
    // Devices enrolled by pairing are checked after the configured tokens (enrolment.hpp).
    void setEnrolment(class Enrolment* enrolment) { m_enrolment = enrolment; }
    // Accounts made on the admin page (staff_accounts.hpp), checked after the file's [[staff]]
    // and before the directory. A disabled one is refused on its very next request.
    void setStaffAccounts(class StaffAccounts* accounts) { m_accounts = accounts; }
    class StaffAccounts* staffAccounts() const { return m_accounts; }

    // Directory accounts that logged in since the server started, for the admin page (read-only:
    // the directory owns them).
    struct DirectoryUser { std::string username; Role role; std::vector<std::string> counters; std::int64_t lastLogin = 0; };
    std::vector<DirectoryUser> directoryUsers();
    // Ends every session of `username` now (a disabled account).
    Status endSessionsOf(const std::string& username);

    // From "Authorization: Bearer …" or, for EventSource, "?access_token=…".
    Result<Principal> authenticate(const httplib::Request& req, std::int64_t now);

    struct Login { std::string token; Role role; std::int64_t expiresAt; std::vector<std::string> counters; std::string location; };
    // `location`: where the account works this session (several locations only). Empty: the
    // account's one location; an account with several gets missing_field with its choices.
    Result<Login> login(const std::string& username, const std::string& password, const std::string& address, std::int64_t now,
                        const std::string& location = {});
    // The locations `username` may work at (every location for a directory account).
    std::vector<std::string> locationsOf(const std::string& username) const;
    void logout(const httplib::Request& req);
    // Who sent the request: the peer, or — from the configured trusted proxy only — the
    // address that proxy put last in X-Forwarded-For.
    std::string clientAddress(const httplib::Request& req) const;

    // Takes one check-in from the device's bucket; false (and the seconds until one is free in
    // `retryAfterS`) when it is empty. Only kiosk devices are limited.
    bool takeCheckIn(const Principal& who, std::int64_t now, std::int64_t& retryAfterS);

    static constexpr std::int64_t kSessionS = 12 * 3600;

private:
    struct Grant { Role role; std::vector<std::string> counters; std::string username; };
    // The password check for `username`: the local account, else the directory.
    Result<Grant> checkPassword(const std::string& username, const std::string& password);
    bool throttled(const std::string& key, std::int64_t now, int limit);
    void recordFailure(const std::string& key, std::int64_t now);
    static std::string bearer(const httplib::Request& req);

    const ServerConfig& m_config;
    SessionStore& m_sessions;
    class Enrolment* m_enrolment = nullptr;
    class StaffAccounts* m_accounts = nullptr;
    std::unordered_map<std::string, const DeviceConfig*> m_deviceByHash;
    std::optional<directory::Directory> m_directory;

    std::mutex m_mutex; // the failure log
    std::map<std::string, std::deque<std::int64_t>> m_failures; // key → failure times
    struct Bucket {
        double tokens = 0;
        std::int64_t at = 0;
        bool started = false;
    };
    std::map<std::string, Bucket> m_checkIns; // device id → its check-in bucket (under m_mutex)
    // Directory sessions: token hash → what the groups gave (in memory: after a restart they log in again).
    std::map<std::string, Grant> m_directoryGrants;
    std::map<std::string, DirectoryUser> m_directoryUsers; // by user name (under m_mutex)
};

} // namespace loket::server
