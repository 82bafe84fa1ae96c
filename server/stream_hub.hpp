// StreamHub: one thread and one epoll set for every connection that is not being answered right
// now — connections waiting for (the rest of) their request headers, idle keep-alive connections,
// and every open event stream (GET /api/v1/events). A connection costs a few hundred bytes here,
// not a thread: 2,000 displays and phones, or 200 clients sending a header line every 2 s, leave
// the request workers free for check-ins.
//
// - A connection whose complete request head has arrived (within `headerDeadline`, at most
//   `maxHeaderBytes` and `maxHeaderLines`) is handed to the request workers (`Handoff`), except an
//   event stream, which the hub serves itself. A head that is too large is answered 431, one that
//   does not complete in time 408 — always a JSON error, then the connection is closed.
// - Streams are written without blocking; each has an outgoing buffer capped at
//   `maxPendingBytes`: a reader that falls that far behind is dropped (it reconnects with
//   Last-Event-ID), never buffered without limit. A keep-alive comment goes out on idle streams.
// - At most `perCredential` open streams per device token or staff account; one more is 429.
// Used by HallHttpServer (http_listener.hpp). Linux only (epoll, eventfd).
#pragma once

#include "auth.hpp"
#include "event_broker.hpp"
#include "hall_clock.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace loket::server {

struct StreamLimits {
    // For a device enrolled by pairing: false once it is revoked. Its stream then ends within
    // about a second (the hub looks every tick).
    std::function<bool(const std::string& deviceId)> deviceActive;
    std::size_t maxHeaderBytes = 16 * 1024;
    std::size_t maxHeaderLines = 64;
    std::chrono::milliseconds headerDeadline{10'000}; // also how long an idle keep-alive connection stays
    std::size_t maxPendingBytes = 256 * 1024;
    std::chrono::milliseconds keepAlive{10'000};
    int perCredential = 64;
};

class StreamHub {
public:
    // Serves the ordinary request(s) on `fd` (its head has arrived); gives the connection back
    // with adopt() for the next request, or closes it.
    using Handoff = std::function<void(int fd)>;

    StreamHub(EventBroker& broker, Auth& auth, HallClock& clock, StreamLimits limits, Handoff handoff);
    ~StreamHub();
    StreamHub(const StreamHub&) = delete;
    StreamHub& operator=(const StreamHub&) = delete;

    void start();
    void stop();            // closes every connection the hub holds
    void adopt(int fd);     // any thread; the hub owns `fd` from now on
    int openStreams() const { return m_openStreams.load(); }

private:
    struct Connection;
    void run();
    void wake();
    void takeAdopted();
    void onEvent(int fd, std::uint32_t events);
    void readHead(Connection& c);
    void openStream(Connection& c, const std::string& head);
    void answerAndClose(Connection& c, int status, const char* code, const std::string& message);
    void pumpStreams(bool keepAliveDue);
    void expire();
    bool flush(Connection& c); // false: the connection was closed
    void close(int fd);

    EventBroker& m_broker;
    Auth& m_auth;
    HallClock& m_clock;
    const StreamLimits m_limits;
    Handoff m_handoff;

    int m_epoll = -1;
    int m_wake = -1; // eventfd: adopted connections, new events, stop
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_news{false};
    std::atomic<int> m_openStreams{0};
    std::thread m_thread;

    std::mutex m_adoptMutex;
    std::vector<int> m_adopted;

    // Only the hub's thread touches these.
    std::unordered_map<int, std::unique_ptr<Connection>> m_connections;
    std::map<std::string, int> m_streamsPerCredential;
};

} // namespace loket::server
