#include "stream_hub.hpp"

#include "security_headers.hpp"

#include "http_util.hpp"
#include "log.hpp"

#include <httplib.h>

#include <algorithm>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <tuple>
#include <utility>

namespace loket::server {

namespace {
using SteadyClock = std::chrono::steady_clock;
constexpr auto kTick = std::chrono::milliseconds(250);
constexpr int kFanOutNice = 10; // see runStreams

constexpr auto kClosingGrace = std::chrono::seconds(2);
constexpr const char* kEventsPath = "/api/v1/events";

const char* reasonOf(int status) {
    switch (status) {
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 408: return "Request Timeout";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return status < 500 ? "Bad Request" : "Internal Server Error";
    }
}

std::string chunk(const std::string& data) {
    char size[20];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    return size + data + "\r\n";
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percentDecoded(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() + 0 && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// The request head of an event stream as an httplib::Request, so that Auth reads it exactly as it
// reads every other request.
httplib::Request requestOf(const std::string& head) {
    httplib::Request req;
    req.method = "GET";
    req.path = kEventsPath;
    std::size_t lineEnd = head.find("\r\n");
    const std::string requestLine = head.substr(0, lineEnd);
    const std::size_t targetStart = requestLine.find(' ') + 1;
    const std::string target = requestLine.substr(targetStart, requestLine.find(' ', targetStart) - targetStart);
    if (auto q = target.find('?'); q != std::string::npos) {
        std::string_view query(target);
        query.remove_prefix(q + 1);
        while (!query.empty()) {
            const auto amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            const auto eq = pair.find('=');
            req.params.emplace(percentDecoded(pair.substr(0, eq)), eq == std::string_view::npos ? "" : percentDecoded(pair.substr(eq + 1)));
            query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        }
    }
    while (lineEnd != std::string::npos && lineEnd + 2 < head.size()) {
        const std::size_t start = lineEnd + 2;
        lineEnd = head.find("\r\n", start);
        const std::string line = head.substr(start, lineEnd - start);
        const auto colon = line.find(':');
        if (colon == std::string::npos || colon == 0) continue;
        std::size_t valueStart = colon + 1;
        while (valueStart < line.size() && (line[valueStart] == ' ' || line[valueStart] == '\t')) ++valueStart;
        std::size_t valueEnd = line.size();
        while (valueEnd > valueStart && (line[valueEnd - 1] == ' ' || line[valueEnd - 1] == '\t')) --valueEnd;
        req.headers.emplace(line.substr(0, colon), line.substr(valueStart, valueEnd - valueStart));
    }
    return req;
}

std::int64_t lastEventIdOf(const httplib::Request& req, std::int64_t fallback) {
    std::string text = req.get_header_value("Last-Event-ID");
    if (text.empty() && req.has_param("last_event_id")) text = req.get_param_value("last_event_id");
    if (text.empty()) return fallback;
    if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return -1; // the client must reset
    return std::stoll(text);
}

std::size_t linesIn(const char* data, std::size_t size) {
    std::size_t lines = 0;
    for (std::size_t i = 0; i < size; ++i) lines += data[i] == '\n';
    return lines;
}

} // namespace

// ---- ClientLink ------------------------------------------------------------------------------

ClientLink::ClientLink(ClientLink&& other) noexcept
    : readAhead(std::move(other.readAhead)), m_fd(std::exchange(other.m_fd, -1)), m_tls(std::move(other.m_tls)),
      m_peer(std::exchange(other.m_peer, std::nullopt)), m_local(std::exchange(other.m_local, std::nullopt)) {}

ClientLink& ClientLink::operator=(ClientLink&& other) noexcept {
    if (this != &other) {
        close();
        readAhead = std::move(other.readAhead);
        m_fd = std::exchange(other.m_fd, -1);
        m_tls = std::move(other.m_tls);
        m_peer = std::exchange(other.m_peer, std::nullopt);
        m_local = std::exchange(other.m_local, std::nullopt);
    }
    return *this;
}

namespace {
ClientLink::Endpoint endpointOf(int (*get)(int, sockaddr*, socklen_t*), int fd) {
    ClientLink::Endpoint end;
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (get(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return end;
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
        const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
        inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
        end.port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
        const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
        inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
        end.port = ntohs(a->sin6_port);
    }
    end.ip = text;
    return end;
}
} // namespace

const ClientLink::Endpoint& ClientLink::peer() const {
    if (!m_peer) m_peer = endpointOf(getpeername, m_fd);
    return *m_peer;
}

const ClientLink::Endpoint& ClientLink::local() const {
    if (!m_local) m_local = endpointOf(getsockname, m_fd);
    return *m_local;
}

ClientLink::~ClientLink() { close(); }

long ClientLink::read(char* data, std::size_t size) {
    if (!readAhead.empty()) {
        const std::size_t n = std::min(size, readAhead.size());
        std::memcpy(data, readAhead.data(), n);
        readAhead.erase(0, n);
        return static_cast<long>(n);
    }
    if (m_tls) return m_tls->read(data, size);
    for (;;) {
        const ssize_t n = ::recv(m_fd, data, size, MSG_DONTWAIT);
        if (n > 0) return n;
        if (n == 0) return -1; // the client closed
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    }
}

long ClientLink::write(const char* data, std::size_t size) {
    if (m_tls) return m_tls->write(data, size);
    for (;;) {
        const ssize_t n = ::send(m_fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    }
}

short ClientLink::waitsFor(short natural) const { return m_tls && m_tls->wants() ? m_tls->wants() : natural; }

void ClientLink::close() {
    if (m_fd < 0) return;
    if (m_tls) m_tls->closeNotify();
    m_tls.reset();
    ::close(m_fd);
    m_fd = -1;
}

// ---- StreamHub -------------------------------------------------------------------------------

struct StreamHub::Connection {
    enum class Phase { Handshake, Head, Stream, Closing };
    ClientLink link;
    Phase phase = Phase::Head;
    SteadyClock::time_point deadline;  // Handshake, Head: must be complete; Closing: give up
    SteadyClock::time_point lastWrite;
    std::string in;         // Head: what arrived of the request so far
    std::string out;        // what the socket did not take yet
    std::size_t sent = 0;
    bool shutDown = false;
    // Stream
    std::int64_t cursor = 0;
    std::uint64_t seq = 0;
    EventBroker* broker = nullptr; // the caller's location's events
    StreamAudience audience = StreamAudience::Public;
    std::string credential;
    std::string enrolledDevice; // set for a device enrolled by pairing: looked at until it is revoked
    std::string staffUser;      // set for a logged-in staff member: looked at until the account is disabled
    int fd() const { return link.fd(); }
};

// One epoll thread and what it owns. Other threads only post() connections to it.
struct StreamHub::Loop {
    int epoll = -1;
    int wake = -1; // eventfd: posted connections, new events, stop
    // A wake-up is written and the loop has not consumed it yet: later wakes need no write of
    // their own, because the loop clears this before it looks at anything (posts, news, stop).
    std::atomic<bool> signalled{false};
    std::thread thread;
    std::mutex mutex;
    std::vector<std::unique_ptr<Connection>> posted;
    std::unordered_map<int, std::unique_ptr<Connection>> connections; // the loop's thread only
    // How many connections the loop holds, for other threads: nobody to deliver events to, no
    // wake-up for them (set by the loop's thread after each change of `connections`).
    std::atomic<std::size_t> held{0};

    Loop() {
        epoll = epoll_create1(EPOLL_CLOEXEC);
        wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = wake;
        epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &ev);
    }
    ~Loop() {
        ::close(wake);
        ::close(epoll);
    }
    void wakeUp() {
        if (signalled.exchange(true)) return;
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wake, &one, sizeof one);
    }
    void countHeld() { held = connections.size(); }
    void post(std::unique_ptr<Connection> c) {
        {
            std::lock_guard lock(mutex);
            posted.push_back(std::move(c));
        }
        wakeUp();
    }
    // Waits for readiness; returns the connections' events (the wake-up is consumed here).
    int wait(std::vector<epoll_event>& events, SteadyClock::time_point until) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - SteadyClock::now()).count();
        const int n = epoll_wait(epoll, events.data(), static_cast<int>(events.size()), static_cast<int>(std::max<long long>(0, ms)));
        int kept = 0;
        for (int i = 0; i < n; ++i) {
            if (events[i].data.fd == wake) {
                std::uint64_t count = 0;
                [[maybe_unused]] auto r = ::read(wake, &count, sizeof count);
                signalled = false;
            } else {
                events[kept++] = events[i];
            }
        }
        return kept;
    }
};

StreamHub::StreamHub(EventBroker& broker, Auth& auth, HallClock& clock, StreamLimits limits, Handoff handoff,
                     const TlsServerContext* tls, SecurityHeaders headers)
    : m_broker(broker), m_auth(auth), m_clock(clock), m_limits(limits), m_handoff(std::move(handoff)), m_tls(tls),
      m_requests(std::make_unique<Loop>()), m_streams(std::make_unique<Loop>()) {
    m_allBrokers.push_back(&m_broker);
    for (const auto& [id, b] : m_limits.locationBrokers)
        if (std::find(m_allBrokers.begin(), m_allBrokers.end(), b) == m_allBrokers.end()) m_allBrokers.push_back(b);
    // The answers the hub writes itself carry the same security headers as every other answer
    // (security_headers.cpp is the one list; HSTS only over HTTPS).
    httplib::Response res;
    applySecurityHeaders(res, headers);
    for (const auto& [name, value] : res.headers) m_securityHeaderLines += name + ": " + value + "\r\n";
}

StreamHub::~StreamHub() { stop(); }

void StreamHub::start() {
    for (EventBroker* b : m_allBrokers)
        b->setOnPublish([this] {
            // With no stream open there is nobody to send the news to: it waits in m_news for
            // the next pass, and a stream that opens meanwhile wakes the loop by its post. (Both
            // sides are sequentially consistent: a publisher that reads no streams set m_news
            // before, so the pass after the stream's arrival sees it.)
            m_news = true;
            if (m_streams->held > 0) m_streams->wakeUp();
        });
    m_requests->thread = std::thread([this] { runRequests(); });
    m_streams->thread = std::thread([this] { runStreams(); });
}

void StreamHub::stop() {
    if (!m_requests->thread.joinable()) return;
    m_stopping = true;
    m_requests->wakeUp();
    m_streams->wakeUp();
    m_requests->thread.join();
    m_streams->thread.join();
    for (EventBroker* b : m_allBrokers) b->setOnPublish({});
    for (Loop* loop : {m_requests.get(), m_streams.get()}) {
        std::vector<int> fds;
        for (auto& [fd, c] : loop->connections) fds.push_back(fd);
        for (int fd : fds) close(*loop, fd);
        std::lock_guard lock(loop->mutex);
        loop->posted.clear(); // their links close
    }
}

void StreamHub::accepted(int fd) {
    if (m_stopping) {
        ::close(fd);
        return;
    }
    // Every read and write here returns at once; a worker waits with poll() (http_listener.cpp).
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
    auto c = std::make_unique<Connection>();
    if (m_tls) {
        auto session = TlsSession::accept(*m_tls, fd);
        if (!session) {
            ::close(fd);
            return;
        }
        c->link = ClientLink(fd, std::move(session));
        c->phase = Connection::Phase::Handshake;
    } else {
        c->link = ClientLink(fd, nullptr);
    }
    m_requests->post(std::move(c));
}

void StreamHub::adopt(ClientLink link) {
    if (m_stopping) return; // the link closes
    auto c = std::make_unique<Connection>();
    c->link = std::move(link);
    m_requests->post(std::move(c));
}

void StreamHub::take(Loop& loop) {
    std::vector<std::unique_ptr<Connection>> posted;
    {
        std::lock_guard lock(loop.mutex);
        posted.swap(loop.posted);
    }
    const auto now = SteadyClock::now();
    for (auto& owned : posted) {
        const int fd = owned->fd();
        epoll_event ev{};
        // Edge-triggered: every read and write goes on until the socket would block.
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        ev.data.fd = fd;
        if (epoll_ctl(loop.epoll, EPOLL_CTL_ADD, fd, &ev) != 0) continue; // the link closes
        Connection& c = *loop.connections.emplace(fd, std::move(owned)).first->second;
        loop.countHeld();
        if (&loop == m_streams.get()) {
            c.lastWrite = now;
            if (!flush(c)) continue;
            m_news = true; // a resuming client gets what it missed on this round
        } else {
            c.deadline = now + m_limits.headerDeadline;
            // What came before the registration, or is buffered inside TLS or in readAhead: now.
            onRequestEvent(c, EPOLLIN);
        }
    }
}

void StreamHub::runRequests() {
    std::vector<epoll_event> events(256);
    auto nextTick = SteadyClock::now() + kTick;
    while (!m_stopping) {
        const int n = m_requests->wait(events, nextTick);
        for (int i = 0; i < n; ++i) {
            auto it = m_requests->connections.find(events[i].data.fd);
            if (it != m_requests->connections.end()) onRequestEvent(*it->second, events[i].events);
        }
        take(*m_requests);
        if (const auto now = SteadyClock::now(); now >= nextTick) {
            expireRequests();
            nextTick = now + kTick;
        }
    }
}

void StreamHub::runStreams() {
    pthread_setname_np(pthread_self(), "loket-streams");
    // The fan-out gives way to the request workers when both want a core: a check-in's answer
    // should not wait behind a pass over thousands of streams, and the pass loses nothing by
    // running a few milliseconds later (Linux: a thread's nice value is its own; failing to
    // lower it changes nothing else).
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kFanOutNice);
    std::vector<epoll_event> events(256);
    auto nextTick = SteadyClock::now() + kTick;
    auto nextKeepAlive = SteadyClock::now() + m_limits.keepAlive / 2;
    // The fan-out takes at most about half of a core: after a pass over the streams that took T,
    // the next pass starts no sooner than T later, and the events published meanwhile go out
    // together (one write per stream for all of them). With a few dozen streams T is some
    // microseconds and events go out at once; with thousands of streams and a burst of
    // check-ins, this keeps a core free for the request workers (docs/benchmarks.md).
    auto nextPump = SteadyClock::now();
    bool news = false;
    while (!m_stopping) {
        const auto wakeAt = std::min(nextTick, nextKeepAlive);
        const int n = m_streams->wait(events, news ? std::min(wakeAt, nextPump) : wakeAt);
        for (int i = 0; i < n; ++i) {
            auto it = m_streams->connections.find(events[i].data.fd);
            if (it != m_streams->connections.end()) onStreamEvent(*it->second, events[i].events);
        }
        take(*m_streams);
        const auto now = SteadyClock::now();
        const bool keepAliveDue = now >= nextKeepAlive;
        news = m_news.exchange(false) || news;
        if ((news && now >= nextPump) || keepAliveDue) {
            pumpStreams(keepAliveDue);
            news = false;
            const auto done = SteadyClock::now();
            nextPump = done + (done - now);
        }
        if (keepAliveDue) nextKeepAlive = now + m_limits.keepAlive / 2;
        if (now >= nextTick) {
            expireStreams();
            nextTick = now + kTick;
        }
    }
}

