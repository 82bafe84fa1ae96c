#include "auth.hpp"

#include "crypto.hpp"
#include "enrolment.hpp"
#include "http_util.hpp"
#include "log.hpp"
#include "staff_accounts.hpp"

#include <algorithm>
#include <cmath>

namespace loket::server {
namespace {
constexpr std::int64_t kFailureWindowS = 300;
// Failures are counted per account AND address: whoever guesses slows down only themselves; the
// real user at another desk (another address) logs in as usual, and one guesser cannot lock out
// every colleague behind the same address (no address-wide block: issue 11, defect 6).
constexpr int kFailuresPerUserAndAddress = 5;
} // namespace

bool Principal::mayWorkAt(const std::string& counter) const {
    if (role == Role::Admin) return true;
    return std::find(counters.begin(), counters.end(), "*") != counters.end() ||
           std::find(counters.begin(), counters.end(), counter) != counters.end();
}

Auth::Auth(const ServerConfig& config, SessionStore& sessions) : m_config(config), m_sessions(sessions) {
    for (const auto& d : config.devices) m_deviceByHash[d.tokenSha256] = &d;
    if (config.directory) m_directory.emplace(*config.directory);
}

std::string Auth::bearer(const httplib::Request& req) {
    const std::string_view header = headerValue(req, "Authorization");
    if (header.starts_with("Bearer ")) return std::string(header.substr(7));
    // Only the event stream takes its token from the URL (EventSource cannot send a header);
    // anywhere else a token in the URL would end up in logs and browser history.
    if (req.path == "/api/v1/events" && req.has_param("access_token")) return req.get_param_value("access_token");
    return {};
}

Result<Principal> Auth::authenticate(const httplib::Request& req, std::int64_t now) {
    const std::string token = bearer(req);
    if (token.empty() || token.size() > 256)
        return makeError(ErrorCode::Unauthorized, "Send a token: Authorization: Bearer <token>.");
    const std::string hash = sha256Hex(token);
    if (auto it = m_deviceByHash.find(hash); it != m_deviceByHash.end())
        return Principal{it->second->role, it->second->id, it->second, {"*"}, false, it->second->location};
    if (m_enrolment)
        if (const DeviceConfig* d = m_enrolment->deviceForToken(hash, now)) return Principal{d->role, d->id, d, {"*"}, true, d->location};

    auto session = m_sessions.find(hash);
    if (!session) return session.error();
    if (!*session || (*session)->expiresAt < now)
        return makeError(ErrorCode::Unauthorized, "The token is unknown or has expired; log in again.");
    const std::string& location = (*session)->location;
    for (const auto& s : m_config.staff)
        if (s.username == (*session)->username) {
            // An account taken off the session's location no longer works there.
            if (!staffMayWorkAt(m_config, s, location))
                return makeError(ErrorCode::Unauthorized, "This account no longer works at this location; log in again.");
            return Principal{s.role, s.username, nullptr, s.role == Role::Admin ? std::vector<std::string>{"*"} : s.counters, false, location};
        }
    // A page account: its role, counters and locations as they are now; disabled means out, at once.
    if (m_accounts)
        if (auto account = m_accounts->find((*session)->username)) {
            if (account->disabledAt) return makeError(ErrorCode::Unauthorized, "This account has been disabled by the hall manager.");
            if (!locationListAllows(m_config, account->locations, location))
                return makeError(ErrorCode::Unauthorized, "This account no longer works at this location; log in again.");
            return Principal{account->role, account->username, nullptr, account->counters, false, location};
        }
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_directoryGrants.find(hash); it != m_directoryGrants.end())
            return Principal{it->second.role, (*session)->username, nullptr,
                             it->second.role == Role::Admin ? std::vector<std::string>{"*"} : it->second.counters, false, location};
    }
    return makeError(ErrorCode::Unauthorized, "This account no longer exists.");
}

bool Auth::throttled(const std::string& key, std::int64_t now, int limit) {
    auto& list = m_failures[key];
    while (!list.empty() && list.front() < now - kFailureWindowS) list.pop_front();
    return static_cast<int>(list.size()) >= limit;
}

void Auth::recordFailure(const std::string& key, std::int64_t now) { m_failures[key].push_back(now); }

Result<Auth::Grant> Auth::checkPassword(const std::string& username, const std::string& password) {
    const StaffConfig* staff = nullptr;
    for (const auto& s : m_config.staff)
        if (s.username == username) staff = &s;
    if (!staff && m_accounts)
        if (auto account = m_accounts->find(username)) {
            // A page account: a disabled one answers like a wrong password (no hint to a guesser).
            auto checked = m_accounts->check(username, password);
            if (!checked) return makeError(ErrorCode::Unauthorized, "User name or password is not right.");
            return Grant{checked->role, checked->counters, username};
        }
    if (staff || !m_directory) {
        // Verify even for an unknown user, so the answer takes as long either way. The hash is
        // written out, not made at the first log-in: making it cost that log-in (and every
        // test's server) 100,000 rounds more. Its salt is no secret: it guards no password.
        static const std::string kDummy = "pbkdf2-sha256$100000$6c6f6b65742d64756d6d792d73616c74$"
                                          "82140d61ed08208261692679e13cdc6744182bc9e6f71d2cc91dd0195597f65d";
        if (!verifyPassword(password, staff ? staff->passwordHash : kDummy) || !staff)
            return makeError(ErrorCode::Unauthorized, "User name or password is not right.");
        return Grant{staff->role, staff->counters, username};
    }
    auto user = m_directory->authenticate(username, password);
    if (!user) {
        if (user.error().code == ErrorCode::DirectoryUnavailable) {
            logLine("directory", {{"error", user.error().message}});
            return makeError(ErrorCode::DirectoryUnavailable,
                             "The staff directory cannot be reached. Try again in a minute; a local account still works.");
        }
        return user.error();
    }
    auto grant = directory::grantFor(user->groups, m_config.directory->groups, staffRolesByPower());
    if (!grant) return makeError(ErrorCode::Forbidden, "Your directory account is in no group that may use Loket. Ask the hall manager.");
    return Grant{staffRoleFromName(grant->role), grant->counters, username};
}

