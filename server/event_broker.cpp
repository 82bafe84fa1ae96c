#include "event_broker.hpp"

namespace loket::server {

void EventBroker::publish(std::vector<SseMessage> messages) {
    std::function<void()> onPublish;
    {
        std::lock_guard lock(m_mutex);
        for (auto& m : messages) {
            if (m.id) m_lastId = std::max(m_lastId, m.id);
            m_ring.emplace_back(++m_seq, std::move(m));
        }
        while (m_ring.size() > m_capacity) {
            if (m_ring.front().second.id) m_firstKeptId = m_ring.front().second.id + 1;
            m_ring.pop_front();
        }
        onPublish = m_onPublish;
    }
    m_changed.notify_all();
    if (onPublish) onPublish();
}

void EventBroker::setOnPublish(std::function<void()> onPublish) {
    std::lock_guard lock(m_mutex);
    m_onPublish = std::move(onPublish);
}

std::int64_t EventBroker::lastId() const {
    std::lock_guard lock(m_mutex);
    return m_lastId;
}

void EventBroker::setBaseline(std::int64_t lastId) {
    std::lock_guard lock(m_mutex);
    m_lastId = std::max(m_lastId, lastId);
    if (m_ring.empty()) m_firstKeptId = m_lastId + 1;
}

EventBroker::Fetch EventBroker::waitAfter(std::int64_t afterId, std::uint64_t& afterSeq, std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    Fetch f;
    f.cursor = afterId;
    // A client whose last id is older than what we keep, or newer than anything we know (the
    // database was replaced), cannot resume: it reloads the snapshot.
    if (afterId + 1 < m_firstKeptId || afterId > m_lastId) {
        f.reset = true;
        f.cursor = m_lastId;
        afterSeq = m_seq;
        return f;
    }
    auto pending = [&] { return m_stopped || m_lastId > afterId || (!m_ring.empty() && m_ring.back().first > afterSeq); };
    if (!pending()) m_changed.wait_for(lock, timeout, pending);
    if (m_stopped) {
        f.stopped = true;
        return f;
    }
    // Events are resumed by id; device messages (no id) are live only, by sequence. Ids grow with
    // the sequence, so the walk back stops at the first event the client already has: a live
    // stream looks at its few new messages, not at the whole ring.
    auto from = m_ring.end();
    while (from != m_ring.begin()) {
        const auto& [seq, m] = *std::prev(from);
        if (m.id && m.id <= afterId && seq <= afterSeq) break;
        --from;
    }
    for (auto it = from; it != m_ring.end(); ++it) {
        const auto& [seq, m] = *it;
        if (m.id ? m.id <= afterId : seq <= afterSeq) continue;
        f.messages.push_back(m);
        if (m.id) f.cursor = std::max(f.cursor, m.id);
    }
    afterSeq = m_seq;
    return f;
}

void EventBroker::shutdown() {
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
    }
    m_changed.notify_all();
}

std::uint64_t EventBroker::currentSeq() const {
    std::lock_guard lock(m_mutex);
    return m_seq;
}

int EventBroker::subscribers() const {
    std::lock_guard lock(m_mutex);
    return m_subscribers;
}

void EventBroker::subscribe(int delta) {
    std::lock_guard lock(m_mutex);
    m_subscribers += delta;
}

} // namespace loket::server
