#include "http_listener.hpp"

#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loket::server {

namespace {
thread_local bool t_closeAfterRequest = false;

// A request's connection (plain or TLS) as cpp-httplib's Stream: reads start with what the hub
// already read (the head), are buffered (the library reads the head byte by byte) and wait at
// most the read timeout; the socket stays non-blocking.
class LinkStream final : public httplib::Stream {
public:
    LinkStream(ClientLink& link, time_t timeoutS) : m_link(link), m_timeoutMs(static_cast<int>(timeoutS * 1000)) {}

    bool is_readable() const override {
        if (hasBuffered()) return true;
        // Whatever the library wrote before it waits for the peer (a "100 Continue") goes out first.
        if (!flush()) return false;
        return waitFor(m_link.waitsFor(POLLIN));
    }
    bool is_writable() const override { return waitFor(POLLOUT); }

    ssize_t read(char* ptr, size_t size) override {
        if (m_begin == m_end) {
            if (!flush()) return -1;
            if (size >= sizeof m_buffer) return receive(ptr, size);
            const ssize_t n = receive(m_buffer, sizeof m_buffer);
            if (n <= 0) return n;
            m_begin = 0;
            m_end = static_cast<std::size_t>(n);
        }
        const std::size_t n = std::min(size, m_end - m_begin);
        std::memcpy(ptr, m_buffer + m_begin, n);
        m_begin += n;
        return static_cast<ssize_t>(n);
    }

    // Kept until the answer is complete (or large): cpp-httplib writes an answer's head and its
    // body separately, and sent together they are one send, one segment and one wake-up of the
    // client instead of two of each. Flushed before any read and after each request.
    ssize_t write(const char* ptr, size_t size) override {
        if (m_out.size() + size > kOutLimit && !flush()) return -1;
        if (size > kOutLimit) return sendAll(ptr, size) ? static_cast<ssize_t>(size) : -1;
        m_out.append(ptr, size);
        return static_cast<ssize_t>(size);
    }

    // Sends what the library wrote; false when the peer is gone or stopped reading.
    bool flush() const {
        if (m_out.empty()) return true;
        const bool sent = sendAll(m_out.data(), m_out.size());
        m_out.clear();
        return sent;
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override { copy(m_link.peer(), ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { copy(m_link.local(), ip, port); }
    socket_t socket() const override { return m_link.fd(); }

    // A pipelined request already read (here, in the hub's read-ahead or inside TLS).
    bool hasBuffered() const { return m_begin < m_end || m_link.hasBuffered(); }

private:
    bool waitFor(short what) const {
        pollfd p{m_link.fd(), what, 0};
        int r = 0;
        do r = ::poll(&p, 1, m_timeoutMs);
        while (r < 0 && errno == EINTR);
        return r > 0 && (p.revents & (what | POLLHUP | POLLERR));
    }
    bool sendAll(const char* ptr, std::size_t size) const {
        while (size > 0) {
            const long n = m_link.write(ptr, size);
            if (n < 0) return false;
            if (n == 0) {
                if (!waitFor(m_link.waitsFor(POLLOUT))) return false;
                continue;
            }
            ptr += n;
            size -= static_cast<std::size_t>(n);
        }
        return true;
    }
    ssize_t receive(char* ptr, std::size_t size) {
        for (;;) {
            const long n = m_link.read(ptr, size);
            if (n != 0) return n < 0 ? 0 : n; // the library reads 0 as "closed"
            if (!waitFor(m_link.waitsFor(POLLIN))) return -1; // timed out: the library answers or drops the request
        }
    }
    static void copy(const ClientLink::Endpoint& end, std::string& ip, int& port) {
        if (end.ip.empty()) return; // unreadable: the library keeps what it had, as before
        ip = end.ip;
        port = end.port;
    }

    ClientLink& m_link;
    int m_timeoutMs;
    char m_buffer[4096];
    std::size_t m_begin = 0, m_end = 0;
    static constexpr std::size_t kOutLimit = 64 * 1024;
    mutable std::string m_out; // written by the library, not sent yet (is_readable, const, sends it)
};

// The accept thread's "task queue": hands the connection to the hub at once (never blocks).
class HandToHub final : public httplib::TaskQueue {
public:
    void enqueue(std::function<void()> fn) override { fn(); }
    void shutdown() override {}
};

} // namespace

HallHttpServer::HallHttpServer(EventBroker& broker, Auth& auth, HallClock& clock, ListenerOptions options,
                               std::unique_ptr<TlsServerContext> tls)
    : m_options(options), m_tls(std::move(tls)), m_workers(std::make_unique<httplib::ThreadPool>(options.workers)),
      m_hub(
          broker, auth, clock, options.limits,
          [this](ClientLink link) {
              // The pool takes copyable tasks: the link travels in a shared_ptr.
              auto owned = std::make_shared<ClientLink>(std::move(link));
              m_workers->enqueue([this, owned] { serve(std::move(*owned)); });
          },
          m_tls.get(), options.securityHeaders) {
    new_task_queue = [] { return new HandToHub; };
    set_read_timeout(options.readTimeoutS, 0);
    set_write_timeout(options.readTimeoutS, 0);
}

HallHttpServer::~HallHttpServer() { stopHub(); }

void HallHttpServer::startHub() {
    // cpp-httplib listens with a backlog of 5: a burst of displays reconnecting after a network
    // hiccup would see dropped SYNs and wait a second each. Linux takes a new backlog from a
    // second listen() on the same socket.
    if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);
    m_hub.start();
}

void HallHttpServer::stopHub() {
    if (m_stopping.exchange(true)) return;
    m_hub.stop();
    m_workers->shutdown(); // joins: requests in progress finish
}

bool HallHttpServer::process_and_close_socket(socket_t sock) {
    m_hub.accepted(sock);
    return true;
}

void HallHttpServer::serve(ClientLink link) {
    LinkStream stream(link, m_options.readTimeoutS);
    do {
        bool closeAfter = false;
        t_closeAfterRequest = false;
        // cpp-httplib's own request processing (parse, route, answer): protected, for a server
        // that brings its own connection handling.
        const bool ok = process_request(stream, m_stopping.load(), closeAfter, nullptr);
        const bool sent = stream.flush();
        if (!ok || !sent || closeAfter || t_closeAfterRequest || m_stopping) return; // the link closes
    } while (stream.hasBuffered()); // a pipelined request already read
    m_hub.adopt(std::move(link)); // wait for the next request without a thread
}

void closeConnectionAfterThisRequest() { t_closeAfterRequest = true; }

long raiseOpenFileLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return static_cast<long>(limit.rlim_cur);
}

} // namespace loket::server
