// loket-bench-streams: what thousands of open event streams cost. It starts the real
// loket-server (the Release build next to it, or --server PATH) on a temporary database and
// measures, in one run:
//   - a kiosk's check-in round trip (p50/p99, one check-in after another) with no stream open,
//     with 50 and with `--stream-scale` streams open (plain sockets, all read by one epoll thread
//     of this program, so every event really goes out to every stream),
//   - the time to open the streams, that every stream got every check-in's event, and
//   - the server's resident memory (VmRSS) at 50 and at that many streams, and its peak (VmHWM).
// Usage: loket-bench-streams [--stream-scale N] [--checkins N] [--server PATH]
#include "bench_support.hpp"

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
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <mutex>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

namespace {
using loket::bench::percentile;
using loket::bench::statusKb;

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

// How the check-in answers' waits were estimated (docs/api.md, "Check-in answer").
struct EstimateBases {
    int ownPlace = 0; // "ticket": the answer's prediction had the ticket
    int walkIn = 0;   // "walk_in": its service's walk-in wait from the latest run
    int none = 0;
};

// One kiosk's check-ins one after another: round-trip times in ms.
std::vector<double> checkInTimes(int port, int count, const std::string& tag, const std::vector<std::string>& services,
                                 EstimateBases& bases) {
    httplib::Client c("127.0.0.1", port);
    c.set_keep_alive(true);
    c.set_tcp_nodelay(true);
    std::vector<double> ms;
    for (int i = 0; i < count; ++i) {
        httplib::Headers h = {{"Authorization", "Bearer demo-kiosk-token"}, {"Idempotency-Key", tag + std::to_string(i)}};
        Json body = {{"service", services[static_cast<std::size_t>(i) % services.size()]}};
        const auto t = Clock::now();
        auto r = c.Post("/api/v1/tickets", h, body.dump(), "application/json");
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
        if (!r || r->status != 201) {
            std::fprintf(stderr, "check-in failed: %d\n", r ? r->status : -1);
            continue;
        }
        const Json answer = Json::parse(r->body, nullptr, false);
        const Json estimate = answer.is_object() ? answer.value("estimate", Json()) : Json();
        const std::string basis = estimate.is_object() ? estimate.value("basis", "") : "";
        ++(basis == "ticket" ? bases.ownPlace : basis == "walk_in" ? bases.walkIn : bases.none);
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

// Every open stream's socket, read by one thread with epoll: counts the bytes and the check-ins'
// events that reached each stream.
class StreamReader {
public:
    StreamReader() : m_epoll(epoll_create1(EPOLL_CLOEXEC)) { m_thread = std::thread([this] { run(); }); }
    ~StreamReader() {
        m_stop = true;
        m_thread.join();
        for (int fd : m_fds) ::close(fd);
        ::close(m_epoll);
    }
    void add(int fd) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        {
            std::lock_guard lock(m_mutex);
            ev.data.u32 = static_cast<std::uint32_t>(m_fds.size());
            m_fds.push_back(fd);
            m_issued.push_back(0);
        }
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
    }
    std::size_t size() {
        std::lock_guard lock(m_mutex);
        return m_fds.size();
    }
    long bytes() const { return m_bytes.load(); }
    // How many streams have seen at least `events` "ticket.issued" events.
    int streamsWithAtLeast(int events) {
        std::lock_guard lock(m_mutex);
        return static_cast<int>(std::count_if(m_issued.begin(), m_issued.end(), [&](int n) { return n >= events; }));
    }

private:
    void run() {
        std::vector<epoll_event> ready(512);
        char buffer[65536];
        static const std::string kIssued = "event: ticket.issued";
        while (!m_stop) {
            const int n = epoll_wait(m_epoll, ready.data(), static_cast<int>(ready.size()), 20);
            for (int i = 0; i < n; ++i) {
                const std::uint32_t index = ready[i].data.u32;
                int fd = -1;
                {
                    std::lock_guard lock(m_mutex);
                    fd = m_fds[index];
                }
                const ssize_t got = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
                if (got <= 0) continue;
                m_bytes += got;
                // Events are small and the reader keeps up: an event split over two reads is rare
                // and only makes the "every stream saw every event" count conservative.
                int issued = 0;
                for (auto at = std::string_view(buffer, static_cast<std::size_t>(got)).find(kIssued); at != std::string_view::npos;
                     at = std::string_view(buffer, static_cast<std::size_t>(got)).find(kIssued, at + 1))
                    ++issued;
                std::lock_guard lock(m_mutex);
                m_issued[index] += issued;
            }
        }
    }
    int m_epoll;
    std::atomic<bool> m_stop{false};
    std::atomic<long> m_bytes{0};
    std::mutex m_mutex;
    std::vector<int> m_fds; // under m_mutex
    std::vector<int> m_issued;
    std::thread m_thread;
};

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN); // a closed stream must not end the benchmark
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files); // thousands of streams need thousands of sockets
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    setvbuf(stdout, nullptr, _IOLBF, 0);
    int streamScale = 2000, samples = 300;
    const char* binary = LOKET_SERVER_BIN;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--stream-scale")) streamScale = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--checkins")) samples = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--server")) binary = argv[i + 1];
        else {
            std::fprintf(stderr, "usage: loket-bench-streams [--stream-scale N] [--checkins N] [--server PATH]\n");
            return 2;
        }
    }
    if (streamScale < 50 || samples < 1) {
        std::fprintf(stderr, "loket-bench-streams: --stream-scale must be at least 50, --checkins at least 1\n");
        return 2;
    }
    // The database lives where LOKET_BENCH_DIR says (default: the temp folder).
    const char* base = std::getenv("LOKET_BENCH_DIR");
    auto dir = std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) / ("loket-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    auto server = loket::bench::startServer(binary, dir / "bench.db", configForStreams(dir, streamScale));
    if (!server.port) { std::fprintf(stderr, "server did not start\n"); return 1; }
    std::printf("loket-bench-streams: server %s, pid %d on port %d, database %s\n", binary, server.pid, server.port, (dir / "bench.db").c_str());
    std::printf("idle RSS: %ld KiB\n", statusKb(server.pid, "VmRSS:"));

    const std::vector<std::string> walkIn = {"ophalen", "rijbewijs", "verhuizing", "uittreksel", "geboorte", "overig"};
    int checkIns = 0;
    EstimateBases bases;
    auto measure = [&](const char* tag) {
        auto ms = checkInTimes(server.port, samples, tag, walkIn, bases);
        checkIns += samples;
        return ms;
    };
    StreamReader reader;
    auto openUpTo = [&](int n) {
        while (static_cast<int>(reader.size()) < n) {
            const int fd = openRawStream(server.port);
            if (fd < 0) { std::fprintf(stderr, "stream %zu: cannot connect\n", reader.size()); break; }
            reader.add(fd);
        }
    };
    auto openStreams = [&] {
        httplib::Client c("127.0.0.1", server.port);
        auto r = c.Get("/metrics");
        auto at = r ? r->body.find("\nloket_sse_clients ") : std::string::npos;
        return at == std::string::npos ? -1 : std::atoi(r->body.c_str() + at + 19);
    };
    auto waitOpen = [&](int n) {
        for (int i = 0; i < 3000 && openStreams() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    };
    auto waitAllSaw = [&](int events) {
        for (int i = 0; i < 500 && reader.streamsWithAtLeast(events) < static_cast<int>(reader.size()); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return reader.streamsWithAtLeast(events);
    };
    auto report = [&](const char* what, const std::vector<double>& ms) {
        std::printf("check-in round trip, %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d check-ins)\n", what, percentile(ms, 0.5),
                    percentile(ms, 0.99), percentile(ms, 1.0), samples);
    };

    const auto none = measure("none-");
    report("0 streams", none);

    openUpTo(50);
    waitOpen(50);
    const long rss50 = statusKb(server.pid, "VmRSS:");
    const int before50 = checkIns;
    const auto fifty = measure("fifty-");
    report("50 streams", fifty);
    std::printf("50 streams: RSS %ld KiB before the check-ins; streams that saw all %d events: %d of 50\n", rss50, checkIns - before50,
                waitAllSaw(checkIns - before50));

    const auto t0 = Clock::now();
    openUpTo(streamScale);
    waitOpen(streamScale);
    const double openSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const long rssScale = statusKb(server.pid, "VmRSS:");
    std::printf("%d streams open (%d more opened in %.2f s), RSS %ld KiB\n", openStreams(), streamScale - 50, openSeconds, rssScale);
    const int beforeScale = checkIns;
    const auto many = measure("many-");
    report((std::to_string(streamScale) + " streams").c_str(), many);
    const int saw = waitAllSaw(checkIns - beforeScale);
    std::printf("%d streams: streams that saw all %d events: %d of %zu; still open: %d; bytes read: %ld; RSS now %ld KiB, peak %ld KiB\n",
                streamScale, checkIns - beforeScale, saw, reader.size(), openStreams(), reader.bytes(), statusKb(server.pid, "VmRSS:"),
                statusKb(server.pid, "VmHWM:"));
    std::printf("check-in answers' estimates: %d own place, %d walk-in wait of the latest run, %d none\n", bases.ownPlace,
                bases.walkIn, bases.none);
    std::printf("p99 with %d streams / with none: %.1fx (aim: at most 2x)\n", streamScale, percentile(many, 0.99) / percentile(none, 0.99));

    loket::bench::stopServer(server);
    std::filesystem::remove_all(dir);
    return 0;
}
