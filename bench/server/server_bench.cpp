// loket-bench-server: starts the real server (Release build) on loopback with a fresh database
// and measures
//   1. durable check-ins per second (8 kiosks posting at once; each answer only after its
//      SQLite commit with synchronous=FULL),
//   2. call-to-event latency: staff "next" → the ticket.called event at each of 50 connected
//      event streams, p50 / p99 over 1,000 calls,
//   3. the server's resident memory (VmRSS and peak VmHWM),
//   4. group commit: the disk's raw rate of one-row SQLite transactions (WAL, synchronous=FULL,
//      one fsync each) and the same check-in run on tmpfs (/dev/shm), so the disk figure of 1.
//      can be read as a share of the CPU-bound rate and a multiple of the raw rate.
// Usage: loket-bench-server [--checkins N] [--calls N] [--streams N] [--kiosks N] [--server PATH]
#include "bench_support.hpp"

#include <httplib.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib> // getloadavg
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
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

// One-row transactions in a loop on `dir`'s filesystem, each committed with its own fsync, as
// the server's store is configured: what durability costs per commit without grouping.
double rawCommitsPerSecond(const std::filesystem::path& dir, int n) {
    const auto file = dir / "raw.db";
    sqlite3* db = nullptr;
    if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) return 0;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT);",
                 nullptr, nullptr, nullptr);
    const auto t0 = Clock::now();
    for (int i = 0; i < n; ++i)
        sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO t(body) VALUES('{\"ticket\":1}'); COMMIT;", nullptr, nullptr, nullptr);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    sqlite3_close(db);
    std::filesystem::remove(file);
    std::filesystem::remove(dir / "raw.db-wal");
    std::filesystem::remove(dir / "raw.db-shm");
    return n / s;
}

