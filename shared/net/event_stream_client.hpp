// EventStreamClient: follows the hall server's Server-Sent Events stream (/api/v1/events) on its
// own worker thread. It parses `id:/event:/data:` and comment heartbeats, reconnects after a
// dropped or stalled connection with capped exponential backoff, sends `Last-Event-ID` so the
// server can replay what was missed, reports its connection state, and stops within a few
// milliseconds of stop() (curl_multi_wakeup), even in the middle of a backoff wait.
//
// The callbacks run on the worker thread: keep them short and hand work to your own thread
// (the display pushes into a main-thread queue). Depends on libcurl (hidden in the .cpp).
#pragma once

#include "shared/net/server_list.hpp"
#include "shared/net/sse_parser.hpp"
#include "shared/net/tls_options.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace loket::net {

enum class StreamState {
    Connecting,   // trying to connect (first time or after a drop)
    Connected,    // HTTP 200 received, events flowing
    Disconnected, // the last attempt failed; waiting for the next one
    Stopped,      // stop() was called
};

struct EventStreamOptions {
    std::string baseUrl;
    std::string path = "/api/v1/events";
    std::string token;        // sent as bearer token
    // When set, asked for the bearer token at every (re)connect instead of `token`: an enrolled
    // device renews its token while the stream stays open, and reconnects with the current one.
    std::function<std::string()> tokenSource;
    std::string lastEventId;  // resume after this id on the first connect; empty: from now
    std::chrono::milliseconds connectTimeout{2000};
    std::chrono::milliseconds initialBackoff{200};
    std::chrono::milliseconds maxBackoff{5000};
    // No byte (event or heartbeat comment) for this long: the connection is dead, reconnect.
    // The hall server sends a keep-alive comment at least every 2 s.
    std::chrono::milliseconds stallTimeout{35000};
    TlsOptions tls{}; // https://: how the server's certificate is trusted (tls_options.hpp)
    // Several instances of the hall server (server_list.hpp): when set, baseUrl and tls are not
    // used. A stream that drops, or an address that does not answer, moves the list on and the
    // next address is tried at once, resuming with Last-Event-ID; the backoff waits only after
    // every address failed in a row.
    std::shared_ptr<ServerList> servers = {};
};

struct EventStreamCallbacks {
    std::function<void(const SseEvent&)> onEvent;
    std::function<void()> onHeartbeat; // a comment line arrived (the server is alive)
    std::function<void(StreamState, const std::string& detail)> onState;
};

class EventStreamClient {
public:
    EventStreamClient(EventStreamOptions options, EventStreamCallbacks callbacks);
    ~EventStreamClient(); // stops and joins
    EventStreamClient(const EventStreamClient&) = delete;
    EventStreamClient& operator=(const EventStreamClient&) = delete;

    void start();
    void stop();

    StreamState state() const { return m_state.load(); }
    std::string lastEventId() const;
    int connectCount() const { return m_connects.load(); }
    // The address of the last connection attempt (baseUrl without a server list).
    std::string serverUrl() const;
    // The last attempt failed because the server's certificate was not trusted (or the TLS
    // settings do not fit the URL): a device alert, not a network hiccup. It keeps retrying
    // over TLS, never over plain HTTP.
    bool tlsRejected() const { return m_tlsRejected.load(); }
    // The HTTP status of the last attempt (0: no answer yet, 200: connected). 401 means the
    // token was refused — a revoked device; valid when onState reports Disconnected.
    long lastHttpStatus() const { return m_lastStatus.load(); }

private:
    struct Impl;
    void run();
    struct Attempt {
        bool gotData = false; // bytes arrived (the stream was live)
        bool movedOn = false; // the address was gone: the list moved to the next one
    };
    Attempt connectOnce();
    void setState(StreamState state, const std::string& detail);
    bool waitBackoff(std::chrono::milliseconds delay);

    EventStreamOptions m_options;
    EventStreamCallbacks m_callbacks;
    std::unique_ptr<Impl> m_impl;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_tlsRejected{false};
    std::atomic<long> m_lastStatus{0};
    std::atomic<StreamState> m_state{StreamState::Disconnected};
    std::atomic<int> m_connects{0};
    mutable std::mutex m_mutex; // guards m_lastIdCopy and the wakeup of the backoff wait
    std::string m_lastIdCopy;   // the parser's last event id, readable from other threads
    std::string m_serverUrl;    // the address of the last attempt (guarded by m_mutex)
    std::condition_variable m_wake;
};

} // namespace loket::net