void StreamHub::onRequestEvent(Connection& c, std::uint32_t events) {
    if (events & EPOLLERR) return close(*m_requests, c.fd());
    switch (c.phase) {
    case Connection::Phase::Handshake: return shakeHands(c);
    case Connection::Phase::Head: return readHead(c);
    case Connection::Phase::Closing: {
        // What the client still sends is read, so closing does not reset the answer away.
        char sink[4096];
        long r = 0;
        while ((r = c.link.read(sink, sizeof sink)) > 0) {
        }
        if (r < 0 && c.sent == c.out.size()) return close(*m_requests, c.fd());
        if (events & EPOLLOUT) flush(c);
        return;
    }
    case Connection::Phase::Stream: return; // not in this loop
    }
}

void StreamHub::shakeHands(Connection& c) {
    switch (c.link.tls()->handshake()) {
    case TlsSession::Step::Done:
        c.phase = Connection::Phase::Head;
        return readHead(c); // the request may have come with the handshake's last flight
    case TlsSession::Step::WouldBlock: return;
    case TlsSession::Step::Failed: return close(*m_requests, c.fd()); // nothing can be said in HTTP
    }
}

void StreamHub::readHead(Connection& c) {
    char buffer[4096];
    bool closed = false;
    while (c.in.size() <= m_limits.maxHeaderBytes) {
        const long n = c.link.read(buffer, sizeof buffer);
        if (n > 0) {
            const std::size_t from = c.in.size() < 3 ? 0 : c.in.size() - 3;
            c.in.append(buffer, static_cast<std::size_t>(n));
            // A whole head is enough, without the read that would find the socket empty: every
            // whole head leaves this loop's epoll (to a worker, to the stream loop, or closed),
            // and whoever takes the socket reads the rest or adds it to an epoll anew.
            if (c.in.find("\r\n\r\n", from) != std::string::npos) break;
            continue;
        }
        closed = n < 0;
        break;
    }
    const std::size_t end = c.in.find("\r\n\r\n");
    const std::size_t headSize = end == std::string::npos ? c.in.size() : end + 4;
    if (headSize > m_limits.maxHeaderBytes || linesIn(c.in.data(), headSize) > m_limits.maxHeaderLines + 2)
        return answerAndClose(c, 431, "payload_too_large",
                              "The request headers are too large (at most " + std::to_string(m_limits.maxHeaderLines) + " lines, " +
                                  std::to_string(m_limits.maxHeaderBytes / 1024) + " KiB).");
    if (end == std::string::npos) {
        if (closed) close(*m_requests, c.fd());
        return; // more is on its way, until the deadline
    }

    const std::string_view head(c.in.data(), headSize);
    if (head.rfind(std::string("GET ") + kEventsPath, 0) == 0) {
        const char after = head.size() > 4 + std::strlen(kEventsPath) ? head[4 + std::strlen(kEventsPath)] : ' ';
        if (after == ' ' || after == '?') return openStream(c, std::string(head));
    }
    // An ordinary request: to the workers, with what was read of it.
    const int fd = c.fd();
    epoll_ctl(m_requests->epoll, EPOLL_CTL_DEL, fd, nullptr);
    auto node = m_requests->connections.extract(fd);
    m_requests->countHeld();
    ClientLink link = std::move(node.mapped()->link);
    link.readAhead = std::move(node.mapped()->in);
    m_handoff(std::move(link));
}

