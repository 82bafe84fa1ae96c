#include "auth.hpp"

#include "crypto.hpp"
#include "enrolment.hpp"

#include <algorithm>

namespace loket::server {
namespace {
constexpr std::int64_t kFailureWindowS = 300;
constexpr int kFailuresPerUser = 5;
constexpr int kFailuresPerAddress = 20;
} // namespace

bool Principal::mayWorkAt(const std::string& counter) const {
    if (role == Role::Admin) return true;
    return std::find(counters.begin(), counters.end(), "*") != counters.end() ||
           std::find(counters.begin(), counters.end(), counter) != counters.end();
}

Auth::Auth(const ServerConfig& config, SessionStore& sessions) : m_config(config), m_sessions(sessions) {
    for (const auto& d : config.devices) m_deviceByHash[d.tokenSha256] = &d;
}

std::string Auth::bearer(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    if (header.rfind("Bearer ", 0) == 0) return header.substr(7);
    if (req.has_param("access_token")) return req.get_param_value("access_token");
    return {};
}

Result<Principal> Auth::authenticate(const httplib::Request& req, std::int64_t now) {
    const std::string token = bearer(req);
    if (token.empty() || token.size() > 256)
        return makeError(ErrorCode::Unauthorized, "Send a token: Authorization: Bearer <token>.");
    const std::string hash = sha256Hex(token);
    if (auto it = m_deviceByHash.find(hash); it != m_deviceByHash.end())
        return Principal{it->second->role, it->second->id, it->second, {"*"}};
    if (m_enrolment)
        if (const DeviceConfig* d = m_enrolment->deviceForToken(hash, now)) return Principal{d->role, d->id, d, {"*"}, true};

    auto session = m_sessions.find(hash);
    if (!session) return session.error();
    if (!*session || (*session)->expiresAt < now)
        return makeError(ErrorCode::Unauthorized, "The token is unknown or has expired; log in again.");
    for (const auto& s : m_config.staff)
        if (s.username == (*session)->username) return Principal{s.role, s.username, nullptr, s.role == Role::Admin ? std::vector<std::string>{"*"} : s.counters};
    return makeError(ErrorCode::Unauthorized, "This account no longer exists.");
}

bool Auth::throttled(const std::string& key, std::int64_t now, int limit) {
    auto& list = m_failures[key];
    while (!list.empty() && list.front() < now - kFailureWindowS) list.pop_front();
    return static_cast<int>(list.size()) >= limit;
}

void Auth::recordFailure(const std::string& key, std::int64_t now) { m_failures[key].push_back(now); }

Result<Auth::Login> Auth::login(const std::string& username, const std::string& password, const std::string& address, std::int64_t now) {
    {
        std::lock_guard lock(m_mutex);
        if (throttled("user:" + username, now, kFailuresPerUser) || throttled("addr:" + address, now, kFailuresPerAddress))
            return makeError(ErrorCode::TooManyRequests, "Too many failed log-ins. Wait five minutes and try again.");
    }
    const StaffConfig* staff = nullptr;
    for (const auto& s : m_config.staff)
        if (s.username == username) staff = &s;
    // Verify even for an unknown user, so the answer takes as long either way.
    static const std::string kDummy = hashPassword("not-a-password", 100000);
    const bool ok = verifyPassword(password, staff ? staff->passwordHash : kDummy) && staff;
    if (!ok) {
        std::lock_guard lock(m_mutex);
        recordFailure("user:" + username, now);
        recordFailure("addr:" + address, now);
        return makeError(ErrorCode::Unauthorized, "User name or password is not right.");
    }
    Login login{randomToken(32), staff->role, now + kSessionS};
    const std::string hash = sha256Hex(login.token);
    if (auto st = m_sessions.put(hash, StoredSession{username, login.expiresAt}); !st) return st.error();
    std::lock_guard lock(m_mutex);
    m_failures.erase("user:" + username);
    return login;
}

void Auth::logout(const httplib::Request& req) {
    m_sessions.remove(sha256Hex(bearer(req)));
}

} // namespace loket::server
