#include "session_store.hpp"

namespace loket::server {

Result<std::optional<StoredSession>> SessionStore::find(const std::string& tokenHash) {
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_cache.find(tokenHash); it != m_cache.end()) return std::optional<StoredSession>{it->second};
        generation = m_generation;
    }
    auto found = m_store.findSession(tokenHash);
    if (!found) return found.error();
    if (found.value()) {
        std::lock_guard lock(m_mutex);
        // Not when the cache was forgotten meanwhile: the row read may be the one just ended.
        if (generation == m_generation) m_cache[tokenHash] = *found.value();
    }
    return found;
}

Status SessionStore::put(const std::string& tokenHash, const StoredSession& session) {
    if (auto st = m_store.putSession(tokenHash, session); !st) return st;
    std::lock_guard lock(m_mutex);
    m_cache[tokenHash] = session;
    return Ok{};
}

void SessionStore::remove(const std::string& tokenHash) {
    {
        std::lock_guard lock(m_mutex);
        m_cache.erase(tokenHash);
    }
    if (m_store.deleteSession(tokenHash)) m_store.announceSharedChange("sessions");
    // (a session left on disk expires by itself)
}

Status SessionStore::removeUser(const std::string& username) {
    {
        std::lock_guard lock(m_mutex);
        std::erase_if(m_cache, [&](const auto& entry) { return entry.second.username == username; });
    }
    auto st = m_store.deleteSessionsOf(username);
    if (st) m_store.announceSharedChange("sessions");
    return st;
}

void SessionStore::forgetCache() {
    std::lock_guard lock(m_mutex);
    m_cache.clear();
    ++m_generation;
}

} // namespace loket::server
