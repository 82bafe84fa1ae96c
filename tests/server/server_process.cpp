#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <random>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace loket::test {

TempDir::TempDir() {
    std::random_device rd;
    m_path = std::filesystem::temp_directory_path() / ("loket-test-" + std::to_string(rd()) + std::to_string(getpid()));
    std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

std::filesystem::path ServerProcess::exampleConfig() {
    return std::filesystem::path(LOKET_SOURCE_DIR) / "firmware-config" / "hall.example.toml";
}

std::filesystem::path ServerProcess::defaultConfig() {
    static const TempDir dir;
    static const std::filesystem::path path = [] {
        std::ifstream in(exampleConfig());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // demo-demo-demo at 1,000 rounds (loket-server hash-password, with a fixed salt).
        const std::string cheap = "pbkdf2-sha256$1000$f978734a4e4586ba459cb46d6b6bacca$"
                                  "d842e60a2e0e5479cc93d42f19ab2f4c8b8f84df479f0e438819b06c7ab3fb39";
        int replaced = 0;
        for (auto at = text.find("\"pbkdf2-sha256$"); at != std::string::npos; at = text.find("\"pbkdf2-sha256$", at + 1)) {
            const auto end = text.find('"', at + 1);
            REQUIRE(end != std::string::npos);
            text.replace(at + 1, end - at - 1, cheap);
            ++replaced;
        }
        REQUIRE(replaced > 0); // the example still has staff with hashed passwords
        const auto out = dir.path() / "hall.example.toml";
        std::ofstream(out) << text;
        return out;
    }();
    return path;
}

ServerProcess::ServerProcess(std::filesystem::path db, std::filesystem::path config, std::vector<std::string> env,
                             std::vector<std::string> extraArgs) {
    m_stderr = db.parent_path() / ("stderr-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".log");
    int out[2];
    REQUIRE(pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, m_stderr.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> args = {LOKET_SERVER_BIN, "--config", config.string(), "--db", db.string(), "--listen", "127.0.0.1:0", "--threads", "64"};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> envStrings;
    for (char** e = environ; *e; ++e) envStrings.push_back(*e);
    bool clockSet = false;
    for (auto& e : env) clockSet |= e.rfind("LOKET_CLOCK_OFFSET_S=", 0) == 0;
    if (!clockSet) env.push_back(hallClockAt(9 * 3600));
    for (auto& e : env) envStrings.push_back(e);
    std::vector<char*> envp;
    for (auto& e : envStrings) envp.push_back(e.data());
    envp.push_back(nullptr);
    REQUIRE(posix_spawn(&m_pid, LOKET_SERVER_BIN, &actions, nullptr, argv.data(), envp.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    // Wait for "loket-server: listening on http://127.0.0.1:<port>".
    FILE* f = fdopen(out[0], "r");
    char line[256];
    while (fgets(line, sizeof line, f)) {
        const char* marker = std::strstr(line, "127.0.0.1:");
        if (marker) {
            m_port = std::atoi(marker + 10);
            break;
        }
    }
    fclose(f);
    if (m_port == 0) FAIL("the server did not start: " << stderrText());
}

ServerProcess::~ServerProcess() { stop(); }

void ServerProcess::kill9() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
}

void ServerProcess::stop() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGTERM);
    // Woken the moment it exits (a pidfd is readable then), not at the next tick of a timer.
    // (The system call itself: glibc 2.36's <sys/pidfd.h> declares pidfd_open without C linkage.)
    if (const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, m_pid, 0)); pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        const bool exited = ::poll(&p, 1, 5000) == 1;
        close(pidfd);
        if (exited && waitpid(m_pid, nullptr, 0) == m_pid) {
            m_pid = -1;
            return;
        }
    }
    kill9(); // did not stop within 5 s
}

std::string ServerProcess::stderrText() const {
    std::ifstream in(m_stderr);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

ApiClient::ApiClient(const ServerProcess& server, std::string token) : m_client("127.0.0.1", server.port()), m_token(std::move(token)) {
    m_client.set_read_timeout(10, 0);
}

httplib::Headers ApiClient::headers(httplib::Headers extra) const {
    if (!m_token.empty()) extra.emplace("Authorization", "Bearer " + m_token);
    return extra;
}

ApiResponse ApiClient::wrap(const httplib::Result& r) {
    ApiResponse out;
    if (!r) {
        out.status = -1;
        return out;
    }
    out.status = r->status;
    out.body = r->body;
    out.json = Json::parse(r->body, nullptr, false);
    return out;
}

ApiResponse ApiClient::get(const std::string& path) { return wrap(m_client.Get(path.c_str(), headers({}))); }
ApiResponse ApiClient::post(const std::string& path, const Json& body, httplib::Headers extra) {
    return wrap(m_client.Post(path.c_str(), headers(std::move(extra)), body.dump(), "application/json"));
}
ApiResponse ApiClient::postRaw(const std::string& path, const std::string& body, const std::string& type, httplib::Headers extra) {
    return wrap(m_client.Post(path.c_str(), headers(std::move(extra)), body, type.c_str()));
}
ApiResponse ApiClient::del(const std::string& path) { return wrap(m_client.Delete(path.c_str(), headers({}))); }

std::string hallClockAt(int secondOfUtcDay, int days) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const long long wanted = now / 86400 * 86400 + secondOfUtcDay + 86400LL * days;
    return "LOKET_CLOCK_OFFSET_S=" + std::to_string(wanted - now);
}

