// loket-bench-kiosk — what an idle kiosk costs and how fast a touch becomes a ticket.
//  1. Idle: loket-kiosk headless on its welcome screen against a real loket-server, sampled from
//     /proc for `--idle-seconds`: CPU share and resident memory.
//  2. Touch to ticket: a headless script takes `--tickets` walk-in tickets; each time runs from the
//     touch on "Nummer nemen" to the printer having taken the job (virtual TCP printer on
//     loopback), which includes the check-in over HTTP, the layout, ESC/POS and the transport.
// Prints a Markdown table for docs/benchmarks.md.
#include "shared/ticket/virtual_printer.hpp"

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
    auto printer = loket::ticket::VirtualPrinter::start({});
    if (!printer) {
        std::cerr << "no virtual printer: " << printer.error().message << "\n";
        return 1;
    }
    const fs::path config = dir / "kiosk.toml";
    std::ofstream(config) << "[server]\nurl = \"http://127.0.0.1:" << port << "\"\ndevice_token = \"demo-kiosk-token\"\n"
                          << "[printer]\nprofile = \"" << (source / "firmware-config/printers/epson-tm-t20iii.toml").string()
                          << "\"\ntransport = \"" << (*printer)->spec() << "\"\n"
                          << "[hall]\nassets_dir = \"" << (source / "assets").string() << "\"\n";

    // 1. Idle.
    Child idle = spawn({LOKET_KIOSK_BIN, "--config", config.string(), "--headless", "--screens-dir", (dir / "screens").string()},
                       dir / "kiosk-idle.log");
    std::this_thread::sleep_for(3s); // start-up (fonts, first frame, first heartbeat) is not idling
    const long hz = sysconf(_SC_CLK_TCK);
    const long before = cpuTicks(idle.pid);
    const auto t0 = std::chrono::steady_clock::now();
    long maxRss = 0;
    while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(idleSeconds)) {
        maxRss = std::max(maxRss, rssKb(idle.pid));
        std::this_thread::sleep_for(250ms);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpuPercent = 100.0 * static_cast<double>(cpuTicks(idle.pid) - before) / static_cast<double>(hz) / seconds;
    stop(idle);

    // 2. Touch to ticket.
    std::ostringstream script;
    for (int i = 0; i < tickets; ++i)
        script << "tap choose_walk_in\ntap choose_service ophalen\ntap confirm_service\nwait-screen ticket 10000\n"
               << "wait-printed 10000\ntap done\nwait-screen welcome\n";
    script << "report " << (dir / "report.json").string() << "\n";
    std::ofstream(dir / "tickets.script") << script.str();
    Child run = spawn({LOKET_KIOSK_BIN, "--config", config.string(), "--headless", "--no-speech", "--script",
                       (dir / "tickets.script").string(), "--screenshots", (dir / "shots").string()},
                      dir / "kiosk-run.log");
    int status = 0;
    waitpid(run.pid, &status, 0);
    run.pid = -1;
    const std::string report = slurp(dir / "report.json");
    if (report.empty()) {
        std::cerr << "the ticket script failed:\n" << slurp(dir / "kiosk-run.log");
        stop(server);
        return 1;
    }
    std::vector<double> ms = nlohmann::json::parse(report)["touch_to_print_ms"].get<std::vector<double>>();
    const std::size_t printedJobs = (*printer)->jobs().size();
    stop(server);

    std::printf("| measure | value | aim |\n|---|---|---|\n");
    std::printf("| idle CPU, welcome screen, %d s | %.2f %% | ≤ 1 %% |\n", idleSeconds, cpuPercent);
    std::printf("| idle RSS (max) | %.1f MB | ≤ 80 MB |\n", static_cast<double>(maxRss) / 1024.0);
    std::printf("| touch → printer has the ticket, p50 (%zu tickets) | %.1f ms | ≤ 300 ms |\n", ms.size(), percentile(ms, 0.5));
    std::printf("| touch → printer has the ticket, p95 | %.1f ms | |\n", percentile(ms, 0.95));
    std::printf("| touch → printer has the ticket, max | %.1f ms | |\n", ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()));
    std::printf("| jobs the virtual printer received | %zu | = tickets |\n", printedJobs);
    std::error_code ec;
    fs::remove_all(dir, ec);
    return ms.size() == static_cast<std::size_t>(tickets) ? 0 : 1;
}