// `checkins` check-ins from `kiosks` kiosks at once; returns the rate, counts failures.
double runCheckins(int port, int checkins, int kiosks, std::atomic<int>& failed) {
    const std::vector<std::string> services = {"paspoort", "ophalen", "rijbewijs", "verhuizing", "uittreksel", "geboorte", "overig"};
    std::atomic<int> next{0};
    auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (int k = 0; k < kiosks; ++k)
        threads.emplace_back([&, k] {
            httplib::Client c("127.0.0.1", port);
            c.set_keep_alive(true);
            c.set_tcp_nodelay(true);
            httplib::Headers h = {{"Authorization", "Bearer demo-kiosk-token"}};
            for (int i; (i = next++) < checkins;) {
                h.erase("Idempotency-Key");
                h.emplace("Idempotency-Key", "bench-" + std::to_string(k) + "-" + std::to_string(i));
                Json body = {{"service", services[static_cast<std::size_t>(i) % services.size()]}};
                auto r = c.Post("/api/v1/tickets", h, body.dump(), "application/json");
                if (!r || r->status != 201) ++failed;
            }
        });
    for (auto& t : threads) t.join();
    return checkins / std::chrono::duration<double>(Clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN); // a closed stream must not end the benchmark
    setvbuf(stdout, nullptr, _IOLBF, 0);
    int checkins = 4000, calls = 1000, streams = 50, kiosks = 8;
    std::string binary = LOKET_SERVER_BIN;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--checkins")) checkins = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--calls")) calls = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--streams")) streams = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--kiosks")) kiosks = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--server")) binary = argv[i + 1];
    }
    // The database lives where LOKET_BENCH_DIR says (default: the temp folder), so the disk
    // that is measured is a choice.
    const char* base = std::getenv("LOKET_BENCH_DIR");
    auto dir = std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) / ("loket-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string config = std::string(LOKET_SOURCE_DIR) + "/firmware-config/hall.example.toml";
    auto server = loket::bench::startServer(binary, dir / "bench.db", config);
    if (!server.port) { std::fprintf(stderr, "server did not start\n"); return 1; }
    std::printf("loket-bench-server: server %s, pid %d on port %d, database %s\n", binary.c_str(), server.pid, server.port, (dir / "bench.db").c_str());
    std::printf("idle RSS: %ld KiB\n", statusKb(server.pid, "VmRSS:"));

    // 4a. The same check-ins on tmpfs first (a server of its own), and the disk's raw rate.
    double tmpfsRate = 0, rawRate = rawCommitsPerSecond(dir, 500);
    if (std::filesystem::is_directory("/dev/shm")) {
        auto shm = std::filesystem::path("/dev/shm") / ("loket-bench-" + std::to_string(getpid()));
        std::filesystem::create_directories(shm);
        auto mem = loket::bench::startServer(binary, shm / "bench.db", config);
        std::atomic<int> memFailed{0};
        if (mem.port) tmpfsRate = runCheckins(mem.port, checkins, kiosks, memFailed);
        loket::bench::stopServer(mem);
        std::filesystem::remove_all(shm);
        std::printf("check-ins on tmpfs: %.0f/s (%d failed)\n", tmpfsRate, memFailed.load());
    }
    std::printf("raw one-fsync-per-transaction rate of %s: %.0f commits/s\n", dir.c_str(), rawRate);

    // 1. Durable check-ins per second.
    std::atomic<int> failed{0};
    auto t0 = Clock::now();
    runCheckins(server.port, checkins, kiosks, failed);
    const double checkinS = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("check-ins: %d in %.2f s = %.0f durable check-ins/s (%d failed)\n", checkins, checkinS, checkins / checkinS, failed.load());
    if (tmpfsRate > 0 && rawRate > 0) {
        // The aims (issue 11): disk >= 90 % of tmpfs and >= 2x the raw rate. Other work on the
        // machine moves both runs, so the load average is printed beside the share.
        double load[3] = {0, 0, 0};
        (void)getloadavg(load, 3);
        const double share = 100.0 * checkins / checkinS / tmpfsRate;
        const double multiple = checkins / checkinS / rawRate;
        std::printf("group commit: disk %.0f%% of tmpfs (aim >= 90%%: %s), %.1fx the raw commit rate (aim >= 2x: %s), %d kiosks, "
                    "load average %.2f %.2f %.2f\n",
                    share, share >= 90 ? "met" : "NOT met", multiple, multiple >= 2 ? "met" : "NOT met", kiosks, load[0], load[1], load[2]);
    }
    std::printf("RSS after check-ins: %ld KiB\n", statusKb(server.pid, "VmRSS:"));

    // 2. Call-to-event latency with `streams` event streams connected.
    std::mutex mutex;
    std::map<std::string, Clock::time_point> sentAt;        // ticket number → when "next" was sent
    std::vector<std::pair<std::string, Clock::time_point>> received; // ticket number, when an event arrived
    std::atomic<int> connected{0};
    std::atomic<bool> done{false};
    std::vector<std::thread> readers;
    for (int s = 0; s < streams; ++s)
        readers.emplace_back([&] {
            httplib::Client c("127.0.0.1", server.port);
            c.set_read_timeout(2, 0);
            std::string buffer;
            bool counted = false;
            while (!done) {
                c.Get("/api/v1/events", {{"Authorization", "Bearer demo-display-token"}}, [&](const char* d, std::size_t n) {
                    if (!counted) { counted = true; ++connected; }
                    buffer.append(d, n);
                    std::size_t end;
                    while ((end = buffer.find("\n\n")) != std::string::npos) {
                        std::string msg = buffer.substr(0, end);
                        buffer.erase(0, end + 2);
                        if (msg.find("event: ticket.called") == std::string::npos) continue;
                        auto data = Json::parse(msg.substr(msg.find("data: ") + 6), nullptr, false);
                        if (data.is_discarded()) continue;
                        const auto now = Clock::now();
                        std::lock_guard l(mutex);
                        received.emplace_back(data["call"]["number"].get<std::string>(), now);
                    }
                    return !done.load();
                });
            }
        });
    while (connected < streams) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    httplib::Client staff("127.0.0.1", server.port);
    staff.set_tcp_nodelay(true);
    auto login = staff.Post("/api/v1/login", R"({"username":"demo","password":"demo-demo-demo"})", "application/json");
    const std::string token = Json::parse(login->body)["token"];
    httplib::Headers sh = {{"Authorization", "Bearer " + token}};
    staff.Post("/api/v1/counters/b6/open", sh, "", "application/json");
    std::vector<double> nextMs;
    for (int i = 0; i < calls; ++i) {
        auto t = Clock::now();
        // The number is known only from the answer, so stamp by the time the request was sent.
        auto r = staff.Post("/api/v1/counters/b6/next", sh, "", "application/json");
        if (!r || r->status != 200) { std::fprintf(stderr, "next failed: %d\n", r ? r->status : -1); break; }
        auto j = Json::parse(r->body);
        nextMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
        {
            std::lock_guard l(mutex);
            sentAt[j["ticket"]["number"]] = t;
        }
        staff.Post(("/api/v1/tickets/" + j["ticket"]["id"].dump() + "/complete").c_str(), sh, R"({"outcome":"handled"})", "application/json");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    done = true;
    for (auto& t : readers) t.join();
    std::vector<double> lat;
    {
        std::lock_guard l(mutex);
        for (const auto& [number, at] : received)
            if (auto it = sentAt.find(number); it != sentAt.end())
                lat.push_back(std::chrono::duration<double, std::milli>(at - it->second).count());
    }
    std::printf("calls: %d with %d event streams; events received: %zu (expected up to %d)\n", calls, streams, lat.size(), calls * streams);
    std::printf("call-to-event latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", percentile(lat, 0.5), percentile(lat, 0.99),
                lat.empty() ? 0.0 : *std::max_element(lat.begin(), lat.end()));
    std::printf("\"next\" round trip: p50 %.2f ms, p99 %.2f ms\n", percentile(nextMs, 0.5), percentile(nextMs, 0.99));
    std::printf("RSS now: %ld KiB, peak (VmHWM): %ld KiB\n", statusKb(server.pid, "VmRSS:"), statusKb(server.pid, "VmHWM:"));

    loket::bench::stopServer(server);
    std::filesystem::remove_all(dir);
    return 0;
}
