// pg::Listener: a thread that LISTENs on one PostgreSQL channel over a connection of its own and
// calls a function with each notification's payload; when the connection is lost it reconnects
// (every second until it can) and calls the function with "*" once listening again, because
// notifications sent meanwhile are gone. Stopped (and joined) by its destructor, through a pipe.
// Used by the PostgreSQL store for the shared tables' announcements; nothing else sees libpq.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace loket::server::pg {

class Listener {
public:
    // Starts listening; `notified` runs on the listener's thread (also with "*" right after the
    // first LISTEN: whatever changed before is to be read).
    Listener(std::string url, std::string channel, std::function<void(const std::string&)> notified);
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

private:
    void run();

    const std::string m_url, m_channel;
    std::function<void(const std::string&)> m_notified;
    int m_stopPipe[2] = {-1, -1};
    std::thread m_thread;
};

} // namespace loket::server::pg
