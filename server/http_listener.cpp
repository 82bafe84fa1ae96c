#include "http_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loket::server {

namespace {
thread_local bool t_closeAfterRequest = false;

// cpp-httplib's per-request processing (parse, route, answer) is a private member of Server; its
// connection loop around it is what holds a thread per connection. C++ lets an explicit template
// instantiation name a private member ([temp.spec.general]/6), which gives us a pointer to the
// one function we need without patching the library or copying its code.
using ProcessRequest = bool (httplib::Server::*)(httplib::Stream&, bool, bool&, const std::function<void(httplib::Request&)>&);
struct ProcessRequestTag {
    friend ProcessRequest processRequestOf(ProcessRequestTag);
};
template <ProcessRequest Member>
struct ExposeProcessRequest {
    friend ProcessRequest processRequestOf(ProcessRequestTag) { return Member; }
};
template struct ExposeProcessRequest<&httplib::Server::process_request>;

// A request's socket as cpp-httplib's Stream: reads are buffered (the library reads the head byte
// by byte) and wait at most the read timeout; the socket stays non-blocking.
class SocketStream final : public httplib::Stream {
public:
    SocketStream(int fd, time_t timeoutS) : m_fd(fd), m_timeoutMs(static_cast<int>(timeoutS * 1000)) {}

    bool is_readable() const override { return m_begin < m_end || waitFor(POLLIN); }
    bool is_writable() const override { return waitFor(POLLOUT); }

    ssize_t read(char* ptr, size_t size) override {
        if (m_begin == m_end) {
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

    ssize_t write(const char* ptr, size_t size) override {
        for (;;) {
            const ssize_t n = ::send(m_fd, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK) || !waitFor(POLLOUT)) return n < 0 ? -1 : n;
        }
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override { addressOf(getpeername, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { addressOf(getsockname, ip, port); }
    socket_t socket() const override { return m_fd; }

    bool hasBuffered() const { return m_begin < m_end; }

private:
    bool waitFor(short what) const {
        pollfd p{m_fd, what, 0};
        int r = 0;
        do r = ::poll(&p, 1, m_timeoutMs);
        while (r < 0 && errno == EINTR);
        return r > 0 && (p.revents & (what | POLLHUP | POLLERR));
    }
    ssize_t receive(char* ptr, std::size_t size) {
        for (;;) {
            const ssize_t n = ::recv(m_fd, ptr, size, MSG_DONTWAIT);
            if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return n;
            if (!waitFor(POLLIN)) return -1; // timed out: the library answers or drops the request
        }
    }
    void addressOf(int (*get)(int, sockaddr*, socklen_t*), std::string& ip, int& port) const {
        sockaddr_storage addr{};
        socklen_t len = sizeof addr;
        if (get(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
        char text[INET6_ADDRSTRLEN] = {};
        if (addr.ss_family == AF_INET) {
            const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
            inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
            port = ntohs(a->sin_port);
        } else if (addr.ss_family == AF_INET6) {
            const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
            inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
            port = ntohs(a->sin6_port);
        }
        ip = text;
    }

    int m_fd;
    int m_timeoutMs;
    char m_buffer[4096];
    std::size_t m_begin = 0, m_end = 0;
};

// The accept thread's "task queue": hands the connection to the hub at once (never blocks).
class HandToHub final : public httplib::TaskQueue {
public:
    void enqueue(std::function<void()> fn) override { fn(); }
    void shutdown() override {}
};

} // namespace

HallHttpServer::HallHttpServer(EventBroker& broker, Auth& auth, HallClock& clock, ListenerOptions options)
    : m_options(options), m_workers(std::make_unique<httplib::ThreadPool>(options.workers)),
      m_hub(broker, auth, clock, options.limits, [this](int fd) { m_workers->enqueue([this, fd] { serve(fd); }); }) {
    new_task_queue = [] { return new HandToHub; };
    set_read_timeout(options.readTimeoutS, 0);
    set_write_timeout(options.readTimeoutS, 0);
}

HallHttpServer::~HallHttpServer() { stopHub(); }

void HallHttpServer::startHub() { m_hub.start(); }

void HallHttpServer::stopHub() {
    if (m_stopping.exchange(true)) return;
    m_hub.stop();
    m_workers->shutdown(); // joins: requests in progress finish
}

bool HallHttpServer::process_and_close_socket(socket_t sock) {
    m_hub.adopt(sock);
    return true;
}

void HallHttpServer::serve(int fd) {
    SocketStream stream(fd, m_options.readTimeoutS);
    const auto process = processRequestOf(ProcessRequestTag{});
    do {
        bool closeAfter = false;
        t_closeAfterRequest = false;
        const bool ok = (this->*process)(stream, m_stopping.load(), closeAfter, nullptr);
        if (!ok || closeAfter || t_closeAfterRequest || m_stopping) {
            ::close(fd);
            return;
        }
    } while (stream.hasBuffered()); // a pipelined request already read from the socket
    m_hub.adopt(fd); // wait for the next request without a thread
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
