#include "stream_hub.hpp"

#include "security_headers.hpp"

#include "http_util.hpp"
#include "log.hpp"

#include <httplib.h>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <tuple>

namespace loket::server {

namespace {
using SteadyClock = std::chrono::steady_clock;
constexpr auto kTick = std::chrono::milliseconds(250);

// The answers the hub writes itself carry the same security headers as every other answer
// (security_headers.cpp is the one list); the hub serves plain HTTP only, so never HSTS.
const std::string& securityHeaderLines() {
    static const std::string lines = [] {
        httplib::Response res;
        applySecurityHeaders(res, SecurityHeaders{});
        std::string out;
        for (const auto& [name, value] : res.headers) out += name + ": " + value + "\r\n";
        return out;
    }();
    return lines;
}
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

struct StreamHub::Connection {
    enum class Phase { Head, Stream, Closing };
    int fd = -1;
    Phase phase = Phase::Head;
    SteadyClock::time_point deadline;  // Head: the request head must be complete; Closing: give up
    SteadyClock::time_point lastWrite;
    std::string out;
    std::size_t sent = 0;
    bool shutDown = false;
    // Stream
    std::int64_t cursor = 0;
    std::uint64_t seq = 0;
    StreamAudience audience = StreamAudience::Public;
    std::string credential;
    std::string enrolledDevice; // set for a device enrolled by pairing: looked at until it is revoked
};

StreamHub::StreamHub(EventBroker& broker, Auth& auth, HallClock& clock, StreamLimits limits, Handoff handoff)
    : m_broker(broker), m_auth(auth), m_clock(clock), m_limits(limits), m_handoff(std::move(handoff)) {
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m_wake;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev);
}

StreamHub::~StreamHub() {
    stop();
    ::close(m_wake);
    ::close(m_epoll);
}

void StreamHub::start() {
    m_broker.setOnPublish([this] {
        m_news = true;
        wake();
    });
    m_thread = std::thread([this] { run(); });
}

void StreamHub::stop() {
    if (!m_thread.joinable()) return;
    m_stopping = true;
    wake();
    m_thread.join();
    m_broker.setOnPublish({});
    std::vector<int> fds;
    for (auto& [fd, c] : m_connections) fds.push_back(fd);
    for (int fd : fds) close(fd);
    std::lock_guard lock(m_adoptMutex);
    for (int fd : m_adopted) ::close(fd);
    m_adopted.clear();
}

void StreamHub::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(m_wake, &one, sizeof one);
}

void StreamHub::adopt(int fd) {
    if (m_stopping) {
        ::close(fd);
        return;
    }
    {
        std::lock_guard lock(m_adoptMutex);
        m_adopted.push_back(fd);
    }
    wake();
}

void StreamHub::run() {
    std::vector<epoll_event> events(256);
    auto nextTick = SteadyClock::now() + kTick;
    auto nextKeepAlive = SteadyClock::now() + m_limits.keepAlive / 2;
    while (!m_stopping) {
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(nextTick - SteadyClock::now()).count();
        const int n = epoll_wait(m_epoll, events.data(), static_cast<int>(events.size()), static_cast<int>(std::max<long long>(0, wait)));
        for (int i = 0; i < n; ++i) {
            if (events[i].data.fd == m_wake) {
                std::uint64_t count = 0;
                [[maybe_unused]] auto r = ::read(m_wake, &count, sizeof count);
                continue;
            }
            onEvent(events[i].data.fd, events[i].events);
        }
        takeAdopted();
        const auto now = SteadyClock::now();
        const bool keepAliveDue = now >= nextKeepAlive;
        if (m_news.exchange(false) || keepAliveDue) pumpStreams(keepAliveDue);
        if (keepAliveDue) nextKeepAlive = now + m_limits.keepAlive / 2;
        if (now >= nextTick) {
            expire();
            nextTick = now + kTick;
        }
    }
}

void StreamHub::takeAdopted() {
    std::vector<int> adopted;
    {
        std::lock_guard lock(m_adoptMutex);
        adopted.swap(m_adopted);
    }
    for (int fd : adopted) {
        auto c = std::make_unique<Connection>();
        c->fd = fd;
        c->deadline = SteadyClock::now() + m_limits.headerDeadline;
        epoll_event ev{};
        // Edge-triggered: a peeked head stays in the socket, so level-triggered would spin.
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        ev.data.fd = fd;
        if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) != 0) {
            ::close(fd);
            continue;
        }
        m_connections.emplace(fd, std::move(c));
        // Bytes that arrived before the registration are reported by the first epoll_wait.
    }
}

