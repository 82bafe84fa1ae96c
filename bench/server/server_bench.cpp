// loket-bench-server: starts the real server (Release build) on loopback with a fresh database
// and measures
//   1. durable check-ins per second (8, then 32 kiosks posting at once; each answer only after
//      its SQLite commit with synchronous=FULL), each on a fresh server,
//   2. call-to-event latency: staff "next" → the ticket.called event at each of 50 connected
//      event streams, p50 / p99 over 1,000 calls,
//   3. the server's resident memory (VmRSS and peak VmHWM),
//   4. group commit: the same check-in runs on tmpfs (/dev/shm), and the disk's raw rate of
//      one-row SQLite transactions (WAL, synchronous=FULL, one fsync each) just before and just
//      after each disk run, so each disk figure of 1. can be read as a share of the CPU-bound
//      rate and a multiple of the raw rate (medians of --repeat runs, 3 by default); then the
//      same for the highest rates (the capacity).
// For both check-in runs (tmpfs, disk) it also prints the server's CPU time per check-in (user
// and system, from /proc/PID/stat) and its context switches per check-in (voluntary and not,
// summed over /proc/PID/task/*): figures that hold whatever else the machine runs; and, from
// /metrics, the store commits and the commands per commit (the mean group size).
// Usage: loket-bench-server [--checkins N] [--calls N] [--streams N] [--kiosks N[,N...]] [--repeat N] [--server PATH]
#include "bench_support.hpp"
#include "lean_kiosk.hpp"

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
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h> // sysconf(_SC_CLK_TCK)
#include <vector>

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

namespace {
using loket::bench::percentile;
using loket::bench::statusKb;

// One-row transactions in a loop on `dir`'s filesystem for `seconds`, each committed with its own
// fsync, as the server's store is configured: what durability costs per commit without grouping.
// Timed rather than counted, because this VM's disk changes speed from one minute to the next: a
// reading of a second or more, taken just before and just after a disk phase, is what that phase
// is compared with.
double rawCommitsPerSecond(const std::filesystem::path& dir, double seconds) {
    const auto file = dir / "raw.db";
    sqlite3* db = nullptr;
    if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) return 0;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT);",
                 nullptr, nullptr, nullptr);
    const auto t0 = Clock::now();
    int n = 0;
    double s = 0;
    for (; s < seconds; s = std::chrono::duration<double>(Clock::now() - t0).count(), ++n)
        sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO t(body) VALUES('{\"ticket\":1}'); COMMIT;", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    std::filesystem::remove(file);
    std::filesystem::remove(dir / "raw.db-wal");
    std::filesystem::remove(dir / "raw.db-shm");
    return n / s;
}

// What the server process has used so far: CPU time in clock ticks (all its threads, those that
// ended included) and context switches of its live threads.
struct ProcessCost {
    long userTicks = 0;
    long systemTicks = 0;
    long voluntary = 0;
    long involuntary = 0;
    std::map<std::string, long> switchesByThread; // by thread name (request workers: "loket-server")
};

ProcessCost processCost(pid_t pid) {
    ProcessCost cost;
    const std::string proc = "/proc/" + std::to_string(pid);
    std::ifstream stat(proc + "/stat");
    std::string line;
    std::getline(stat, line);
    // The command name (field 2) may hold spaces: count fields from the last ')'. utime and
    // stime are fields 14 and 15, the 12th and 13th after it.
    if (const auto close = line.rfind(')'); close != std::string::npos) {
        std::istringstream fields(line.substr(close + 2));
        std::string skip;
        for (int i = 0; i < 11; ++i) fields >> skip;
        fields >> cost.userTicks >> cost.systemTicks;
    }
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator(proc + "/task", ec)) {
        std::ifstream status(task.path() / "status");
        std::string name;
        while (std::getline(status, line)) {
            if (line.rfind("Name:", 0) == 0) name = line.substr(line.find_first_not_of(" \t", 5));
            long n = 0;
            if (line.rfind("voluntary_ctxt_switches:", 0) == 0) cost.voluntary += n = std::atol(line.c_str() + 24);
            if (line.rfind("nonvoluntary_ctxt_switches:", 0) == 0) cost.involuntary += n = std::atol(line.c_str() + 27);
            cost.switchesByThread[name] += n;
        }
    }
    return cost;
}

// The server's CPU and context switches per check-in between two readings.
void printCost(const char* phase, const ProcessCost& before, const ProcessCost& after, int checkins) {
    const double tick = 1e6 / static_cast<double>(sysconf(_SC_CLK_TCK)); // µs
    const double n = checkins > 0 ? checkins : 1;
    const double user = static_cast<double>(after.userTicks - before.userTicks) * tick / n;
    const double system = static_cast<double>(after.systemTicks - before.systemTicks) * tick / n;
    const double voluntary = static_cast<double>(after.voluntary - before.voluntary) / n;
    const double involuntary = static_cast<double>(after.involuntary - before.involuntary) / n;
    std::printf("server cost per check-in on %s: CPU %.0f us (user %.0f, system %.0f), context switches %.2f (voluntary %.2f, "
                "involuntary %.2f)\n",
                phase, user + system, user, system, voluntary + involuntary, voluntary, involuntary);
    std::printf("  context switches per check-in by thread name:");
    for (const auto& [name, switches] : after.switchesByThread) {
        const auto was = before.switchesByThread.find(name);
        const long delta = switches - (was == before.switchesByThread.end() ? 0 : was->second);
        if (delta > 0) std::printf(" %s %.2f", name.c_str(), static_cast<double>(delta) / n);
    }
    std::printf("\n");
}

