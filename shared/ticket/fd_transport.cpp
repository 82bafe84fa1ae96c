// TCP and device transports: both are a non-blocking file descriptor with deadlines kept by
// poll(2); they differ only in how the descriptor is opened.
#include "transport_kinds.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loket::ticket::detail {

namespace {

using Clock = std::chrono::steady_clock;

// A receipt printer buffers a few kilobytes. Keeping the kernel's send buffer that small too
// means a write "completes" only when the printer has (nearly) taken the data, so a stalled
// printer shows up as a write timeout instead of a ticket silently queued in the kernel.
constexpr int kSocketSendBuffer = 16 * 1024;

std::string errnoText(int err) { return std::strerror(err); }

int remainingMs(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

// Waits for `events` on `fd` until `deadline`: 1 ready, 0 timed out, -1 error (errno set).
int waitFor(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, remainingMs(deadline));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n;
        if (p.revents & (events | POLLHUP | POLLERR)) return 1;
    }
}

class FdTransport final : public Transport {
public:
    FdTransport(int fd, std::string spec, bool isSocket, bool readable)
        : m_fd(fd), m_spec(std::move(spec)), m_isSocket(isSocket), m_readable(readable) {}
    ~FdTransport() override { ::close(m_fd); }
    FdTransport(const FdTransport&) = delete;
    FdTransport& operator=(const FdTransport&) = delete;

    const std::string& describe() const override { return m_spec; }
    bool canRead() const override { return m_readable; }

    Status write(std::span<const std::uint8_t> bytes, std::chrono::milliseconds timeout) override {
        const auto deadline = Clock::now() + timeout;
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = m_isSocket ? ::send(m_fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL)
                                         : ::write(m_fd, bytes.data() + done, bytes.size() - done);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                return makeError(ErrorCode::Io, m_spec + ": writing failed: " + errnoText(errno));
            const int ready = waitFor(m_fd, POLLOUT, deadline);
            if (ready == 0)
                return makeError(ErrorCode::Timeout, m_spec + ": the printer took " + std::to_string(done) + " of " +
                                                         std::to_string(bytes.size()) + " bytes within " +
                                                         std::to_string(timeout.count()) + " ms");
            if (ready < 0) return makeError(ErrorCode::Io, m_spec + ": waiting to write failed: " + errnoText(errno));
        }
        return Ok{};
    }

    Result<std::vector<std::uint8_t>> read(std::size_t count, std::chrono::milliseconds timeout) override {
        if (!m_readable) return makeError(ErrorCode::Unavailable, m_spec + ": this printer cannot answer");
        const auto deadline = Clock::now() + timeout;
        std::vector<std::uint8_t> out(count);
        std::size_t done = 0;
        while (done < count) {
            const ssize_t n = ::read(m_fd, out.data() + done, count - done);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
                continue;
            }
            if (n == 0) return makeError(ErrorCode::Io, m_spec + ": the printer closed the connection");
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                return makeError(ErrorCode::Io, m_spec + ": reading failed: " + errnoText(errno));
            const int ready = waitFor(m_fd, POLLIN, deadline);
            if (ready == 0)
                return makeError(ErrorCode::Timeout, m_spec + ": no answer within " + std::to_string(timeout.count()) +
                                                         " ms (" + std::to_string(done) + " of " +
                                                         std::to_string(count) + " bytes)");
            if (ready < 0) return makeError(ErrorCode::Io, m_spec + ": waiting to read failed: " + errnoText(errno));
        }
        return out;
    }

    void discardInput() override {
        if (!m_readable) return;
        std::uint8_t scratch[256];
        while (::read(m_fd, scratch, sizeof scratch) > 0) {}
    }

private:
    int m_fd;
    std::string m_spec;
    bool m_isSocket;
    bool m_readable;
};

} // namespace

Result<std::unique_ptr<Transport>> openTcpTransport(const std::string& host, int port, std::string spec,
                                                    std::chrono::milliseconds connectTimeout) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0)
        return makeError(ErrorCode::Unavailable, spec + ": cannot resolve host: " + ::gai_strerror(rc));
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, ::freeaddrinfo);
    const auto deadline = Clock::now() + connectTimeout;
    Error last = makeError(ErrorCode::Unavailable, spec + ": no address to connect to");
    for (addrinfo* a = addresses.get(); a; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            last = makeError(ErrorCode::Unavailable, spec + ": socket: " + errnoText(errno));
            continue;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kSocketSendBuffer, sizeof kSocketSendBuffer);
        int err = 0;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) < 0) {
            err = errno;
            if (err == EINPROGRESS) {
                const int ready = waitFor(fd, POLLOUT, deadline);
                socklen_t len = sizeof err;
                if (ready == 0) {
                    ::close(fd);
                    return makeError(ErrorCode::Timeout, spec + ": no connection within " +
                                                             std::to_string(connectTimeout.count()) + " ms");
                }
                err = ready < 0 ? errno : 0;
                if (ready > 0) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            }
        }
        if (err == 0) return std::unique_ptr<Transport>(new FdTransport(fd, std::move(spec), true, true));
        ::close(fd);
        last = makeError(ErrorCode::Unavailable, spec + ": cannot connect: " + errnoText(err));
    }
    return last;
}

Result<std::unique_ptr<Transport>> openDeviceTransport(const std::filesystem::path& path, std::string spec) {
    bool readable = true;
    int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS)) {
        // Some printer devices are write-only: print without status rather than not at all.
        readable = false;
        fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    }
    if (fd < 0) return makeError(ErrorCode::Unavailable, spec + ": cannot open the printer device: " + errnoText(errno));
    return std::unique_ptr<Transport>(new FdTransport(fd, std::move(spec), false, readable));
}

} // namespace loket::ticket::detail