std::vector<std::string> Auth::locationsOf(const std::string& username) const {
    std::vector<std::string> out;
    const StaffConfig* staff = nullptr;
    for (const auto& s : m_config.staff)
        if (s.username == username) staff = &s;
    std::optional<StaffAccounts::Account> account;
    if (!staff && m_accounts) account = m_accounts->find(username);
    for (const auto& l : m_config.locations)
        if (staff ? staffMayWorkAt(m_config, *staff, l.id) : !account || locationListAllows(m_config, account->locations, l.id)) out.push_back(l.id);
    return out;
}

Result<Auth::Login> Auth::login(const std::string& username, const std::string& password, const std::string& address, std::int64_t now,
                                const std::string& wanted) {
    const std::string userKey = "user:" + username + "@" + address;
    {
        std::lock_guard lock(m_mutex);
        if (throttled(userKey, now, kFailuresPerUserAndAddress))
            return makeError(ErrorCode::TooManyRequests, "Too many failed log-ins. Wait five minutes and try again.");
    }
    // An empty password is never checked anywhere: to a directory it would be an anonymous bind.
    auto grant = password.empty() ? Result<Grant>(makeError(ErrorCode::Unauthorized, "User name or password is not right."))
                                  : checkPassword(username, password);
    if (!grant) {
        // A directory that is down is nobody's failed log-in.
        if (grant.error().code == ErrorCode::Unauthorized || grant.error().code == ErrorCode::Forbidden) {
            std::lock_guard lock(m_mutex);
            recordFailure(userKey, now);
        }
        return grant.error();
    }
    const bool local = std::any_of(m_config.staff.begin(), m_config.staff.end(), [&](const StaffConfig& s) { return s.username == username; }) ||
                       (m_accounts && m_accounts->find(username));
    // Where this session works: checked only after the password, so the answer tells an
    // outsider nothing about an account's locations.
    std::string location = wanted;
    if (m_config.locations.empty()) {
        if (!location.empty()) return makeError(ErrorCode::InvalidValue, "This hall has no locations: leave 'location' out.");
    } else {
        const auto choices = locationsOf(username);
        if (location.empty() && choices.size() == 1) location = choices.front();
        if (location.empty()) {
            Error e = makeError(ErrorCode::MissingField, "Choose the location you work at today (field 'location').");
            e.details.field = "location"; // the route adds the choices (locationsOf)
            return e;
        }
        if (std::find(choices.begin(), choices.end(), location) == choices.end())
            return makeError(ErrorCode::Forbidden, "This account does not work at location '" + location + "'.");
    }
    Login login{randomToken(32), grant->role, now + kSessionS, grant->counters, location};
    const std::string hash = sha256Hex(login.token);
    if (auto st = m_sessions.put(hash, StoredSession{username, login.expiresAt, location}); !st) return st.error();
    std::lock_guard lock(m_mutex);
    if (!local) {
        m_directoryGrants[hash] = grant.value();
        m_directoryUsers[username] = DirectoryUser{username, grant->role, grant->counters, now};
    }
    m_failures.erase(userKey);
    return login;
}

std::vector<Auth::DirectoryUser> Auth::directoryUsers() {
    std::lock_guard lock(m_mutex);
    std::vector<DirectoryUser> out;
    for (const auto& [name, user] : m_directoryUsers) out.push_back(user);
    return out;
}

Status Auth::endSessionsOf(const std::string& username) { return m_sessions.removeUser(username); }

std::string Auth::clientAddress(const httplib::Request& req) const {
    if (m_config.trustedProxy.empty() || req.remote_addr != m_config.trustedProxy) return req.remote_addr;
    // The proxy appends the address it saw last; anything before that the client may have written.
    std::string forwarded(headerValue(req, "X-Forwarded-For"));
    if (auto comma = forwarded.rfind(','); comma != std::string::npos) forwarded = forwarded.substr(comma + 1);
    const auto first = forwarded.find_first_not_of(' ');
    if (first == std::string::npos) return req.remote_addr;
    forwarded = forwarded.substr(first, forwarded.find_last_not_of(' ') - first + 1);
    return forwarded.size() <= 64 ? forwarded : req.remote_addr;
}

bool Auth::takeCheckIn(const Principal& who, std::int64_t now, std::int64_t& retryAfterS) {
    if (!who.device || who.role != Role::Kiosk) return true; // integrations and staff are not kiosks
    const DeviceConfig& d = *who.device;
    const double perSecond = static_cast<double>(d.checkinsPerMinute) / 60.0;
    std::lock_guard lock(m_mutex);
    Bucket& b = m_checkIns[d.id];
    if (!b.started) b = Bucket{static_cast<double>(d.checkinBurst), now, true};
    if (now > b.at) {
        b.tokens = std::min(static_cast<double>(d.checkinBurst), b.tokens + static_cast<double>(now - b.at) * perSecond);
        b.at = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return true;
    }
    retryAfterS = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1.0 - b.tokens) / perSecond)));
    return false;
}

void Auth::logout(const httplib::Request& req) {
    const std::string hash = sha256Hex(bearer(req));
    m_sessions.remove(hash);
    std::lock_guard lock(m_mutex);
    m_directoryGrants.erase(hash);
}

} // namespace loket::server
