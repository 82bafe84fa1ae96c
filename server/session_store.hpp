// SessionStore: staff sessions by token hash — a memory cache in front of the EventStore, so a
// restart logs nobody out and a request with a known token touches no disk. Its own lock. Used
// by Auth; a directory login (LDAP) would create sessions here the same way. Several instances on
// one store: ending sessions is announced ("sessions"), and the others forget their cache.
#pragma once

#include "event_store.hpp"

#include <map>
#include <mutex>

namespace loket::server {

class SessionStore {
public:
    explicit SessionStore(EventStore& store) : m_store(store) {}

    Result<std::optional<StoredSession>> find(const std::string& tokenHash);
    Status put(const std::string& tokenHash, const StoredSession& session);
    void remove(const std::string& tokenHash);
    // Ends every session of `username` at once (a disabled account): the next request is 401.
    Status removeUser(const std::string& username);
    // Drops the memory cache: another instance on the same store ended sessions (a log-out, a
    // disabled account; announced as "sessions"), so each token is read from the store again.
    void forgetCache();

private:
    EventStore& m_store;
    std::mutex m_mutex;
    std::map<std::string, StoredSession> m_cache;
    std::uint64_t m_generation = 0; // counts forgetCache calls
};

} // namespace loket::server
