// loket-bench-kiosk — what an idle kiosk costs and how fast a touch becomes a printed ticket,
// online and offline, in one run.
//  1. Idle: loket-kiosk headless on its welcome screen against a real loket-server, sampled from
//     /proc for `--idle-seconds` (0 skips it): CPU share and resident memory.
//  2. Touch to printed ticket, online then offline, on one kiosk process with offline check-in on
//     (its SQLite journal) and the file printer (the ticket's file written and closed): a headless
//     script takes `--tickets` walk-ins with the server there (check-in over HTTP with its
//     idempotency key, layout, ESC/POS, file), waits while the bench checks that the kiosk holds
//     its leases (its heartbeat says offline_ready) and kills the server (-9), then takes
//     `--tickets` more from the leased blocks (journal commit with fsync first, then the print).
//     The services rotate over the hall's walk-in services, so the blocks (at least 10 numbers
//     each) last: every offline ticket has a number.
// Prints a Markdown table for docs/benchmarks.md.
#include "shared/net/http_client.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct Child {
    pid_t pid = -1;
    fs::path log;
};

Child spawn(std::vector<std::string> args, const fs::path& log) {
    Child c;
    c.log = log;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&c.pid, args[0].c_str(), &actions, nullptr, argv.data(), environ) != 0) c.pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    return c;
}

void kill9(Child& c) {
    if (c.pid <= 0) return;
    kill(c.pid, SIGKILL);
    waitpid(c.pid, nullptr, 0);
    c.pid = -1;
}

void stop(Child& c) {
    if (c.pid <= 0) return;
    kill(c.pid, SIGTERM);
    waitpid(c.pid, nullptr, 0);
    c.pid = -1;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// utime + stime of a process in clock ticks.
long cpuTicks(pid_t pid) {
    std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) utime = std::stol(field);
        if (i == 15) stime = std::stol(field);
    }
    return utime + stime;
}

long rssKb(pid_t pid) {
    std::istringstream in(slurp("/proc/" + std::to_string(pid) + "/status"));
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

double maximum(const std::vector<double>& v) { return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()); }

std::vector<double> slice(const std::vector<double>& v, std::size_t from, std::size_t count) {
    if (from >= v.size()) return {};
    return {v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(std::min(v.size(), from + count))};
}

// The hall's walk-in services, in the order of the file (the offline tickets rotate over them).
const std::vector<std::string> kWalkInServices{"paspoort", "ophalen", "rijbewijs", "verhuizing", "uittreksel", "geboorte", "overig"};

// Whether the server's device list says kiosk-1 holds its leases (the heartbeat's offline_ready).
bool kioskOfflineReady(const std::string& url) {
    loket::net::HttpClient http(loket::net::HttpOptions{url, "demo-admin-token"});
    auto reply = http.get("/api/v1/devices");
    if (!reply) return false;
    const auto devices = nlohmann::json::parse(reply->body, nullptr, false);
    if (!devices.is_array()) return false;
    for (const auto& d : devices)
        if (d.value("id", "") == "kiosk-1" && d.contains("detail") && d["detail"].is_object() && d["detail"].value("offline_ready", false))
            return true;
    return false;
}

std::string cell(const std::vector<double>& v, double p) {
    if (v.empty()) return "–";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f ms", p < 0 ? maximum(v) : percentile(v, p));
    return text;
}

// One table row: p is the percentile (0.5, 0.95), or -1 for the maximum.
void row(const char* what, const std::vector<double>& online, const std::vector<double>& offline, double p, const char* aim) {
    std::printf("| %s | %s | %s | %s |\n", what, cell(online, p).c_str(), cell(offline, p).c_str(), aim);
}

} // namespace