void StreamHub::openStream(Connection& c, const std::string& head) {
    const httplib::Request req = requestOf(head);
    auto who = m_auth.authenticate(req, m_clock.now().t);
    if (!who) return answerAndClose(c, httpStatusOf(who.error().code), errorCodeName(who.error().code), who.error().message);
    const std::string credential = std::string(roleName(who->role)) + ":" + who->id;
    {
        std::lock_guard lock(m_credentialMutex);
        int& open = m_streamsPerCredential[credential];
        if (open >= m_limits.perCredential) {
            if (open == 0) m_streamsPerCredential.erase(credential);
            return answerAndClose(c, 429, "too_many_requests",
                                  "This credential already has " + std::to_string(m_limits.perCredential) +
                                      " open event streams (the hall's max_streams_per_credential). Close one first.");
        }
        ++open;
    }
    c.credential = credential;
    if (who->enrolled) c.enrolledDevice = who->id;
    if (!who->device) c.staffUser = who->id;
    c.phase = Connection::Phase::Stream;
    c.audience = who->role == Role::Counter || who->role == Role::Admin || who->role == Role::Host ? StreamAudience::Staff
                                                                                                  : StreamAudience::Public;
    c.broker = &m_broker;
    if (auto it = m_limits.locationBrokers.find(who->location); it != m_limits.locationBrokers.end()) c.broker = it->second;
    c.seq = c.broker->currentSeq();
    c.cursor = lastEventIdOf(req, c.broker->lastId());
    c.in.clear();
    c.in.shrink_to_fit();
    c.broker->subscribe(+1);
    ++m_openStreams;
    c.out = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Accel-Buffering: no\r\n" +
            m_securityHeaderLines + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            chunk("retry: 2000\n\n"); // at once, so the client knows it is connected
    c.sent = 0;
    // From here on the stream loop writes to it.
    const int fd = c.fd();
    epoll_ctl(m_requests->epoll, EPOLL_CTL_DEL, fd, nullptr);
    auto node = m_requests->connections.extract(fd);
    m_requests->countHeld();
    m_streams->post(std::move(node.mapped()));
}

