#include "hall_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace loket::test {

using nlohmann::json;

HallServer::HallServer() {
    std::random_device rd;
    m_dir = std::filesystem::temp_directory_path() / ("loket-display-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(m_dir);
    start("127.0.0.1:0");
}

HallServer::~HallServer() {
    // Close our keep-alive connections first, or the server waits out their idle timeout (5 s).
    m_staff = net::HttpClient(net::HttpOptions{});
    m_kiosk = net::HttpClient(net::HttpOptions{});
    m_admin = net::HttpClient(net::HttpOptions{});
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        waitpid(m_pid, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
}

void HallServer::start(const std::string& listen) {
    int out[2];
    REQUIRE(pipe(out) == 0);
    const std::string log = (m_dir / "server.log").string();
    m_pid = fork();
    REQUIRE(m_pid >= 0);
    if (m_pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        FILE* err = std::fopen(log.c_str(), "a");
        if (err) dup2(fileno(err), STDERR_FILENO);
        close(out[0]);
        const std::string config = std::string(LOKET_SOURCE_DIR) + "/firmware-config/hall.example.toml";
        const std::string db = (m_dir / "hall.db").string();
        execl(LOKET_SERVER_BIN, LOKET_SERVER_BIN, "--config", config.c_str(), "--db", db.c_str(), "--listen", listen.c_str(),
              "--threads", "64", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(out[1]);
    // The server prints "loket-server: listening on http://127.0.0.1:<port>" once it accepts.
    FILE* f = fdopen(out[0], "r");
    char line[256];
    int port = 0;
    while (!port && std::fgets(line, sizeof line, f))
        if (const char* at = std::strstr(line, "127.0.0.1:")) port = std::atoi(at + 10);
    std::fclose(f);
    REQUIRE(port != 0);
    m_port = port;
    m_staff = net::HttpClient(net::HttpOptions{url(), m_token});
    m_kiosk = net::HttpClient(net::HttpOptions{url(), "demo-kiosk-token"});
    m_admin = net::HttpClient(net::HttpOptions{url(), "demo-admin-token"});
}

void HallServer::kill9() {
    REQUIRE(m_pid > 0);
    ::kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
}

void HallServer::restart() {
    if (m_pid > 0) kill9();
    m_token.clear(); // log in again: the restarted server decides whether old sessions hold
    start("127.0.0.1:" + std::to_string(m_port));
}

std::string HallServer::staffToken() {
    if (m_token.empty()) {
        auto reply = m_staff.post("/api/v1/login", json{{"username", "demo"}, {"password", "demo-demo-demo"}}.dump());
        REQUIRE(reply);
        m_token = json::parse(reply->body)["token"];
    }
    m_staff.setToken(m_token);
    return m_token;
}

void HallServer::openCounter(const std::string& counter) {
    staffToken();
    auto reply = m_staff.post("/api/v1/counters/" + counter + "/open", "{}");
    INFO((reply ? "" : reply.error().message));
    REQUIRE(reply);
}

std::string HallServer::next(const std::string& counter) {
    staffToken();
    auto reply = m_staff.post("/api/v1/counters/" + counter + "/next", "{}");
    INFO((reply ? "" : reply.error().message));
    REQUIRE(reply);
    if (reply->status == 204) return "";
    auto ticket = json::parse(reply->body)["ticket"];
    m_currentTicket[counter] = ticket["id"].is_string() ? ticket["id"].get<std::string>() : ticket["id"].dump();
    return ticket["number"];
}

void HallServer::recall(const std::string& counter) {
    staffToken();
    auto reply = m_staff.post("/api/v1/tickets/" + m_currentTicket.at(counter) + "/recall", "{}");
    INFO((reply ? "" : reply.error().message));
    REQUIRE(reply);
}

void HallServer::complete(const std::string& counter) {
    staffToken();
    auto reply = m_staff.post("/api/v1/tickets/" + m_currentTicket.at(counter) + "/complete", R"({"outcome":"handled"})");
    INFO((reply ? "" : reply.error().message));
    REQUIRE(reply);
}

std::string HallServer::issue(const std::string& service, const std::string& language) {
    auto reply = m_kiosk.postWithRetry("/api/v1/tickets", json{{"service", service}, {"language", language}}.dump(),
                                       net::makeIdempotencyKey());
    INFO((reply ? "" : reply.error().message));
    REQUIRE(reply);
    return json::parse(reply->body)["ticket"]["number"];
}

} // namespace loket::test
