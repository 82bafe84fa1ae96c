// Display benchmark (docs/benchmarks.md, "Hall display"):
//  1. Staff "next" → view-model updated on every display: p50/p99 over N calls with D displays
//     connected to a real loket-server on loopback (each display is a DisplaySession with its own
//     main loop thread, as in loket-display).
//  2. Idle CPU and memory of one loket-display process (headless, sound on the dummy driver).
// Usage: loket_display_bench [--calls 1000] [--displays 20] [--idle-seconds 10]
#include "display/display_session.hpp"
#include "shared/net/http_client.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <sys/wait.h>

using namespace loket;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

double nowS() { return std::chrono::duration<double>(Clock::now().time_since_epoch()).count(); }

// A child process started through `sh -c 'echo $$; exec …'`, so we learn its pid and its first line.
struct Child {
    int pid = -1;
    std::string firstLine;
    FILE* out = nullptr;
    explicit Child(const std::string& command) {
        out = popen(("echo $$; exec " + command).c_str(), "r");
        char line[512];
        if (out && std::fgets(line, sizeof line, out)) pid = std::atoi(line);
        if (out && std::fgets(line, sizeof line, out)) firstLine = line;
    }
    ~Child() {
        if (pid > 0) ::kill(pid, SIGTERM);
        if (out) pclose(out);
    }
};

struct Ticks {
    double cpuS = 0;
    long rssKb = 0;
};
Ticks sample(int pid) {
    Ticks t;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string f;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
        if (i == 14) utime = std::stol(f);
        if (i == 15) stime = std::stol(f);
    }
    t.cpuS = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) t.rssKb = std::stol(line.substr(6));
    return t;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

struct BenchDisplay {
    display::DisplaySession session;
    std::thread loop;
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::string shown; // newest number in the view-model
    double shownAt = 0;
    BenchDisplay(const signage::DisplayConfig& config, std::map<std::string, i18n::Catalog> catalogs)
        : session(config, std::move(catalogs), nowS()) {
        session.start();
        loop = std::thread([this] {
            while (!stop) {
                session.waitForMessages(std::chrono::milliseconds(250));
                const double t = nowS();
                session.update(t, std::time(nullptr));
                auto vm = session.view(t, "");
                (void)session.takeUtterances();
                std::lock_guard lock(mutex);
                std::string number = vm.newest ? vm.newest->number : "";
                if (number != shown) {
                    shown = number;
                    shownAt = nowS();
                }
            }
        });
    }
    ~BenchDisplay() {
        stop = true;
        loop.join();
        session.stop();
    }
};

} // namespace

int main(int argc, char** argv) {
    int calls = 1000, displays = 20;
    double idleSeconds = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--calls")) calls = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--displays")) displays = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--idle-seconds")) idleSeconds = std::atof(argv[i + 1]);
    }
    const auto dir = std::filesystem::temp_directory_path() / ("loket-display-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string source = LOKET_SOURCE_DIR;
    Child server(std::string(LOKET_SERVER_BIN) + " --config " + source + "/firmware-config/hall.example.toml --db " +
                 (dir / "hall.db").string() + " --listen 127.0.0.1:0 --threads 64 2>/dev/null");
    const auto at = server.firstLine.find("127.0.0.1:");
    if (at == std::string::npos) {
        std::fprintf(stderr, "the server did not start\n");
        return 1;
    }
    const std::string url = "http://127.0.0.1:" + std::to_string(std::atoi(server.firstLine.c_str() + at + 10));

    net::HttpClient kiosk(net::HttpOptions{url, "demo-kiosk-token"});
    net::HttpClient staff(net::HttpOptions{url, ""});
    auto login = staff.post("/api/v1/login", R"({"username":"demo","password":"demo-demo-demo"})");
    if (!login) return std::fprintf(stderr, "login: %s\n", login.error().message.c_str()), 1;
    staff.setToken(json::parse(login->body)["token"]);
    if (!staff.post("/api/v1/counters/b3/open", "{}")) return 1;
    const char* services[] = {"paspoort", "ophalen", "rijbewijs", "uittreksel"};
    for (int i = 0; i < calls; ++i)
        if (!kiosk.post("/api/v1/tickets", json{{"service", services[i % 4]}}.dump(), {net::makeIdempotencyKey()}))
            return std::fprintf(stderr, "issue failed\n"), 1;

    auto catalogs = display::loadDisplayCatalogs(source + "/assets", {"nl", "en"});
    signage::DisplayConfig config;
    config.serverUrl = url;
    config.token = "demo-display-token";
    std::vector<std::unique_ptr<BenchDisplay>> screens;
    for (int i = 0; i < displays; ++i) screens.push_back(std::make_unique<BenchDisplay>(config, *catalogs));
    for (auto& s : screens)
        while (!s->session.model().initialised()) std::this_thread::sleep_for(std::chrono::milliseconds(5));

    std::vector<double> latenciesMs;
    latenciesMs.reserve(static_cast<std::size_t>(calls * displays));
    for (int i = 0; i < calls; ++i) {
        const double t0 = nowS();
        auto next = staff.post("/api/v1/counters/b3/next", "{}");
        if (!next || next->status != 200) return std::fprintf(stderr, "next failed at call %d\n", i), 1;
        auto ticket = json::parse(next->body)["ticket"];
        const std::string number = ticket["number"];
        for (auto& s : screens) {
            for (;;) {
                {
                    std::lock_guard lock(s->mutex);
                    if (s->shown == number) {
                        latenciesMs.push_back((s->shownAt - t0) * 1000);
                        break;
                    }
                }
                std::this_thread::sleep_for(std::chrono::microseconds(100));
                if (nowS() - t0 > 10) return std::fprintf(stderr, "display did not show %s\n", number.c_str()), 1;
            }
        }
        const std::string id = ticket["id"].is_string() ? ticket["id"].get<std::string>() : ticket["id"].dump();
        if (!staff.post("/api/v1/tickets/" + id + "/complete", R"({"outcome":"handled"})")) return 1;
    }
    std::printf("next → view-model updated, %d calls × %d displays: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", calls, displays,
                percentile(latenciesMs, 0.5), percentile(latenciesMs, 0.99), percentile(latenciesMs, 1.0));
    screens.clear();

    // One real display process, idle: a screen showing the hall, no calls coming in.
    Child display(std::string("env SDL_AUDIODRIVER=dummy ") + LOKET_DISPLAY_BIN + " --config " + source +
                  "/firmware-config/display.example.toml --assets " + source + "/assets --server " + url +
                  " --headless --screenshots " + (dir / "screens").string() + " 2>/dev/null");
    std::this_thread::sleep_for(std::chrono::seconds(3)); // start-up: fonts, first snapshot, first frame
    const Ticks before = sample(display.pid);
    std::this_thread::sleep_for(std::chrono::duration<double>(idleSeconds));
    const Ticks after = sample(display.pid);
    std::printf("idle loket-display (headless 1920x1080, sound on): CPU %.2f %% over %.0f s, RSS %.1f MB\n",
                100.0 * (after.cpuS - before.cpuS) / idleSeconds, idleSeconds, static_cast<double>(after.rssKb) / 1024.0);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return 0;
}