void StreamHub::answerAndClose(Connection& c, int status, const char* code, const std::string& message) {
    // What the head held is read, so closing does not reset the answer away.
    char sink[4096];
    while (c.link.read(sink, sizeof sink) > 0) {
    }
    const std::string body = Json{{"error", {{"code", code}, {"message", message}}}}.dump();
    c.phase = Connection::Phase::Closing;
    c.deadline = SteadyClock::now() + kClosingGrace;
    c.in.clear();
    c.out = "HTTP/1.1 " + std::to_string(status) + " " + reasonOf(status) +
            "\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n" + m_securityHeaderLines +
            "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    c.sent = 0;
    flush(c);
}

bool StreamHub::send(Connection& c, const char* data, std::size_t size) {
    if (c.sent < c.out.size()) { // bytes still waiting go first
        c.out.append(data, size);
        return flush(c);
    }
    c.out.clear();
    c.sent = 0;
    std::size_t done = 0;
    while (done < size) {
        const long n = c.link.write(data + done, size - done);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
        } else if (n == 0) {
            break;
        } else {
            close(*m_streams, c.fd());
            return false;
        }
    }
    // Only what the socket did not take is copied (usually nothing).
    if (done < size) c.out.assign(data + done, size - done);
    if (c.out.size() > m_limits.maxPendingBytes) {
        close(*m_streams, c.fd());
        return false;
    }
    return true;
}

