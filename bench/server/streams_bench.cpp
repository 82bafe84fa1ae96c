// loket-bench-streams (from the server benchmark before group commit): check-ins, calls and, above all,
// the event streams: it starts the real loket-server on a temporary database (from the test build)
//   1. durable check-ins per second (8 kiosks posting at once; each answer only after its
//      SQLite commit with synchronous=FULL),
//   2. call-to-event latency: staff "next" → the ticket.called event at each of 50 connected
//      event streams, p50 / p99 over 1,000 calls,
//   3. the server's resident memory (VmRSS and peak VmHWM),
//   4. many event streams: a kiosk's check-in round trip (p50/p99) with no stream open and with
//      `--stream-scale` streams open (plain sockets, read by one thread), and the RSS at 50 and at
//      that many streams.
// Usage: loket-bench-server [--checkins N] [--calls N] [--streams N] [--stream-scale N]
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/socket.h>
#include <mutex>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

namespace {

struct Server {
    pid_t pid = -1;
    int port = 0;
};

Server startServer(const std::filesystem::path& db, const std::string& config) {
    int out[2];
    if (pipe(out) != 0) std::exit(1);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    std::string dbs = db.string();
    const char* argv[] = {LOKET_SERVER_BIN, "--config", config.c_str(), "--db", dbs.c_str(), "--listen", "127.0.0.1:0", "--quiet", nullptr};
    Server s;
    if (posix_spawn(&s.pid, LOKET_SERVER_BIN, &actions, nullptr, const_cast<char**>(argv), environ) != 0) std::exit(1);
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[256];
    while (fgets(line, sizeof line, f))
        if (const char* m = std::strstr(line, "127.0.0.1:")) { s.port = std::atoi(m + 10); break; }
    fclose(f);
    return s;
}

long statusKb(pid_t pid, const char* field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field));
    return -1;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// The example hall with room for `streams` open event streams on one credential.
std::string configForStreams(const std::filesystem::path& dir, int streams) {
    std::ifstream in(std::string(LOKET_SOURCE_DIR) + "/firmware-config/hall.example.toml");
    std::stringstream text;
    text << in.rdbuf();
    std::string config = text.str();
    const std::string from = "max_streams_per_credential = 64";
    if (auto at = config.find(from); at != std::string::npos)
        config.replace(at, from.size(), "max_streams_per_credential = " + std::to_string(streams + 100));
    const auto path = dir / "hall.toml";
    std::ofstream(path) << config;
    return path.string();
}

// One kiosk's check-ins one after another: round-trip times in ms.
std::vector<double> checkInTimes(int port, int count, const std::string& tag, const std::vector<std::string>& services) {
    httplib::Client c("127.0.0.1", port);
    c.set_keep_alive(true);
    c.set_tcp_nodelay(true);
    std::vector<double> ms;
    for (int i = 0; i < count; ++i) {
        httplib::Headers h = {{"Authorization", "Bearer demo-kiosk-token"}, {"Idempotency-Key", tag + std::to_string(i)}};
        Json body = {{"service", services[static_cast<std::size_t>(i) % services.size()]}};
        const auto t = Clock::now();
        auto r = c.Post("/api/v1/tickets", h, body.dump(), "application/json");
        if (!r || r->status != 201) std::fprintf(stderr, "check-in failed: %d\n", r ? r->status : -1);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    }
    return ms;
}

int openRawStream(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
    const std::string request = "GET /api/v1/events HTTP/1.1\r\nHost: loket\r\nAuthorization: Bearer demo-display-token\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return -1;
    return fd;
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN); // a closed stream must not end the benchmark
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files); // thousands of streams need thousands of sockets
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    setvbuf(stdout, nullptr, _IOLBF, 0);
    int streams = 50, streamScale = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--streams")) streams = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--stream-scale")) streamScale = std::atoi(argv[i + 1]);
    }
    // The database lives where LOKET_BENCH_DIR says (default: the temp folder), so the disk
    // that is measured is a choice.
    const char* base = std::getenv("LOKET_BENCH_DIR");
    auto dir = std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) / ("loket-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    Server server = startServer(dir / "bench.db", configForStreams(dir, std::max(streams, streamScale)));
    if (!server.port) { std::fprintf(stderr, "server did not start\n"); return 1; }
    std::printf("loket-bench-server: server pid %d on port %d, database %s\n", server.pid, server.port, (dir / "bench.db").c_str());
    std::printf("idle RSS: %ld KiB\n", statusKb(server.pid, "VmRSS:"));

    // Durable check-ins and call-to-event latency are loket-bench-server's figures; this program
    // measures only what many open streams cost.
    // Many event streams.
    if (streamScale > 0) {
        const std::vector<std::string> walkIn = {"ophalen", "rijbewijs", "verhuizing", "uittreksel", "geboorte", "overig"};
        const int samples = 300;
        auto quiet = checkInTimes(server.port, samples, "quiet-", walkIn);
        std::vector<pollfd> fds;
        std::atomic<bool> stop{false};
        std::atomic<long> bytes{0};
        auto openUpTo = [&](int n) {
            while (static_cast<int>(fds.size()) < n) {
                const int fd = openRawStream(server.port);
                if (fd < 0) { std::fprintf(stderr, "stream %zu: cannot connect\n", fds.size()); break; }
                fds.push_back({fd, POLLIN, 0});
            }
        };
        auto drainAll = [&] {
            char buffer[16384];
            while (!stop) {
                if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
                for (auto& p : fds)
                    if (p.revents & POLLIN) {
                        const ssize_t n = ::recv(p.fd, buffer, sizeof buffer, MSG_DONTWAIT);
                        if (n > 0) bytes += n;
                    }
            }
        };
        auto openStreams = [&] {
            httplib::Client c("127.0.0.1", server.port);
            auto r = c.Get("/metrics");
            auto at = r ? r->body.find("\nloket_sse_clients ") : std::string::npos;
            return at == std::string::npos ? -1 : std::atoi(r->body.c_str() + at + 19);
        };
        auto waitOpen = [&](int n) {
            for (int i = 0; i < 500 && openStreams() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        };
        openUpTo(50);
        waitOpen(50);
        std::printf("streams: %d open, RSS %ld KiB\n", openStreams(), statusKb(server.pid, "VmRSS:"));
        const auto t0 = Clock::now();
        openUpTo(streamScale);
        waitOpen(streamScale);
        std::printf("streams: %d open (opened in %.2f s), RSS %ld KiB\n", openStreams(),
                    std::chrono::duration<double>(Clock::now() - t0).count(), statusKb(server.pid, "VmRSS:"));
        std::thread drain(drainAll); // from here on the streams are read while check-ins go on
        auto busy = checkInTimes(server.port, samples, "busy-", walkIn);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        std::printf("check-in round trip, 0 streams: p50 %.2f ms, p99 %.2f ms; %d streams: p50 %.2f ms, p99 %.2f ms (%d check-ins each)\n",
                    percentile(quiet, 0.5), percentile(quiet, 0.99), streamScale, percentile(busy, 0.5), percentile(busy, 0.99), samples);
        std::printf("streams still open after the check-ins: %d; bytes read from them: %ld; RSS now %ld KiB, peak %ld KiB\n",
                    openStreams(), bytes.load(), statusKb(server.pid, "VmRSS:"), statusKb(server.pid, "VmHWM:"));
        stop = true;
        drain.join();
        for (auto& p : fds) ::close(p.fd);
    }

    kill(server.pid, SIGTERM);
    waitpid(server.pid, nullptr, 0);
    std::filesystem::remove_all(dir);
    return 0;
}