void StreamHub::onEvent(int fd, std::uint32_t events) {
    auto it = m_connections.find(fd);
    if (it == m_connections.end()) return;
    Connection& c = *it->second;
    if (events & EPOLLERR) return close(fd);
    if (c.phase == Connection::Phase::Head) {
        if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) readHead(c);
        return;
    }
    if (events & EPOLLIN) {
        // A stream's client has nothing more to say; the answer of a refused one is on its way.
        char sink[4096];
        for (;;) {
            const ssize_t r = ::recv(fd, sink, sizeof sink, MSG_DONTWAIT);
            if (r > 0) continue;
            if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return close(fd);
            break;
        }
    }
    if (events & (EPOLLHUP | EPOLLRDHUP)) return close(fd);
    if (events & EPOLLOUT) flush(c);
}

void StreamHub::readHead(Connection& c) {
    std::string buffer(m_limits.maxHeaderBytes + 1, '\0');
    const ssize_t n = ::recv(c.fd, buffer.data(), buffer.size(), MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return close(c.fd);
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) close(c.fd);
        return;
    }
    const auto size = static_cast<std::size_t>(n);
    const std::size_t end = std::string_view(buffer.data(), size).find("\r\n\r\n");
    const std::size_t headSize = end == std::string_view::npos ? size : end + 4;
    if (headSize > m_limits.maxHeaderBytes || linesIn(buffer.data(), headSize) > m_limits.maxHeaderLines + 2)
        return answerAndClose(c, 431, "payload_too_large",
                              "The request headers are too large (at most " + std::to_string(m_limits.maxHeaderLines) + " lines, " +
                                  std::to_string(m_limits.maxHeaderBytes / 1024) + " KiB).");
    if (end == std::string_view::npos) return; // more is on its way, until the deadline

    const std::string_view head(buffer.data(), headSize);
    if (head.rfind(std::string("GET ") + kEventsPath, 0) == 0) {
        const char after = head.size() > 4 + std::strlen(kEventsPath) ? head[4 + std::strlen(kEventsPath)] : ' ';
        if (after == ' ' || after == '?') {
            std::string taken(headSize, '\0');
            if (::recv(c.fd, taken.data(), headSize, MSG_DONTWAIT) != static_cast<ssize_t>(headSize)) return close(c.fd);
            return openStream(c, taken);
        }
    }
    // An ordinary request: to the workers.
    const int fd = c.fd;
    epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    m_connections.erase(fd);
    m_handoff(fd);
}

void StreamHub::openStream(Connection& c, const std::string& head) {
    const httplib::Request req = requestOf(head);
    auto who = m_auth.authenticate(req, m_clock.now().t);
    if (!who) return answerAndClose(c, httpStatusOf(who.error().code), errorCodeName(who.error().code), who.error().message);
    const std::string credential = std::string(roleName(who->role)) + ":" + who->id;
    int& open = m_streamsPerCredential[credential];
    if (open >= m_limits.perCredential) {
        if (open == 0) m_streamsPerCredential.erase(credential);
        return answerAndClose(c, 429, "too_many_requests",
                              "This credential already has " + std::to_string(m_limits.perCredential) +
                                  " open event streams (the hall's max_streams_per_credential). Close one first.");
    }
    ++open;
    c.credential = credential;
    if (who->enrolled) c.enrolledDevice = who->id;
    c.phase = Connection::Phase::Stream;
    c.audience = who->role == Role::Counter || who->role == Role::Admin ? StreamAudience::Staff : StreamAudience::Public;
    c.seq = m_broker.currentSeq();
    c.cursor = lastEventIdOf(req, m_broker.lastId());
    m_broker.subscribe(+1);
    ++m_openStreams;
    c.out = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Accel-Buffering: no\r\n" +
            securityHeaderLines() + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            chunk("retry: 2000\n\n"); // at once, so the client knows it is connected
    c.lastWrite = SteadyClock::now();
    if (!flush(c)) return;
    m_news = true; // a resuming client gets what it missed on this round
}

