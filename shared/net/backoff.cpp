#include "shared/net/backoff.hpp"

#include <algorithm>

namespace loket::net {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds cap)
    : m_initial(std::max(initial, std::chrono::milliseconds(1))), m_cap(std::max(cap, m_initial)), m_current(m_initial) {}

std::chrono::milliseconds Backoff::next() {
    auto delay = m_current;
    m_current = std::min(m_current * 2, m_cap);
    return delay;
}

} // namespace loket::net
