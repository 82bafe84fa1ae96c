// Incremental parser for the Server-Sent Events wire format (WHATWG HTML §9.2): feed it bytes as
// they arrive, in any chunking; it reports each complete event and each comment (heartbeat) line.
// Pure and synchronous; used by EventStreamClient and its tests.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace loket::net {

struct SseEvent {
    std::string id;   // the `id:` of this event, or the last id seen before it
    std::string type; // `event:`, "message" when absent
    std::string data; // `data:` lines joined with "\n"
};

class SseParser {
public:
    std::function<void(const SseEvent&)> onEvent;
    std::function<void(std::string_view comment)> onComment;
    std::function<void(long retryMs)> onRetry;

    void feed(std::string_view bytes);
    // The last event id seen: what to send back as Last-Event-ID.
    const std::string& lastEventId() const { return m_lastEventId; }
    void setLastEventId(std::string id) { m_lastEventId = std::move(id); }
    // Forget a partly received event (the connection dropped mid-event).
    void resetPartial();

private:
    void line(std::string_view text);
    void dispatch();

    std::string m_buffer;
    bool m_skipLf = false; // a CR ended the last line; a following LF belongs to it
    std::string m_lastEventId;
    std::string m_type;
    std::string m_data;
    bool m_hasData = false;
};

} // namespace loket::net
