// HallServer: the real loket-server binary for the display's integration tests, on loopback with
// an OS-assigned port and a temporary database; it can be killed (-9) and started again on the
// same port, as a server restarting mid-day would be. Staff and kiosk actions go through
// loket::net::HttpClient, the client the devices use.
#pragma once

#include "shared/net/http_client.hpp"

#include <filesystem>
#include <map>
#include <string>

namespace loket::test {

class HallServer {
public:
    HallServer(); // temp dir + database, started on a free port
    ~HallServer();
    HallServer(const HallServer&) = delete;
    HallServer& operator=(const HallServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    void kill9();
    void restart(); // same database, same port

    // Staff: logs the demo user in (once) and acts on counters and tickets.
    void openCounter(const std::string& counter);
    std::string next(const std::string& counter); // the number called, "" when none waits
    void recall(const std::string& counter);      // recalls the counter's current ticket
    void complete(const std::string& counter);
    // Kiosk: a walk-in ticket; returns its number.
    std::string issue(const std::string& service, const std::string& language = "nl");
    net::HttpClient& admin() { return m_admin; }

private:
    void start(const std::string& listen);
    std::string staffToken();
    std::filesystem::path m_dir;
    int m_pid = -1;
    int m_port = 0;
    std::string m_token;
    std::map<std::string, std::string> m_currentTicket; // counter → ticket id
    net::HttpClient m_staff{net::HttpOptions{}};
    net::HttpClient m_kiosk{net::HttpOptions{}};
    net::HttpClient m_admin{net::HttpOptions{}};
};

} // namespace loket::test
