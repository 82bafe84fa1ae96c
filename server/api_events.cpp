// The event stream (Server-Sent Events): every change as it happens, resumable with
// Last-Event-ID, a keep-alive comment at least every 15 s, and for displays and kiosks only
// the public payloads (no personal data, neutral labels).
#include "api.hpp"

#include <memory>

namespace loket::server {

namespace {
constexpr auto kKeepAlive = std::chrono::seconds(10);

struct StreamState {
    std::int64_t cursor = 0;
    std::uint64_t seq = 0;
    StreamAudience audience = StreamAudience::Public;
    bool first = true;
    std::function<bool()> stillAllowed; // set for enrolled devices: false once revoked
};
// How often a stream with stillAllowed looks again while it waits (revocation within 2 s).
constexpr auto kRecheck = std::chrono::seconds(1);

std::int64_t lastEventIdOf(const httplib::Request& req, std::int64_t fallback) {
    std::string text = req.get_header_value("Last-Event-ID");
    if (text.empty() && req.has_param("last_event_id")) text = req.get_param_value("last_event_id");
    if (text.empty()) return fallback;
    try {
        std::size_t used = 0;
        long long v = std::stoll(text, &used);
        return used == text.size() && v >= 0 ? v : -1;
    } catch (...) {
        return -1; // not a number: the client must reset
    }
}

// The next chunk of one stream: what arrived since its cursor, or a keep-alive comment.
bool writeNext(EventBroker& broker, StreamState& stream, httplib::DataSink& sink) {
    if (stream.first) {
        // At once, so the client knows it is connected before anything happens.
        stream.first = false;
        static const std::string kRetry = "retry: 2000\n\n";
        return sink.write(kRetry.data(), kRetry.size());
    }
    std::string out;
    EventBroker::Fetch fetch;
    if (stream.stillAllowed) {
        // Wait in short steps, so a revoked device's stream ends within kRecheck.
        const auto until = std::chrono::steady_clock::now() + kKeepAlive;
        do {
            if (!stream.stillAllowed()) {
                sink.done();
                return false;
            }
            fetch = broker.waitAfter(stream.cursor, stream.seq, std::chrono::duration_cast<std::chrono::milliseconds>(kRecheck));
        } while (!fetch.stopped && !fetch.reset && fetch.messages.empty() && std::chrono::steady_clock::now() < until);
        if (!stream.stillAllowed()) {
            sink.done();
            return false;
        }
    } else {
        fetch = broker.waitAfter(stream.cursor, stream.seq, std::chrono::duration_cast<std::chrono::milliseconds>(kKeepAlive));
    }
    if (fetch.stopped) {
        sink.done();
        return false;
    }
    if (fetch.reset) {
        out += "id: " + std::to_string(fetch.cursor) + "\nevent: reset\ndata: {}\n\n";
        stream.cursor = fetch.cursor;
    }
    for (const auto& m : fetch.messages) {
        const std::string& data = m.dataFor(stream.audience);
        if (!m.published || data.empty()) continue;
        if (m.id) out += "id: " + std::to_string(m.id) + "\n";
        out += "event: " + m.type + "\ndata: " + data + "\n\n";
    }
    if (!fetch.reset) stream.cursor = std::max(stream.cursor, fetch.cursor);
    if (out.empty()) out = ": keep-alive\n\n";
    return sink.write(out.data(), out.size());
}

void getEvents(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Kiosk, Role::Display, Role::Counter, Role::Admin});
    if (!who) return;
    auto stream = std::make_shared<StreamState>();
    stream->audience = who->role == Role::Counter || who->role == Role::Admin ? StreamAudience::Staff : StreamAudience::Public;
    stream->seq = parts.broker.currentSeq();
    stream->cursor = lastEventIdOf(req, parts.broker.lastId());
    if (who->enrolled) stream->stillAllowed = [&enrolment = parts.enrolment, id = who->id] { return enrolment.isActive(id); };
    parts.broker.subscribe(+1);
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Accel-Buffering", "no");
    EventBroker& broker = parts.broker;
    res.set_chunked_content_provider(
        "text/event-stream", [&broker, stream](std::size_t, httplib::DataSink& sink) { return writeNext(broker, *stream, sink); },
        [&broker](bool) { broker.subscribe(-1); });
}

} // namespace

void installEventRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Get("/api/v1/events", route(parts, getEvents));
}

} // namespace loket::server
