// Issue 16's figure measured to the screens: a change on /beheer while the real loket-kiosk and
// loket-display run headless, until each program has drawn it. The kiosk says so through its
// script (wait-text, then a mark file); the display through its frame log (one JSON line per
// frame drawn). The test polls both and prints the latencies (docs/benchmarks.md); it asserts
// only that every change arrived — no timed assertion.
#include "child_process.hpp"
#include "tests/server/server_process.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using loket::kiosk::testing::ChildProcess;
using loket::kiosk::testing::readText;
using loket::kiosk::testing::waitForFile;
using loket::test::ApiClient;
using loket::test::Json;
using loket::test::ServerProcess;
using loket::test::TempDir;
using namespace std::chrono_literals;

namespace {

const fs::path kSource = LOKET_SOURCE_DIR;
const std::vector<std::string> kEnv{"SDL_VIDEODRIVER=offscreen", "SDL_AUDIODRIVER=dummy"};
constexpr int kBannerRounds = 10;
constexpr int kBringRounds = 5;

std::string bannerText(int round) { return "Vandaag zijn wij om 12:00 gesloten (ronde " + std::to_string(round) + ")"; }
std::string bringText(int round) { return "Pasfoto en paspoort, ronde " + std::to_string(round); }

// Whether the display's frame log has a frame that shows `banner`.
bool displayDrew(const fs::path& frameLog, const std::string& banner) {
    std::istringstream lines(readText(frameLog));
    for (std::string line; std::getline(lines, line);) {
        const Json frame = Json::parse(line, nullptr, false);
        if (!frame.is_discarded() && frame.value("banner", "") == banner) return true;
    }
    return false;
}

std::string describe(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    char line[128];
    std::snprintf(line, sizeof line, "n %zu, p50 %.0f ms, p95 %.0f ms, max %.0f ms", ms.size(), ms[ms.size() / 2],
                  ms[std::min(ms.size() - 1, ms.size() * 95 / 100)], ms.back());
    return line;
}

} // namespace

TEST_CASE("beheer: a change reaches the running kiosk's and display's screens (latency printed)") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const fs::path shots = dir.path() / "kiosk";
    fs::create_directories(shots);
    const fs::path kioskConfig = dir.path() / "kiosk.toml";
    std::ofstream(kioskConfig) << "[server]\nurl = \"" << server.url() << "\"\ndevice_token = \"demo-kiosk-token\"\n"
                               << "[printer]\nprofile = \"" << (kSource / "firmware-config/printers/epson-tm-t20iii.toml").string()
                               << "\"\ntransport = \"file:/dev/null\"\n"
                               << "[screen]\nwidth_px = 1080\nheight_px = 1920\ndiagonal_inch = 21.5\n[timing]\nheartbeat_s = 1\n"
                               << "[hall]\nname = \"Gemeente Rijnwaarde\"\nassets_dir = \"" << (kSource / "assets").string() << "\"\n";
    // Each round: say "waiting", run until the new text is drawn, say "seen".
    std::ostringstream script;
    script << "wait-screen welcome 30000\nwait-services 20000\nmark ready\n";
    for (int i = 1; i <= kBannerRounds; ++i)
        script << "mark waiting-banner-" << i << "\nwait-text 20000 " << bannerText(i) << "\nmark seen-banner-" << i << "\n";
    script << "tap choose_walk_in\nwait-screen services\ntap choose_service paspoort\nwait-screen service_confirm\n";
    for (int i = 1; i <= kBringRounds; ++i)
        script << "mark waiting-bring-" << i << "\nwait-text 20000 " << bringText(i) << "\nmark seen-bring-" << i << "\n";
    std::ofstream(dir.path() / "live.script") << script.str();
    ChildProcess kiosk({LOKET_KIOSK_BIN, "--config", kioskConfig.string(), "--headless", "--script", (dir.path() / "live.script").string(),
                        "--screenshots", shots.string()},
                       dir.path(), kEnv);
    const fs::path frameLog = dir.path() / "display-frames.jsonl";
    ChildProcess display({LOKET_DISPLAY_BIN, "--config", (kSource / "firmware-config/display.example.toml").string(), "--server", server.url(),
                          "--token", "demo-display-token", "--assets", (kSource / "assets").string(), "--headless", "--screenshots",
                          (dir.path() / "display").string(), "--frame-log", frameLog.string(), "--no-sound"},
                         dir.path(), kEnv);
    INFO(kiosk.output());
    INFO(display.output());
    REQUIRE(waitForFile(shots / "ready.mark", 30s));
    // The display is up once it drew the hall with the hall's name (its first frames may be "connecting").
    ApiClient admin(server, "demo-admin-token");
    REQUIRE(admin.post("/api/v1/configuration", {{"type", "banner.set"}, {"text", {{"nl", "Welkom"}}}}).status == 200);
    const auto upBy = std::chrono::steady_clock::now() + 30s;
    while (!displayDrew(frameLog, "Welkom") && std::chrono::steady_clock::now() < upBy) std::this_thread::sleep_for(5ms);
    REQUIRE(displayDrew(frameLog, "Welkom"));

    auto msSince = [](std::chrono::steady_clock::time_point t) {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
    };
    std::vector<double> kioskBanner, displayBanner, kioskBring;
    for (int i = 1; i <= kBannerRounds; ++i) {
        REQUIRE(waitForFile(shots / ("waiting-banner-" + std::to_string(i) + ".mark"), 20s));
        const auto sent = std::chrono::steady_clock::now();
        REQUIRE(admin.post("/api/v1/configuration", {{"type", "banner.set"}, {"text", {{"nl", bannerText(i)}}}}).status == 200);
        std::optional<double> k, d;
        const auto deadline = sent + 20s;
        while ((!k || !d) && std::chrono::steady_clock::now() < deadline) {
            if (!k && fs::exists(shots / ("seen-banner-" + std::to_string(i) + ".mark"))) k = msSince(sent);
            if (!d && displayDrew(frameLog, bannerText(i))) d = msSince(sent);
            std::this_thread::sleep_for(1ms);
        }
        INFO("round " << i);
        REQUIRE(k);
        REQUIRE(d);
        kioskBanner.push_back(*k);
        displayBanner.push_back(*d);
    }
    for (int i = 1; i <= kBringRounds; ++i) {
        REQUIRE(waitForFile(shots / ("waiting-bring-" + std::to_string(i) + ".mark"), 20s));
        const auto sent = std::chrono::steady_clock::now();
        REQUIRE(admin.post("/api/v1/configuration", {{"type", "service.set"}, {"service", {{"id", "paspoort"}, {"bring", {{"nl", bringText(i)}}}}}})
                    .status == 200);
        REQUIRE(waitForFile(shots / ("seen-bring-" + std::to_string(i) + ".mark"), 20s));
        kioskBring.push_back(msSince(sent));
    }
    REQUIRE(kiosk.wait(30s) == 0);
    display.terminate();
    std::printf("screens figure: banner on the kiosk %s; banner on the display %s; 'what to bring' on the kiosk %s\n",
                describe(kioskBanner).c_str(), describe(displayBanner).c_str(), describe(kioskBring).c_str());
    CHECK(kioskBanner.size() == kBannerRounds);
    CHECK(displayBanner.size() == kBannerRounds);
    CHECK(kioskBring.size() == kBringRounds);
}