int main(int argc, char** argv) {
    int idleSeconds = 20, tickets = 50;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--idle-seconds")) idleSeconds = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--tickets")) tickets = std::atoi(argv[i + 1]);
    }
    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    setenv("SDL_AUDIODRIVER", "dummy", 0);
    const fs::path dir = fs::temp_directory_path() / ("loket-bench-kiosk-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const fs::path source = LOKET_SOURCE_DIR;

    Child server = spawn({LOKET_SERVER_BIN, "--config", (source / "firmware-config/hall.example.toml").string(), "--db",
                          (dir / "hall.db").string(), "--listen", "127.0.0.1:0"},
                         dir / "server.log");
    int port = 0;
    for (int i = 0; i < 500 && port == 0; ++i) {
        std::this_thread::sleep_for(10ms);
        const std::string out = slurp(dir / "server.log");
        if (auto at = out.find("listening on http://127.0.0.1:"); at != std::string::npos)
            port = std::atoi(out.c_str() + at + std::strlen("listening on http://127.0.0.1:"));
    }
    if (port == 0) {
        std::cerr << "the server did not start:\n" << slurp(dir / "server.log");
        return 1;
    }
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    const fs::path printed = dir / "printed";
    fs::create_directories(printed);
    std::ostringstream base;
    base << "[server]\nurl = \"" << url << "\"\ndevice_token = \"demo-kiosk-token\"\n"
         << "[printer]\nprofile = \"" << (source / "firmware-config/printers/epson-tm-t20iii.toml").string()
         << "\"\ntransport = \"file:" << printed.string() << "/\"\n"
         << "[hall]\nassets_dir = \"" << (source / "assets").string() << "\"\n";
    // Idle: the kiosk as shipped. The ticket run: offline check-in on, and a heartbeat a second
    // (so the bench sees at once that the kiosk holds its leases).
    const fs::path config = dir / "kiosk.toml", idleConfig = dir / "kiosk-idle.toml";
    std::ofstream(idleConfig) << base.str();
    std::ofstream(config) << base.str() << "[timing]\nheartbeat_s = 1\n[offline]\njournal = \"" << (dir / "journal.sqlite").string() << "\"\n";

    // 1. Idle.
    double cpuPercent = 0;
    long maxRss = 0;
    if (idleSeconds > 0) {
    Child idle = spawn({LOKET_KIOSK_BIN, "--config", idleConfig.string(), "--headless", "--screens-dir", (dir / "screens").string()},
                       dir / "kiosk-idle.log");
    std::this_thread::sleep_for(3s); // start-up (fonts, first frame, first heartbeat) is not idling
    const long hz = sysconf(_SC_CLK_TCK);
    const long before = cpuTicks(idle.pid);
    const auto t0 = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(idleSeconds)) {
        maxRss = std::max(maxRss, rssKb(idle.pid));
        std::this_thread::sleep_for(250ms);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    cpuPercent = 100.0 * static_cast<double>(cpuTicks(idle.pid) - before) / static_cast<double>(hz) / seconds;
    stop(idle);
    }

    // 2. Touch to printed ticket: online, then (server killed) offline.
    auto walkIns = [&](std::ostringstream& out, int offset) {
        for (int i = 0; i < tickets; ++i)
            out << "tap choose_walk_in\ntap choose_service " << kWalkInServices[static_cast<std::size_t>(offset + i) % kWalkInServices.size()]
                << "\ntap confirm_service\nwait-screen ticket 10000\nwait-printed 10000\ntap done\nwait-screen welcome 10000\n";
    };
    std::ostringstream script;
    script << "wait-screen welcome 20000\n";
    walkIns(script, 0);
    script << "mark online\nawait offline 60000\n";
    walkIns(script, 0);
    script << "report " << (dir / "report.json").string() << "\n";
    std::ofstream(dir / "tickets.script") << script.str();
    const fs::path marks = dir / "marks";
    fs::create_directories(marks); // the script's `mark` writes here
    Child run = spawn({LOKET_KIOSK_BIN, "--config", config.string(), "--headless", "--no-speech", "--script",
                       (dir / "tickets.script").string(), "--screenshots", marks.string()},
                      dir / "kiosk-run.log");
    auto waitFor = [](auto&& condition, std::chrono::seconds timeout) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (!condition()) {
            if (std::chrono::steady_clock::now() >= until) return false;
            std::this_thread::sleep_for(20ms);
        }
        return true;
    };
    const bool onlineDone = waitFor([&] { return fs::exists(marks / "online.mark"); }, std::chrono::seconds(30 + tickets * 5));
    const bool leased = onlineDone && waitFor([&] { return kioskOfflineReady(url); }, 30s);
    kill9(server); // the server is gone: every further ticket comes from the kiosk's leases
    if (leased) std::ofstream(marks / "offline.mark") << "1\n";
    int status = 0;
    if (leased) waitpid(run.pid, &status, 0);
    else stop(run);
    run.pid = -1;
    const std::string report = slurp(dir / "report.json");
    if (report.empty()) {
        std::cerr << (leased ? "the ticket script failed:\n" : "the kiosk did not get its leases:\n") << slurp(dir / "kiosk-run.log");
        return 1;
    }
    const auto j = nlohmann::json::parse(report);
    const auto all = j["touch_to_print_ms"].get<std::vector<double>>();
    const auto layout = j["layout_ms"].get<std::vector<double>>();
    const auto transport = j["transport_ms"].get<std::vector<double>>();
    const auto journal = j["journal_ms"].get<std::vector<double>>();
    const auto n = static_cast<std::size_t>(tickets);
    const auto online = slice(all, 0, n), offline = slice(all, n, n);
    std::size_t files = 0;
    for (const auto& f : fs::directory_iterator(printed))
        if (f.path().extension() == ".bin") ++files;

    std::printf("| measure | online | offline | aim |\n|---|---|---|---|\n");
    if (idleSeconds > 0) {
        std::printf("| idle CPU, welcome screen, %d s | %.2f %% | | ≤ 1 %% |\n", idleSeconds, cpuPercent);
        std::printf("| idle RSS (max) | %.1f MB | | ≤ 80 MB |\n", static_cast<double>(maxRss) / 1024.0);
    }
    std::printf("| tickets | %zu | %zu | |\n", online.size(), offline.size());
    row("touch → printed ticket, p50", online, offline, 0.5, "online ≤ 300 ms");
    row("touch → printed ticket, p95", online, offline, 0.95, "offline < 150 ms, same as online");
    row("touch → printed ticket, max", online, offline, -1, "");
    row("of which layout + ESC/POS, p95", slice(layout, 0, n), slice(layout, n, n), 0.95, "");
    row("of which file written and closed, p95", slice(transport, 0, n), slice(transport, n, n), 0.95, "");
    row("of which journal commit (fsync), p95", {}, journal, 0.95, "");
    row("journal commit, max", {}, journal, -1, "");
    std::printf("| printed files | %zu (both) | | = 2 × tickets |\n", files);
    std::error_code ec;
    fs::remove_all(dir, ec);
    return all.size() == 2 * n && files == 2 * n ? 0 : 1;
}
