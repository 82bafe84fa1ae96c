#include "lean_kiosk.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h> // strncasecmp
#include <sys/socket.h>
#include <unistd.h>

namespace loket::bench {

LeanKiosk::LeanKiosk(int port) : m_port(port) { connectNow(); }

void LeanKiosk::connectNow() {
    m_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0) return;
    const int one = 1;
    setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(m_port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        close(m_fd);
        m_fd = -1;
    }
}

LeanKiosk::~LeanKiosk() {
    if (m_fd >= 0) close(m_fd);
}

namespace {
// The value of header `name` in `head` (the status line and headers, without the blank line).
std::string_view headerValue(std::string_view head, std::string_view name) {
    for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;) {
        const std::size_t start = at + 2, end = head.find("\r\n", start);
        const std::string_view line = head.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (line.size() > name.size() && line[name.size()] == ':' && strncasecmp(line.data(), name.data(), name.size()) == 0) {
            std::string_view value = line.substr(name.size() + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            return value;
        }
        at = end;
    }
    return {};
}
} // namespace

int LeanKiosk::roundTrip(std::string_view request) {
    // A kept connection the server has closed meanwhile (its keep-alive ended) fails before any
    // answer: once, the request goes again on a new connection. It carries its Idempotency-Key,
    // so the server takes it at most once either way.
    const bool reused = m_fd >= 0;
    if (!reused) connectNow();
    const int status = exchange(request);
    if (status != kNoAnswer || !reused) return status < 0 ? -1 : status;
    connectNow();
    const int again = exchange(request);
    return again < 0 ? -1 : again;
}

int LeanKiosk::exchange(std::string_view request) {
    if (m_fd < 0) return -1;
    for (std::size_t sent = 0; sent < request.size();) {
        const ssize_t n = send(m_fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return drop(kNoAnswer);
        sent += static_cast<std::size_t>(n);
    }
    m_in.clear();
    std::size_t headEnd = std::string::npos, total = 0;
    char buffer[16384];
    while (headEnd == std::string::npos || m_in.size() < total) {
        const ssize_t n = recv(m_fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return drop(m_in.empty() ? kNoAnswer : -1);
        m_in.append(buffer, static_cast<std::size_t>(n));
        if (headEnd == std::string::npos && (headEnd = m_in.find("\r\n\r\n")) != std::string::npos) {
            const std::string_view length = headerValue(std::string_view(m_in).substr(0, headEnd), "Content-Length");
            if (length.empty()) return drop(-1); // chunked or unknown: not a check-in's answer
            total = headEnd + 4 + std::strtoul(std::string(length).c_str(), nullptr, 10);
        }
    }
    // "HTTP/1.1 201 Created"
    const int status = m_in.compare(0, 5, "HTTP/") == 0 ? std::atoi(m_in.c_str() + m_in.find(' ') + 1) : 0;
    if (status <= 0) return drop(-1);
    const std::string_view connection = headerValue(std::string_view(m_in).substr(0, headEnd), "Connection");
    if (connection.size() == 5 && strncasecmp(connection.data(), "close", 5) == 0) drop(0);
    return status;
}

int LeanKiosk::drop(int status) {
    if (m_fd >= 0) close(m_fd);
    m_fd = -1;
    return status;
}

std::string checkinRequest(std::string_view service, std::string_view idempotencyKey) {
    std::string body = "{\"service\":\"";
    body.append(service).append("\"}");
    std::string request = "POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer demo-kiosk-token\r\nIdempotency-Key: ";
    request.append(idempotencyKey)
        .append("\r\nContent-Type: application/json\r\nContent-Length: ")
        .append(std::to_string(body.size()))
        .append("\r\n\r\n")
        .append(body);
    return request;
}

} // namespace loket::bench
