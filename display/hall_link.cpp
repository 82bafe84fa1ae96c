#include "display/hall_link.hpp"

#include "shared/net/backoff.hpp"
#include "shared/proto/client_parse.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace loket::display {

HallLink::HallLink(LinkSettings settings, ui::MainQueue<LinkMessage>& queue) : m_settings(std::move(settings)), m_queue(queue) {}

HallLink::~HallLink() { stop(); }

void HallLink::start() {
    if (m_worker.joinable()) return;
    m_worker = std::thread([this] { run(); });
}

void HallLink::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_worker.joinable()) m_worker.join();
    if (m_stream) m_stream->stop();
}

void HallLink::requestSnapshot() {
    {
        std::lock_guard lock(m_mutex);
        m_snapshotWanted = true;
    }
    m_wake.notify_all();
}

void HallLink::setStatus(std::string status) {
    {
        std::lock_guard lock(m_mutex);
        if (status == m_status) return;
        m_status = std::move(status);
        m_statusChanged = true;
    }
    m_wake.notify_all();
}

net::StreamState HallLink::streamState() const {
    return m_stream ? m_stream->state() : net::StreamState::Disconnected;
}

void HallLink::useCurrentToken(net::HttpClient& http) {
    if (m_settings.tokenSource) http.setToken(m_settings.tokenSource());
}

void HallLink::noteRefusal(const net::HttpClient& http) {
    const auto& failure = http.lastFailure();
    if (failure && failure->status == 401 && m_settings.onUnauthorized) m_settings.onUnauthorized(http.options().token);
}

bool HallLink::loadSnapshot(net::HttpClient& http) {
    useCurrentToken(http);
    auto reply = http.get("/api/v1/hall");
    if (!reply) {
        noteRefusal(http);
        m_queue.push(LinkProblem{"GET /api/v1/hall: " + reply.error().message,
                                 reply.error().code == ErrorCode::TlsVerificationFailed});
        return false;
    }
    auto snapshot = proto::parseHallSnapshot(reply->body);
    if (!snapshot) {
        m_queue.push(LinkProblem{"GET /api/v1/hall: " + snapshot.error().message});
        return false;
    }
    const std::int64_t eventId = snapshot->eventId;
    m_queue.push(SnapshotLoaded{std::move(*snapshot)});
    if (!m_stream) startStream(eventId);
    return true;
}

void HallLink::sendHeartbeat(net::HttpClient& http) {
    std::string status;
    {
        std::lock_guard lock(m_mutex);
        status = m_status;
        m_statusChanged = false;
    }
    nlohmann::json body{{"status", status}};
    useCurrentToken(http);
    // The same when it arrives twice: failover repeats it on the next instance when the one in use
    // went away with it in flight (shared/net/http_client.hpp, RequestOptions::repeatable).
    net::RequestOptions repeatable;
    repeatable.repeatable = true;
    if (auto reply = http.post("/api/v1/devices/heartbeat", body.dump(), repeatable); reply) {
        ++m_heartbeats;
    } else {
        noteRefusal(http);
        m_queue.push(LinkProblem{"heartbeat: " + reply.error().message,
                                 reply.error().code == ErrorCode::TlsVerificationFailed});
    }
}

void HallLink::startStream(std::int64_t fromEventId) {
    net::EventStreamOptions options;
    options.baseUrl = m_settings.serverUrl;
    options.token = m_settings.token;
    options.tokenSource = m_settings.tokenSource; // renewed tokens on reconnect; the open stream stays
    options.lastEventId = std::to_string(fromEventId);
    options.maxBackoff = m_settings.maxBackoff;
    options.stallTimeout = m_settings.stallTimeout;
    options.tls = m_settings.tls;
    options.servers = m_settings.servers;
    net::EventStreamCallbacks callbacks;
    callbacks.onEvent = [this](const net::SseEvent& ev) {
        std::int64_t id = 0;
        try {
            id = ev.id.empty() ? 0 : std::stoll(ev.id);
        } catch (...) {
            m_queue.push(LinkProblem{"event with a bad id: " + ev.id});
            return;
        }
        auto parsed = proto::parseHallEvent(id, ev.type, ev.data);
        if (!parsed) {
            m_queue.push(LinkProblem{"event " + ev.id + ": " + parsed.error().message});
            return;
        }
        m_queue.push(EventReceived{std::move(*parsed)});
    };
    callbacks.onHeartbeat = [this] { m_queue.push(ServerAlive{}); };
    callbacks.onState = [this](net::StreamState state, const std::string& detail) {
        if (state == net::StreamState::Connected) m_queue.push(ServerAlive{});
        // Refused (401): this display was revoked — its enrolment shows a new code.
        if (state == net::StreamState::Disconnected && m_stream && m_stream->lastHttpStatus() == 401 && m_settings.onUnauthorized)
            m_settings.onUnauthorized(m_settings.tokenSource ? m_settings.tokenSource() : m_settings.token);
        if (state == net::StreamState::Disconnected) {
            const bool refused = m_stream && m_stream->tlsRejected();
            m_queue.push(LinkProblem{(refused ? "ALERT: the server's certificate is not trusted (check [server] ca_file and "
                                                "pinned_public_key); no fallback to plain HTTP: "
                                              : "event stream: ") + detail,
                                     refused});
        }
    };
    m_stream = std::make_unique<net::EventStreamClient>(options, callbacks);
    m_stream->start();
}

void HallLink::run() {
    net::HttpClient http(net::HttpOptions{m_settings.serverUrl, m_settings.token, std::chrono::milliseconds(2000),
                                          std::chrono::milliseconds(5000), {}, m_settings.tls, m_settings.servers});
    net::Backoff backoff(std::chrono::milliseconds(200), m_settings.maxBackoff);
    auto nextHeartbeat = std::chrono::steady_clock::now();
    auto nextSnapshotTry = std::chrono::steady_clock::now();
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        const auto now = std::chrono::steady_clock::now();
        if (m_snapshotWanted && now >= nextSnapshotTry) {
            m_snapshotWanted = false;
            lock.unlock();
            const bool ok = loadSnapshot(http);
            lock.lock();
            if (ok) {
                backoff.reset();
            } else {
                m_snapshotWanted = true; // try again after a pause
                nextSnapshotTry = std::chrono::steady_clock::now() + backoff.next();
            }
            continue;
        }
        if (m_statusChanged || now >= nextHeartbeat) {
            lock.unlock();
            sendHeartbeat(http);
            lock.lock();
            nextHeartbeat = std::chrono::steady_clock::now() + m_settings.heartbeatInterval;
            continue;
        }
        auto wakeAt = nextHeartbeat;
        if (m_snapshotWanted) wakeAt = std::min(wakeAt, nextSnapshotTry);
        m_wake.wait_until(lock, wakeAt);
    }
}

} // namespace loket::display
