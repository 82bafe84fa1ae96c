// Capped exponential backoff for reconnects and retries: initial, doubled each failure, never
// above the cap; reset after a success. Pure arithmetic, used by HttpClient::postWithRetry and
// EventStreamClient.
#pragma once

#include <chrono>

namespace loket::net {

class Backoff {
public:
    Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds cap);
    // The delay before the next attempt; each call doubles the following one up to the cap.
    std::chrono::milliseconds next();
    void reset() { m_current = m_initial; }

private:
    std::chrono::milliseconds m_initial;
    std::chrono::milliseconds m_cap;
    std::chrono::milliseconds m_current;
};

} // namespace loket::net
