// HallLink: the display's connection to the hall server, all on worker threads. It loads the
// hall snapshot (GET /api/v1/hall) when asked, follows the event stream from the snapshot's
// event id on, posts a heartbeat every interval (POST /api/v1/devices/heartbeat), and hands
// everything to the main thread through a MainQueue. It never touches the screen or the model.
#pragma once

#include "shared/ui/main_queue.hpp"
#include "shared/net/event_stream_client.hpp"
#include "shared/net/http_client.hpp"
#include "shared/proto/client_types.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>

namespace loket::display {

struct LinkSettings {
    std::string serverUrl;
    std::string token;
    std::chrono::milliseconds heartbeatInterval{10000};
    std::chrono::milliseconds maxBackoff{5000};
    net::TlsOptions tls{}; // https://: the server's CA / pinned key; a failure is a device alert
    // Every instance of the hall server, the first being serverUrl/tls (shared/net/server_list.hpp),
    // shared by the requests and the event stream: the display is not live only when all fail.
    std::shared_ptr<net::ServerList> servers{};
    // An enrolled display (shared/enrol): the current token, asked before each request and at
    // each stream (re)connect instead of `token`; and the hook for a 401 (the display was revoked).
    // Both are called on the link's threads.
    std::function<std::string()> tokenSource;
    std::function<void(const std::string& token)> onUnauthorized;
    // No byte on the event stream this long (the server writes a keep-alive at least every 2 s):
    // the connection is dead even without a reset (a pulled cable), reconnect with Last-Event-ID.
    std::chrono::milliseconds stallTimeout{6000};
};

// What the worker hands to the main thread.
struct SnapshotLoaded {
    proto::HallSnapshot snapshot;
};
struct EventReceived {
    proto::HallEvent event;
};
struct ServerAlive {}; // a heartbeat comment or a (re)connect
struct LinkProblem {
    std::string message; // for the log; the screen shows the disconnected mark by time
    // The server's certificate was refused (CA, pin or host name): the mark says so on screen.
    bool certificateRefused = false;
};
using LinkMessage = std::variant<SnapshotLoaded, EventReceived, ServerAlive, LinkProblem>;

class HallLink {
public:
    HallLink(LinkSettings settings, ui::MainQueue<LinkMessage>& queue);
    ~HallLink(); // stops and joins
    HallLink(const HallLink&) = delete;
    HallLink& operator=(const HallLink&) = delete;

    void start();
    void stop();
    // Ask for a fresh snapshot (at start, after `reset`, to refresh waiting numbers).
    void requestSnapshot();
    // The status the next heartbeat reports ("ok", "degraded", "error"); a change is sent at once.
    void setStatus(std::string status);
    int heartbeatsSent() const { return m_heartbeats.load(); }
    net::StreamState streamState() const;

private:
    void run();
    bool loadSnapshot(net::HttpClient& http);
    void sendHeartbeat(net::HttpClient& http);
    void startStream(std::int64_t fromEventId);
    void useCurrentToken(net::HttpClient& http);
    void noteRefusal(const net::HttpClient& http);

    LinkSettings m_settings;
    ui::MainQueue<LinkMessage>& m_queue;
    std::thread m_worker;
    std::unique_ptr<net::EventStreamClient> m_stream;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_snapshotWanted = true;
    bool m_statusChanged = false;
    std::string m_status = "ok";
    std::atomic<int> m_heartbeats{0};
};

} // namespace loket::display
