// ServerProcess: the real loket-server binary on a free loopback port with a temporary database,
// for integration tests. Always stopped at the end (SIGTERM, or SIGKILL for crash tests).
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace loket::test {

using Json = nlohmann::json;

class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

class ServerProcess {
public:
    // Starts `loket-server --config <config> --db <db> --listen 127.0.0.1:0` and waits for its
    // "listening on" line. The hall's clock reads today 09:00 UTC (10:00 or 11:00 in the hall)
    // unless `env` sets LOKET_CLOCK_OFFSET_S itself: no test depends on the hour it runs.
    // `extraArgs` go to the command line after the others.
    ServerProcess(std::filesystem::path db, std::filesystem::path config = defaultConfig(), std::vector<std::string> env = {},
                  std::vector<std::string> extraArgs = {});
    ~ServerProcess();

    int port() const { return m_port; }
    int pid() const { return m_pid; } // for signals (SIGHUP reload)
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    void kill9();     // a crash: no chance to clean up
    void stop();      // SIGTERM and wait
    std::string stderrText() const;

    // The example hall (firmware-config/hall.example.toml) as the tests run it: the same file
    // with its staff's password hashes at 1,000 PBKDF2 rounds instead of 100,000, for the same
    // password. A hash names its own rounds ("pbkdf2-sha256$<rounds>$<salt>$<hash>"), so this is
    // an ordinary configuration, not a test mode of the server; under the sanitizers the start-up
    // check of the demo passwords and the logins were about 80 % of a server start's CPU time.
    static std::filesystem::path defaultConfig();
    // The example file itself, as shipped (what `--check` and the package test must accept).
    static std::filesystem::path exampleConfig();

private:
    int m_pid = -1;
    int m_port = 0;
    std::filesystem::path m_stderr;
};

// The environment entry that runs the hall's clock at `secondOfUtcDay` of today (UTC), `days`
// later: "LOKET_CLOCK_OFFSET_S=…".
std::string hallClockAt(int secondOfUtcDay, int days = 0);

// A client with a bearer token; bodies are JSON.
struct ApiResponse {
    int status = 0;
    Json json;
    std::string body;
};

class ApiClient {
public:
    ApiClient(const ServerProcess& server, std::string token = {});
    ApiResponse get(const std::string& path);
    ApiResponse post(const std::string& path, const Json& body = Json::object(), httplib::Headers extra = {});
    ApiResponse postRaw(const std::string& path, const std::string& body, const std::string& type, httplib::Headers extra = {});
    ApiResponse del(const std::string& path);
    void setToken(std::string token) { m_token = std::move(token); }
    const std::string& token() const { return m_token; }

private:
    httplib::Headers headers(httplib::Headers extra) const;
    static ApiResponse wrap(const httplib::Result& r);
    httplib::Client m_client;
    std::string m_token;
};

// The `error.code` of an API answer, or a note with the body when it has none.
std::string errorCodeOf(const ApiResponse& r);

// The loket-server binary run to its end with `args` (paths from TempDir: no spaces, no quotes):
// its exit status and everything it wrote to stdout and stderr.
struct CommandRun {
    int exitCode = -1;
    std::string output;
};
CommandRun runServerCommand(const std::string& args);

// The hall's date today (YYYY-MM-DD), as a display reads it from /api/v1/hall.
std::string hallDate(const ServerProcess& server);

// Logs the demo staff member in and returns the token.
std::string loginDemo(const ServerProcess& server, const std::string& user = "demo");

struct SseEvent {
    std::string id, type, data;
};

// Waits until the server counts `count` open event streams (its /metrics), so a test knows its
// reader is connected before it acts. False when that does not happen within 5 s.
bool waitForStreams(const ServerProcess& server, int count);

// Reads the event stream until `count` events (not comments) arrived or the time is up.
std::vector<SseEvent> readEvents(const ServerProcess& server, const std::string& token, std::size_t count,
                                 const std::string& lastEventId = {}, int timeoutMs = 5000);

// A connected TCP socket to the server (blocking); the caller closes it.
int connectTo(const ServerProcess& server);

// A plain TCP connection to the server, for what an HTTP client library will not send (half-sent
// heads, huge headers, chunked bodies) and for many open event streams at little cost.
class RawConnection {
public:
    explicit RawConnection(const ServerProcess& server);
    ~RawConnection();
    RawConnection(RawConnection&& other) noexcept;
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool send(const std::string& bytes); // false: the server closed the connection
    // Reads until `needle` arrived, the server closed the connection, or `timeoutMs` passed; returns
    // everything read so far.
    std::string readUntil(const std::string& needle, int timeoutMs = 5000);
    // True when the server closed the connection within `timeoutMs`.
    bool waitClosed(int timeoutMs);
    const std::string& received() const { return m_received; }

private:
    int m_fd = -1;
    std::string m_received;
};

// An event stream opened with `token` over a raw connection (the request sent, nothing read).
RawConnection openEventStream(const ServerProcess& server, const std::string& token);

// The HTTP status of a raw response ("HTTP/1.1 431 …"), or -1.
int statusOf(const std::string& response);
// The JSON body of a raw response (Content-Length framed), or discarded.
Json jsonOf(const std::string& response);

// A copy of the example hall configuration in `dir` with `from` replaced by `to`.
std::filesystem::path configWith(const TempDir& dir, const std::string& from, const std::string& to);

} // namespace loket::test