bool StreamHub::flush(Connection& c) {
    Loop& loop = c.phase == Connection::Phase::Stream ? *m_streams : *m_requests;
    while (c.sent < c.out.size()) {
        const long n = c.link.write(c.out.data() + c.sent, c.out.size() - c.sent);
        if (n > 0) {
            c.sent += static_cast<std::size_t>(n);
        } else if (n == 0) {
            break;
        } else {
            close(loop, c.fd());
            return false;
        }
    }
    if (c.sent == c.out.size()) {
        c.out.clear();
        c.sent = 0;
        if (c.phase == Connection::Phase::Closing && !c.shutDown) {
            if (c.link.tls()) c.link.tls()->closeNotify();
            ::shutdown(c.fd(), SHUT_WR);
            c.shutDown = true;
        }
    } else if (c.out.size() - c.sent > m_limits.maxPendingBytes) {
        // A reader this far behind is dropped; it resumes with Last-Event-ID when it can read again.
        close(loop, c.fd());
        return false;
    } else if (c.sent > 64 * 1024) {
        c.out.erase(0, c.sent);
        c.sent = 0;
    }
    return true;
}

void StreamHub::onStreamEvent(Connection& c, std::uint32_t events) {
    if (events & EPOLLERR) return close(*m_streams, c.fd());
    if (events & EPOLLIN) {
        // A stream's client has nothing more to say (over TLS this also takes its alerts).
        char sink[4096];
        long r = 0;
        while ((r = c.link.read(sink, sizeof sink)) > 0) {
        }
        if (r < 0) return close(*m_streams, c.fd());
    }
    if (events & (EPOLLHUP | EPOLLRDHUP)) return close(*m_streams, c.fd());
    // On any readiness: over TLS a write may have waited for a read (a key update).
    if (c.sent < c.out.size()) flush(c);
}

