#include "shared/net/sse_parser.hpp"

#include <charconv>

namespace loket::net {

void SseParser::feed(std::string_view bytes) {
    for (char c : bytes) {
        if (m_skipLf) {
            m_skipLf = false;
            if (c == '\n') continue;
        }
        if (c == '\r' || c == '\n') {
            m_skipLf = (c == '\r');
            line(m_buffer);
            m_buffer.clear();
        } else {
            m_buffer += c;
        }
    }
}

void SseParser::resetPartial() {
    m_buffer.clear();
    m_skipLf = false;
    m_type.clear();
    m_data.clear();
    m_hasData = false;
}

void SseParser::line(std::string_view text) {
    if (text.empty()) {
        dispatch();
        return;
    }
    if (text.front() == ':') {
        if (onComment) onComment(text.substr(1));
        return;
    }
    std::string_view name = text;
    std::string_view value;
    if (auto colon = text.find(':'); colon != std::string_view::npos) {
        name = text.substr(0, colon);
        value = text.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    if (name == "data") {
        if (m_hasData) m_data += '\n';
        m_data.append(value);
        m_hasData = true;
    } else if (name == "event") {
        m_type.assign(value);
    } else if (name == "id") {
        if (value.find('\0') == std::string_view::npos) m_lastEventId.assign(value);
    } else if (name == "retry") {
        long ms = 0;
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
        if (ec == std::errc() && ptr == value.data() + value.size() && onRetry) onRetry(ms);
    }
    // Other field names are ignored, as the standard says.
}

void SseParser::dispatch() {
    if (!m_hasData && m_type.empty()) return; // a blank line with nothing pending
    SseEvent ev{m_lastEventId, m_type.empty() ? "message" : m_type, m_data};
    m_type.clear();
    m_data.clear();
    m_hasData = false;
    if (onEvent) onEvent(ev);
}

} // namespace loket::net