void StreamHub::answerAndClose(Connection& c, int status, const char* code, const std::string& message) {
    // What the peeked head held is read, so closing does not reset the answer away.
    char sink[4096];
    while (::recv(c.fd, sink, sizeof sink, MSG_DONTWAIT) > 0) {
    }
    const std::string body = Json{{"error", {{"code", code}, {"message", message}}}}.dump();
    c.phase = Connection::Phase::Closing;
    c.deadline = SteadyClock::now() + kClosingGrace;
    c.out = "HTTP/1.1 " + std::to_string(status) + " " + reasonOf(status) +
            "\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n" + securityHeaderLines() +
            "Connection: close\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body;
    c.sent = 0;
    flush(c);
}

bool StreamHub::flush(Connection& c) {
    while (c.sent < c.out.size()) {
        const ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            c.sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        close(c.fd);
        return false;
    }
    if (c.sent == c.out.size()) {
        c.out.clear();
        c.sent = 0;
        if (c.phase == Connection::Phase::Closing && !c.shutDown) {
            ::shutdown(c.fd, SHUT_WR);
            c.shutDown = true;
        }
    } else if (c.out.size() - c.sent > m_limits.maxPendingBytes) {
        // A reader this far behind is dropped; it resumes with Last-Event-ID when it can read again.
        close(c.fd);
        return false;
    } else if (c.sent > 64 * 1024) {
        c.out.erase(0, c.sent);
        c.sent = 0;
    }
    return true;
}

void StreamHub::pumpStreams(bool keepAliveDue) {
    // Streams at the same place get the same bytes: fetch and render once per place.
    struct Rendered {
        std::string text;
        std::int64_t cursor;
        std::uint64_t seq;
    };
    std::map<std::tuple<std::int64_t, std::uint64_t, StreamAudience>, Rendered> rendered;
    const auto now = SteadyClock::now();
    std::vector<int> fds;
    fds.reserve(m_connections.size());
    for (auto& [fd, c] : m_connections)
        if (c->phase == Connection::Phase::Stream) fds.push_back(fd);
    for (int fd : fds) {
        auto it = m_connections.find(fd);
        if (it == m_connections.end()) continue;
        Connection& c = *it->second;
        const auto key = std::make_tuple(c.cursor, c.seq, c.audience);
        auto r = rendered.find(key);
        if (r == rendered.end()) {
            std::uint64_t seq = c.seq;
            auto fetch = m_broker.waitAfter(c.cursor, seq, std::chrono::milliseconds(0));
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
        if (!r->second.text.empty()) {
            c.out += r->second.text;
        } else if (keepAliveDue && now - c.lastWrite >= m_limits.keepAlive / 2) {
            c.out += chunk(": keep-alive\n\n");
        } else {
            continue;
        }
        c.lastWrite = now;
        flush(c);
    }
}

void StreamHub::expire() {
    const auto now = SteadyClock::now();
    std::vector<int> late, revoked;
    for (auto& [fd, c] : m_connections) {
        if (c->phase != Connection::Phase::Stream && now >= c->deadline) late.push_back(fd);
        if (c->phase == Connection::Phase::Stream && !c->enrolledDevice.empty() && m_limits.deviceActive &&
            !m_limits.deviceActive(c->enrolledDevice))
            revoked.push_back(fd);
    }
    for (int fd : revoked) close(fd); // a revoked device's stream ends; its reconnect gets 401
    for (int fd : late) {
        Connection& c = *m_connections.at(fd);
        char first = 0;
        if (c.phase == Connection::Phase::Closing || ::recv(fd, &first, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) {
            close(fd); // an idle keep-alive connection is closed without a word
        } else {
            // A head that never completes (slowloris), or a keep-alive connection left idle.
            answerAndClose(c, 408, "timeout", "The request did not arrive in time.");
        }
    }
}

void StreamHub::close(int fd) {
    auto it = m_connections.find(fd);
    if (it == m_connections.end()) return;
    Connection& c = *it->second;
    if (c.phase == Connection::Phase::Stream) {
        if (--m_streamsPerCredential[c.credential] <= 0) m_streamsPerCredential.erase(c.credential);
        m_broker.subscribe(-1);
        --m_openStreams;
    }
    ::close(fd);
    m_connections.erase(it);
}

} // namespace loket::server
