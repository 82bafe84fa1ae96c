#include "postgres_listener.hpp"

#include "postgres_connection.hpp"

#include <libpq-fe.h>

#include <poll.h>
#include <unistd.h>

namespace loket::server::pg {

Listener::Listener(std::string url, std::string channel, std::function<void(const std::string&)> notified)
    : m_url(std::move(url)), m_channel(std::move(channel)), m_notified(std::move(notified)) {
    if (pipe(m_stopPipe) != 0) return; // no pipe, no thread: nothing is announced to this instance
    m_thread = std::thread([this] { run(); });
}

Listener::~Listener() {
    if (m_thread.joinable()) {
        const char stop = 1;
        (void)!write(m_stopPipe[1], &stop, 1);
        m_thread.join();
    }
    for (int fd : m_stopPipe)
        if (fd >= 0) close(fd);
}

void Listener::run() {
    std::unique_ptr<Connection> listener;
    const std::string listen = "LISTEN " + m_channel;
    for (;;) {
        if (!listener) {
            auto opened = Connection::open(m_url);
            if (opened && opened.value()->script("listening for " + m_channel, listen.c_str())) {
                listener = std::move(opened.value());
                m_notified("*"); // whatever was announced while nobody listened
            }
        }
        pollfd fds[2] = {{m_stopPipe[0], POLLIN, 0}, {listener ? PQsocket(listener->raw()) : -1, POLLIN, 0}};
        // Without a connection, try again after a second (or stop).
        if (poll(fds, listener ? 2 : 1, listener ? -1 : 1000) < 0) continue;
        if (fds[0].revents) return;
        if (!listener || !fds[1].revents) continue;
        if (!PQconsumeInput(listener->raw())) {
            listener.reset(); // lost: reconnect, and re-read everything once listening again
            continue;
        }
        while (PGnotify* n = PQnotifies(listener->raw())) {
            const std::string payload = n->extra ? n->extra : "*";
            PQfreemem(n);
            m_notified(payload);
        }
    }
}

} // namespace loket::server::pg