// The server's store commits and the commands they stored, from /metrics: their ratio is the
// mean group size.
struct Commits {
    double commits = 0, commands = 0;
};
Commits commitsOf(int port) {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Get("/metrics");
    Commits out;
    if (!r || r->status != 200) return out;
    auto value = [&](const std::string& family) {
        const auto at = r->body.find("\n" + family + " ");
        return at == std::string::npos ? 0.0 : std::atof(r->body.c_str() + at + family.size() + 2);
    };
    out.commits = value("loket_store_commits_total");
    out.commands = value("loket_store_committed_commands_total");
    return out;
}
void printGroups(const char* phase, const Commits& before, const Commits& after) {
    const double commits = after.commits - before.commits, commands = after.commands - before.commands;
    std::printf("  commits on %s: %.0f for %.0f commands, %.2f commands per commit\n", phase, commits, commands,
                commits > 0 ? commands / commits : 0.0);
}

// "8,16,32" → {8, 16, 32}; none when a part is not a positive count.
std::vector<int> countsFrom(const std::string& list) {
    std::vector<int> counts;
    std::istringstream in(list);
    for (std::string part; std::getline(in, part, ',');) {
        const int k = std::atoi(part.c_str());
        if (k <= 0) return {};
        counts.push_back(k);
    }
    return counts;
}

// `checkins` check-ins from `kiosks` kiosks at once, each a lean kiosk (lean_kiosk.hpp) with
// its own keep-alive connection and a retry key per check-in; returns the rate, counts failures.
double runCheckins(int port, int checkins, int kiosks, std::atomic<int>& failed) {
    const std::vector<std::string> services = {"paspoort", "ophalen", "rijbewijs", "verhuizing", "uittreksel", "geboorte", "overig"};
    std::atomic<int> next{0};
    auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (int k = 0; k < kiosks; ++k)
        threads.emplace_back([&, k] {
            loket::bench::LeanKiosk kiosk(port);
            for (int i; (i = next++) < checkins;) {
                const auto& service = services[static_cast<std::size_t>(i) % services.size()];
                if (kiosk.roundTrip(loket::bench::checkinRequest(service, "bench-" + std::to_string(k) + "-" + std::to_string(i))) != 201)
                    ++failed;
            }
        });
    for (auto& t : threads) t.join();
    return checkins / std::chrono::duration<double>(Clock::now() - t0).count();
}

// One check-in phase on a fresh server with its database at `db`: `checkins` check-ins from
// `kiosks` kiosks at once. Prints the rate, the server's cost per check-in and its groups, and
// returns the rate (0 when the server did not start). The server is stopped afterwards, unless
// `keep` takes it for what comes next.
double checkinPhase(const std::string& binary, const std::filesystem::path& db, const std::string& config, int checkins,
                    int kiosks, const char* medium, loket::bench::ServerProcess* keep = nullptr) {
    auto server = loket::bench::startServer(binary, db, config);
    if (!server.port) {
        std::fprintf(stderr, "server did not start on %s\n", db.c_str());
        return 0;
    }
    if (keep) std::printf("server %s, pid %d on port %d, database %s; idle RSS: %ld KiB\n", binary.c_str(), server.pid, server.port,
                          db.c_str(), statusKb(server.pid, "VmRSS:"));
    std::atomic<int> failed{0};
    const ProcessCost before = processCost(server.pid);
    const Commits commitsBefore = commitsOf(server.port);
    const double rate = runCheckins(server.port, checkins, kiosks, failed);
    const ProcessCost after = processCost(server.pid);
    const Commits commitsAfter = commitsOf(server.port);
    std::printf("check-ins on %s, %d kiosks: %d at %.0f/s (%d failed)\n", medium, kiosks, checkins, rate, failed.load());
    printCost(medium, before, after, checkins);
    printGroups(medium, commitsBefore, commitsAfter);
    if (keep) *keep = server;
    else loket::bench::stopServer(server);
    return rate;
}