bool waitForStreams(const ServerProcess& server, int count) {
    httplib::Client client("127.0.0.1", server.port());
    const std::string line = "loket_sse_clients " + std::to_string(count) + "\n";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        auto r = client.Get("/metrics");
        if (r && r->body.find(line) != std::string::npos) return true;
        std::this_thread::yield();
    }
    return false;
}

std::string loginDemo(const ServerProcess& server, const std::string& user) {
    ApiClient c(server);
    auto r = c.post("/api/v1/login", {{"username", user}, {"password", "demo-demo-demo"}});
    REQUIRE(r.status == 200);
    return r.json["token"];
}

std::vector<SseEvent> readEvents(const ServerProcess& server, const std::string& token, std::size_t count,
                                 const std::string& lastEventId, int timeoutMs) {
    std::vector<SseEvent> events;
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(0, timeoutMs * 1000);
    httplib::Headers headers = {{"Authorization", "Bearer " + token}};
    if (!lastEventId.empty()) headers.emplace("Last-Event-ID", lastEventId);
    std::string buffer;
    SseEvent current;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    client.Get("/api/v1/events", headers, [&](const char* data, std::size_t len) {
        buffer.append(data, len);
        std::size_t pos;
        while ((pos = buffer.find('\n')) != std::string::npos) {
            std::string line = buffer.substr(0, pos);
            buffer.erase(0, pos + 1);
            if (line.empty()) {
                if (!current.type.empty()) events.push_back(current);
                current = {};
            } else if (line.rfind("id: ", 0) == 0) current.id = line.substr(4);
            else if (line.rfind("event: ", 0) == 0) current.type = line.substr(7);
            else if (line.rfind("data: ", 0) == 0) current.data = line.substr(6);
        }
        return events.size() < count && std::chrono::steady_clock::now() < deadline;
    });
    return events;
}

int connectTo(const ServerProcess& server) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    return fd;
}

RawConnection::RawConnection(const ServerProcess& server) : m_fd(connectTo(server)) {}

RawConnection::~RawConnection() {
    if (m_fd >= 0) ::close(m_fd);
}

RawConnection::RawConnection(RawConnection&& other) noexcept : m_fd(other.m_fd), m_received(std::move(other.m_received)) { other.m_fd = -1; }

bool RawConnection::send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(m_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

std::string RawConnection::readUntil(const std::string& needle, int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (m_received.find(needle) == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) break;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
        char buffer[8192];
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        m_received.append(buffer, static_cast<std::size_t>(n));
    }
    return m_received;
}

bool RawConnection::waitClosed(int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) return false;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
        char buffer[8192];
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n <= 0) return true;
        m_received.append(buffer, static_cast<std::size_t>(n));
    }
}

int statusOf(const std::string& response) {
    if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return -1;
    return std::atoi(response.c_str() + 9);
}

Json jsonOf(const std::string& response) {
    const auto end = response.find("\r\n\r\n");
    if (end == std::string::npos) return Json::value_t::discarded;
    return Json::parse(response.substr(end + 4), nullptr, false);
}

std::string errorCodeOf(const ApiResponse& r) {
    return r.json.is_object() && r.json.contains("error") ? r.json["error"]["code"].get<std::string>() : "(no error body: " + r.body + ")";
}

CommandRun runServerCommand(const std::string& args) {
    const std::string command = std::string(LOKET_SERVER_BIN) + " " + args + " 2>&1";
    FILE* p = popen(command.c_str(), "r");
    REQUIRE(p);
    CommandRun run;
    char buffer[512];
    while (fgets(buffer, sizeof buffer, p)) run.output += buffer;
    const int status = pclose(p);
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

std::string hallDate(const ServerProcess& server) {
    return ApiClient(server, "demo-display-token").get("/api/v1/hall").json["hall"]["date"];
}

RawConnection openEventStream(const ServerProcess& server, const std::string& token) {
    RawConnection c(server);
    REQUIRE(c.send("GET /api/v1/events HTTP/1.1\r\nHost: loket\r\nAuthorization: Bearer " + token + "\r\n\r\n"));
    return c;
}

std::filesystem::path configWith(const TempDir& dir, const std::string& from, const std::string& to) {
    std::ifstream in(ServerProcess::defaultConfig());
    std::stringstream text;
    text << in.rdbuf();
    std::string config = text.str();
    const auto at = config.find(from);
    REQUIRE(at != std::string::npos);
    config.replace(at, from.size(), to);
    const auto path = dir.path() / "hall.toml";
    std::ofstream(path) << config;
    return path;
}

} // namespace loket::test