void StreamHub::pumpStreams(bool keepAliveDue) {
    // Streams at the same place get the same bytes: fetch and render once per place and
    // audience, and write every stream from that one buffer.
    struct Rendered {
        std::string text;
        std::int64_t cursor;
        std::uint64_t seq;
    };
    std::map<std::tuple<EventBroker*, std::int64_t, std::uint64_t, StreamAudience>, Rendered> rendered;
    static const std::string kKeepAliveChunk = chunk(": keep-alive\n\n");
    const auto now = SteadyClock::now();
    std::vector<int> fds;
    fds.reserve(m_streams->connections.size());
    for (auto& [fd, c] : m_streams->connections) fds.push_back(fd);
    for (int fd : fds) {
        auto it = m_streams->connections.find(fd);
        if (it == m_streams->connections.end()) continue;
        Connection& c = *it->second;
        const auto key = std::make_tuple(c.broker, c.cursor, c.seq, c.audience);
        auto r = rendered.find(key);
        if (r == rendered.end()) {
            std::uint64_t seq = c.seq;
            auto fetch = c.broker->waitAfter(c.cursor, seq, std::chrono::milliseconds(0));
            if (fetch.stopped) return;
            std::string out;
            std::int64_t cursor = c.cursor;
            if (fetch.reset) {
                out += "id: " + std::to_string(fetch.cursor) + "\nevent: reset\ndata: {}\n\n";
                cursor = fetch.cursor;
            }
            for (const auto& m : fetch.messages) {
                const std::string& data = m.dataFor(c.audience);
                if (!m.published || data.empty()) continue;
                if (m.id) out += "id: " + std::to_string(m.id) + "\n";
                out += "event: " + m.type + "\ndata: " + data + "\n\n";
            }
            if (!fetch.reset) cursor = std::max(cursor, fetch.cursor);
            r = rendered.emplace(key, Rendered{out.empty() ? std::string() : chunk(out), cursor, seq}).first;
        }
        c.cursor = r->second.cursor;
        c.seq = r->second.seq;
        const std::string* text = &r->second.text;
        if (text->empty()) {
            if (!keepAliveDue || now - c.lastWrite < m_limits.keepAlive / 2) continue;
            text = &kKeepAliveChunk;
        }
        c.lastWrite = now;
        send(c, text->data(), text->size());
    }
}