// The aims of group commit (issue 11) for one pair of phases: the disk at least 90 % of tmpfs,
// and at least twice the raw rate read around the disk phase. Other work on the machine moves
// every figure, so the load average is printed beside them.
void printAims(const char* what, double tmpfs, double disk, double rawBefore, double rawAfter) {
    double load[3] = {0, 0, 0};
    (void)getloadavg(load, 3);
    const double share = 100.0 * disk / tmpfs, raw = (rawBefore + rawAfter) / 2, multiple = disk / raw;
    std::printf("group commit, %s: disk %.0f/s = %.1f%% of tmpfs %.0f/s (aim >= 90%%: %s), %.2fx the raw commit rate %.0f/s "
                "(%.0f before, %.0f after; aim >= 2x: %s), load average %.2f %.2f %.2f\n",
                what, disk, share, tmpfs, share >= 90 ? "met" : "NOT met", multiple, raw, rawBefore, rawAfter,
                multiple >= 2 ? "met" : "NOT met", load[0], load[1], load[2]);
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN); // a closed stream must not end the benchmark
    setvbuf(stdout, nullptr, _IOLBF, 0);
    int checkins = 4000, calls = 1000, streams = 50, repeat = 3;
    std::vector<int> kioskCounts = {8, 32};
    std::string binary = LOKET_SERVER_BIN;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--checkins")) checkins = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--calls")) calls = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--streams")) streams = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--kiosks") && (kioskCounts = countsFrom(argv[i + 1])).empty()) {
            std::fprintf(stderr, "--kiosks wants counts such as 8 or 8,16,32\n");
            return 2;
        }
        if (!std::strcmp(argv[i], "--server")) binary = argv[i + 1];
        if (!std::strcmp(argv[i], "--repeat")) repeat = std::max(1, std::atoi(argv[i + 1]));
    }
    // The database lives where LOKET_BENCH_DIR says (default: the temp folder), so the disk
    // that is measured is a choice.
    const char* base = std::getenv("LOKET_BENCH_DIR");
    auto dir = std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) / ("loket-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string config = std::string(LOKET_SOURCE_DIR) + "/firmware-config/hall.example.toml";
    std::printf("loket-bench-server: server %s, databases in %s, %d check-ins per phase\n", binary.c_str(), dir.c_str(), checkins);

    // 1 and 4. For each number of kiosks: the check-ins on tmpfs (the CPU-bound rate), the disk's
    // raw rate, the same check-ins on the disk, the raw rate again. Each phase has a fresh
    // server; the last disk phase's server stays for the calls and the memory figures.
    struct Level {
        int kiosks;
        double tmpfs, disk, rawBefore, rawAfter;
    };
    std::vector<Level> levels;
    loket::bench::ServerProcess server;
    // Each level runs `repeat` times in turn (tmpfs, raw, disk, raw) and keeps the medians: one
    // run of a few thousand check-ins lasts about a second, and this VM's cores and disk change
    // speed within seconds.
    const auto median = [](std::vector<double> v) { return percentile(std::move(v), 0.5); };
    for (std::size_t i = 0; i < kioskCounts.size(); ++i) {
        const int kiosks = kioskCounts[i];
        std::vector<double> tmpfs, disk, rawBefore, rawAfter;
        for (int r = 0; r < repeat; ++r) {
            const auto shm = std::filesystem::path("/dev/shm") / ("loket-bench-tmpfs-" + std::to_string(getpid()));
            if (std::filesystem::create_directories(shm) || std::filesystem::is_directory(shm)) {
                tmpfs.push_back(checkinPhase(binary, shm / "bench.db", config, checkins, kiosks, "tmpfs"));
                std::filesystem::remove_all(shm);
            }
            rawBefore.push_back(rawCommitsPerSecond(dir, 1.0));
            const bool last = i + 1 == kioskCounts.size() && r + 1 == repeat;
            const auto db = dir / ("bench-" + std::to_string(kiosks) + "-" + std::to_string(r) + ".db");
            disk.push_back(checkinPhase(binary, db, config, checkins, kiosks, "disk", last ? &server : nullptr));
            rawAfter.push_back(rawCommitsPerSecond(dir, 1.0));
            if (disk.back() <= 0) return 1;
            if (!last) {
                std::filesystem::remove(db);
                std::filesystem::remove(db.string() + "-wal");
                std::filesystem::remove(db.string() + "-shm");
            }
        }
        const Level level{kiosks, median(tmpfs), median(disk), median(rawBefore), median(rawAfter)};
        if (level.tmpfs > 0)
            printAims((std::to_string(kiosks) + " kiosks, median of " + std::to_string(repeat)).c_str(), level.tmpfs, level.disk,
                      level.rawBefore, level.rawAfter);
        levels.push_back(level);
    }
    // The server's capacity on each medium is its highest rate over the kiosk counts: a closed
    // loop of few kiosks measures how long one check-in takes rather than how many the server
    // can do, and on disk each check-in takes longer by its share of an fsync.
    if (levels.size() > 1 && levels.front().tmpfs > 0) {
        const auto byTmpfs = std::max_element(levels.begin(), levels.end(), [](auto& a, auto& b) { return a.tmpfs < b.tmpfs; });
        const auto byDisk = std::max_element(levels.begin(), levels.end(), [](auto& a, auto& b) { return a.disk < b.disk; });
        printAims(("capacity (highest rates: tmpfs with " + std::to_string(byTmpfs->kiosks) + " kiosks, disk with " +
                   std::to_string(byDisk->kiosks) + ")").c_str(),
                  byTmpfs->tmpfs, byDisk->disk, byDisk->rawBefore, byDisk->rawAfter);
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
