#include "shared/net/server_list.hpp"

#include <cassert>

namespace loket::net {

ServerList::ServerList(std::vector<ServerEndpoint> endpoints) : m_endpoints(std::move(endpoints)) {
    assert(!m_endpoints.empty() && "ServerList needs at least one server address");
}

ServerList::Choice ServerList::current() const {
    std::lock_guard lock(m_mutex);
    return Choice{m_current, m_endpoints[m_current]};
}

std::size_t ServerList::reportFailure(std::size_t index) {
    std::lock_guard lock(m_mutex);
    if (index == m_current && m_endpoints.size() > 1) {
        m_current = (m_current + 1) % m_endpoints.size();
        ++m_moves;
    }
    return m_current;
}

std::size_t ServerList::moves() const {
    std::lock_guard lock(m_mutex);
    return m_moves;
}

std::shared_ptr<ServerList> makeServerList(ServerEndpoint first, std::vector<ServerEndpoint> more) {
    more.insert(more.begin(), std::move(first));
    return std::make_shared<ServerList>(std::move(more));
}

bool movesOn(long status) { return status == 0 || status == 502 || status == 503 || status == 504; }

} // namespace loket::net
