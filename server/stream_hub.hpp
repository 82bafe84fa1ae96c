// StreamHub: two threads, each with one epoll set, for every connection that is not being
// answered right now. The request loop holds connections waiting for their TLS handshake or (the
// rest of) their request head, and idle keep-alive connections; the stream loop holds every open
// event stream (GET /api/v1/events) and writes the hall's events to them. A connection costs a
// few hundred bytes here (a few KB over TLS), not a thread: 2,000 displays and phones, or 200
// clients sending a header line every 2 s, leave the request workers free for check-ins. Fanning
// an event out to thousands of streams runs on its own thread, so it never delays the next
// request head of a kiosk waiting in the request loop.
//
// - A connection whose complete request head has arrived (within `headerDeadline`, at most
//   `maxHeaderBytes` and `maxHeaderLines`; over TLS the handshake counts in the deadline) is
//   handed to the request workers (`Handoff`), except an event stream, which the hub serves
//   itself. A head that is too large is answered 431, one that does not complete in time 408 —
//   always a JSON error, then the connection is closed.
// - Streams are written without blocking. An event is rendered once per audience and place in
//   the ring, and written from that one buffer; a stream keeps only what its socket did not take,
//   capped at `maxPendingBytes`: a reader that falls that far behind is dropped (it reconnects
//   with Last-Event-ID), never buffered without limit. A keep-alive comment goes out on every
//   stream that was idle for `keepAlive` / 2, so no stream is silent longer than `keepAlive`.
// - At most `perCredential` open streams per device token or staff account; one more is 429.
// Used by HallHttpServer (http_listener.hpp). Linux only (epoll, eventfd).
#pragma once

#include "auth.hpp"
#include "event_broker.hpp"
#include "hall_clock.hpp"
#include "security_headers.hpp"
#include "tls_listener.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
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
    // A city (docs/locations.md): each location's events, by location id. A stream reads its
    // caller's location's broker; empty (one hall): every stream reads the hub's broker.
    std::map<std::string, EventBroker*> locationBrokers;
    // For a staff member who logged in (no device): false once the account is disabled on the
    // admin page. Its stream ends the same way; the reconnect gets 401.
    std::function<bool(const std::string& username)> staffActive;
    std::size_t maxHeaderBytes = 16 * 1024;
    std::size_t maxHeaderLines = 64;
    std::chrono::milliseconds headerDeadline{10'000}; // also how long an idle keep-alive connection stays
    std::size_t maxPendingBytes = 256 * 1024;
    // An idle stream gets a comment at least this often, so a display sees a sign of life every
    // 2 s and can mark itself "not live" within 5 s of losing the server (issue 13). It ticks the
    // stream loop every keepAlive / 2; at 2,000 streams that is ~2,000 small writes a second.
    std::chrono::milliseconds keepAlive{2'000};
    int perCredential = 64;
};

// A client's connection: a non-blocking socket, plain or TLS, and the bytes already read from it
// that nobody has used yet (the request head the hub read). Closes the socket when it goes.
class ClientLink {
public:
    ClientLink() = default;
    ClientLink(int fd, std::unique_ptr<TlsSession> tls) : m_fd(fd), m_tls(std::move(tls)) {}
    ClientLink(ClientLink&& other) noexcept;
    ClientLink& operator=(ClientLink&& other) noexcept;
    ~ClientLink();

    int fd() const { return m_fd; }
    bool isTls() const { return m_tls != nullptr; }
    TlsSession* tls() const { return m_tls.get(); }
    // > 0: bytes (first those read ahead); 0: nothing now (wait for wants()); -1: closed or failed.
    long read(char* data, std::size_t size);
    long write(const char* data, std::size_t size);
    short waitsFor(short natural) const; // what a 0 from read/write waits for (TLS may want the other)
    bool hasBuffered() const { return !readAhead.empty() || (m_tls && m_tls->hasBuffered()); }
    void close();

    // The connection's two ends, read from the socket the first time they are asked for:
    // cpp-httplib asks for both on every request (two system calls each time), and a kept-alive
    // connection's ends do not change. An end that cannot be read is an empty ip and port 0.
    struct Endpoint {
        std::string ip;
        int port = 0;
    };
    const Endpoint& peer() const;
    const Endpoint& local() const;

    std::string readAhead;

private:
    int m_fd = -1;
    std::unique_ptr<TlsSession> m_tls;
    mutable std::optional<Endpoint> m_peer, m_local;
};

class StreamHub {
public:
    // Serves the ordinary request(s) on `link` (its head has arrived, in link.readAhead); gives
    // the connection back with adopt() for the next request, or closes it.
    using Handoff = std::function<void(ClientLink link)>;

    // With `tls`, every new connection starts with a TLS handshake (on the hub's thread).
    StreamHub(EventBroker& broker, Auth& auth, HallClock& clock, StreamLimits limits, Handoff handoff,
              const TlsServerContext* tls = nullptr, SecurityHeaders headers = {});
    ~StreamHub();
    StreamHub(const StreamHub&) = delete;
    StreamHub& operator=(const StreamHub&) = delete;

    void start();
    void stop();                 // closes every connection the hub holds
    void accepted(int fd);       // a new connection (TLS: not yet shaken hands); any thread
    void adopt(ClientLink link); // a connection back from a worker; any thread
    int openStreams() const { return m_openStreams.load(); }

private:
    struct Connection;
    struct Loop;
    void runRequests();
    void runStreams();
    void take(Loop& loop);
    void onRequestEvent(Connection& c, std::uint32_t events);
    void onStreamEvent(Connection& c, std::uint32_t events);
    void shakeHands(Connection& c);
    void readHead(Connection& c);
    void openStream(Connection& c, const std::string& head);
    void answerAndClose(Connection& c, int status, const char* code, const std::string& message);
    void pumpStreams(bool keepAliveDue);
    void expireRequests();
    void expireStreams();
    bool send(Connection& c, const char* data, std::size_t size); // false: the connection was closed
    bool flush(Connection& c);                                    // false: the connection was closed
    void close(Loop& loop, int fd);

    EventBroker& m_broker;
    std::vector<EventBroker*> m_allBrokers; // m_broker and each location's
    Auth& m_auth;
    HallClock& m_clock;
    const StreamLimits m_limits;
    Handoff m_handoff;
    const TlsServerContext* m_tls;
    std::string m_securityHeaderLines;

    std::unique_ptr<Loop> m_requests; // handshakes, request heads, keep-alive, refusals
    std::unique_ptr<Loop> m_streams;  // open event streams
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_news{false};
    std::atomic<int> m_openStreams{0};

    // Counted by the request loop (which refuses), released by the stream loop (which closes).
    std::mutex m_credentialMutex;
    std::map<std::string, int> m_streamsPerCredential;
};

} // namespace loket::server