void StreamHub::expireRequests() {
    const auto now = SteadyClock::now();
    std::vector<int> late;
    for (auto& [fd, c] : m_requests->connections)
        if (now >= c->deadline) late.push_back(fd);
    for (int fd : late) {
        Connection& c = *m_requests->connections.at(fd);
        if (c.phase == Connection::Phase::Head && !c.in.empty()) {
            // A head that never completes (slowloris), over plain HTTP or TLS.
            answerAndClose(c, 408, "timeout", "The request did not arrive in time.");
        } else {
            // An idle keep-alive connection, a handshake that never completed, or a refusal
            // nobody reads: closed without a word.
            close(*m_requests, fd);
        }
    }
}

void StreamHub::expireStreams() {
    if (!m_limits.deviceActive && !m_limits.staffActive) return;
    std::vector<int> revoked;
    for (auto& [fd, c] : m_streams->connections)
        if ((m_limits.deviceActive && !c->enrolledDevice.empty() && !m_limits.deviceActive(c->enrolledDevice)) ||
            (m_limits.staffActive && !c->staffUser.empty() && !m_limits.staffActive(c->staffUser)))
            revoked.push_back(fd);
    for (int fd : revoked) close(*m_streams, fd); // a revoked device's stream ends; its reconnect gets 401
}

void StreamHub::close(Loop& loop, int fd) {
    auto it = loop.connections.find(fd);
    if (it == loop.connections.end()) return;
    Connection& c = *it->second;
    if (c.phase == Connection::Phase::Stream) {
        {
            std::lock_guard lock(m_credentialMutex);
            if (--m_streamsPerCredential[c.credential] <= 0) m_streamsPerCredential.erase(c.credential);
        }
        c.broker->subscribe(-1);
        --m_openStreams;
    }
    loop.connections.erase(it); // the link closes the socket (and with it its epoll registration)
    loop.countHeld();
}

} // namespace loket::server
