#include "virtual_printer.hpp"

#include "escpos_decoder.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace loket::ticket {

namespace {
// Like a real printer's small input buffer: together with the client's small send buffer it
// makes a stalled printer push back on the writer quickly.
constexpr int kReceiveBuffer = 4096;
} // namespace

Result<std::unique_ptr<VirtualPrinter>> VirtualPrinter::start(const Options& options) {
    std::unique_ptr<VirtualPrinter> p(new VirtualPrinter());
    p->m_host = options.host;
    p->m_saveDir = options.saveDir;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(options.port));
    if (::inet_pton(AF_INET, options.host.c_str(), &addr.sin_addr) != 1)
        return makeError(ErrorCode::InvalidValue, "virtual printer: \"" + options.host + "\" is not an IPv4 address");
    p->m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (p->m_listen < 0) return makeError(ErrorCode::Io, std::string("virtual printer: socket: ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(p->m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    ::setsockopt(p->m_listen, SOL_SOCKET, SO_RCVBUF, &kReceiveBuffer, sizeof kReceiveBuffer);
    if (::bind(p->m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 || ::listen(p->m_listen, 4) < 0)
        return makeError(ErrorCode::Unavailable, "virtual printer: cannot listen on " + options.host + ":" +
                                                     std::to_string(options.port) + ": " + std::strerror(errno));
    socklen_t len = sizeof addr;
    ::getsockname(p->m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    p->m_port = ntohs(addr.sin_port);
    if (::pipe2(p->m_wake, O_CLOEXEC | O_NONBLOCK) < 0)
        return makeError(ErrorCode::Io, std::string("virtual printer: pipe: ") + std::strerror(errno));
    p->m_thread = std::thread([raw = p.get()] { raw->run(); });
    return p;
}

VirtualPrinter::~VirtualPrinter() {
    if (m_thread.joinable()) {
        const char stop = 1;
        [[maybe_unused]] auto n = ::write(m_wake[1], &stop, 1);
        m_thread.join();
    }
    for (int fd : {m_listen, m_wake[0], m_wake[1]})
        if (fd >= 0) ::close(fd);
}

std::string VirtualPrinter::spec() const { return "tcp:" + m_host + ":" + std::to_string(m_port); }

void VirtualPrinter::setStatus(const PrinterStatus& status) {
    std::lock_guard lock(m_mutex);
    m_status = status;
}

void VirtualPrinter::setStalled(bool stalled) {
    {
        std::lock_guard lock(m_mutex);
        m_stalled = stalled;
    }
    const char wake = 0; // re-evaluate what to poll for
    [[maybe_unused]] auto n = ::write(m_wake[1], &wake, 1);
}

std::vector<std::vector<std::uint8_t>> VirtualPrinter::jobs() const {
    std::lock_guard lock(m_mutex);
    return m_jobs;
}

bool VirtualPrinter::waitForJobs(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [&] { return m_jobs.size() >= count; });
}

std::optional<std::string> VirtualPrinter::lastProtocolError() const {
    std::lock_guard lock(m_mutex);
    return m_protocolError;
}

void VirtualPrinter::run() {
    for (;;) {
        pollfd fds[2] = {{m_listen, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
        if (fds[1].revents & POLLIN) {
            char signal = 0;
            while (::read(m_wake[0], &signal, 1) == 1)
                if (signal == 1) return;
        }
        if (fds[0].revents & POLLIN) {
            const int client = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (client >= 0) serve(client); // one connection at a time, like most receipt printers
        }
    }
}

void VirtualPrinter::serve(int client) {
    std::vector<std::uint8_t> pending, job;
    bool stopping = false;
    while (!stopping) {
        bool stalled = false;
        {
            std::lock_guard lock(m_mutex);
            stalled = m_stalled;
        }
        pollfd fds[2] = {{client, static_cast<short>(stalled ? 0 : POLLIN), 0}, {m_wake[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
        if (fds[1].revents & POLLIN) {
            char signal = 0;
            while (::read(m_wake[0], &signal, 1) == 1)
                if (signal == 1) stopping = true;
            if (stopping) {
                // Leave the stop signal for run() to see as well.
                const char stop = 1;
                [[maybe_unused]] auto n = ::write(m_wake[1], &stop, 1);
            }
            continue;
        }
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        std::uint8_t buffer[4096];
        const ssize_t n = ::read(client, buffer, sizeof buffer);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (n <= 0) break;
        pending.insert(pending.end(), buffer, buffer + n);
        std::size_t offset = 0;
        while (offset < pending.size()) {
            auto command = parseEscPosCommand(pending, offset);
            if (!command) {
                std::lock_guard lock(m_mutex);
                m_protocolError = command.error().message;
                stopping = true;
                break;
            }
            if (!*command) break; // wait for the rest of this command
            const auto& c = **command;
            if (c.kind == EscPosCommand::Kind::StatusRequest) {
                std::uint8_t reply = 0;
                {
                    std::lock_guard lock(m_mutex);
                    reply = statusReplyByte(m_status, c.value);
                }
                [[maybe_unused]] auto sent = ::send(client, &reply, 1, MSG_NOSIGNAL);
            } else {
                job.insert(job.end(), pending.begin() + static_cast<std::ptrdiff_t>(offset),
                           pending.begin() + static_cast<std::ptrdiff_t>(offset + c.length));
            }
            offset += c.length;
        }
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(offset));
    }
    ::close(client);
    if (!job.empty()) finishJob(std::move(job));
}

void VirtualPrinter::finishJob(std::vector<std::uint8_t> job) {
    if (!m_saveDir.empty()) {
        std::size_t number = 0;
        {
            std::lock_guard lock(m_mutex);
            number = m_jobs.size() + 1;
        }
        char name[32];
        std::snprintf(name, sizeof name, "job-%04zu.bin", number);
        const auto path = m_saveDir / name;
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(job.data()),
                                                    static_cast<std::streamsize>(job.size()));
        if (auto decoded = decodeEscPos(job); decoded && decoded->image.height() > 0)
            (void)writePng(decoded->image, path.string() + ".png");
    }
    std::lock_guard lock(m_mutex);
    m_jobs.push_back(std::move(job));
    m_changed.notify_all();
}

} // namespace loket::ticket
