// loket-display: the hall display program. Parses the command line and wires DisplayApp.
//   loket-display [--config FILE] [--server URL] [--token T] [--state-dir DIR] [--assets DIR]
//                 [--headless [--screenshots DIR] [--screenshot-every S]] [--exit-after S]
//                 [--announce-log FILE] [--frame-log FILE] [--no-sound]
#include "display/display_app.hpp"
#include "shared/paths/state_path.hpp"

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <string>

namespace {

// Set by SIGINT/SIGTERM; the only global, as signal handlers allow nothing else.
std::atomic<bool> g_quit{false};
void onSignal(int) { g_quit = true; }

// A duration in seconds: a number, 0 or more.
const CLI::Validator kSeconds(
    [](std::string& text) -> std::string {
        try {
            std::size_t used = 0;
            const double v = std::stod(text, &used);
            if (used == text.size() && v >= 0) return {};
        } catch (const std::exception&) {
        }
        return "needs seconds (a number, 0 or more), not \"" + text + "\"";
    },
    "SECONDS");

} // namespace

int main(int argc, char** argv) {
    loket::display::DisplayOptions options;
    CLI::App cli{"loket-display: the hall display (called numbers, spoken calls)", "loket-display"};
    cli.add_option("--config", options.config, "display config (TOML)")->capture_default_str();
    cli.add_option("--server", options.server, "hall server URL, or several instances' URLs separated by commas (overrides the config)");
    cli.add_option("--token", options.token, "device token (overrides the config)");
    std::filesystem::path stateDir;
    cli.add_option("--state-dir", stateDir, "where a display without a token keeps the credential it gets by pairing");
    cli.add_option("--assets", options.assets, "assets folder with lang/ (overrides the config)");
    cli.add_flag("--headless", options.headless, "draw into memory, no window; write screenshots");
    cli.add_option("--screenshots", options.screenshots, "headless: folder for current.png (default var/screens)");
    cli.add_option("--screenshot-every", options.screenshotEveryS, "headless: seconds between screenshots")
        ->check(kSeconds)
        ->capture_default_str();
    cli.add_option("--exit-after", options.exitAfterS, "stop after this many seconds (0: run until stopped)")->check(kSeconds);
    cli.add_option("--announce-log", options.announceLog, "append every announcement to this file");
    cli.add_option("--frame-log", options.frameLog, "append one JSON line per frame drawn (frame number, banner)");
    bool noSound = false;
    cli.add_flag("--no-sound", noSound, "no chime and no speech");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return cli.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "loket-display: %s\n%s", e.what(), cli.help().c_str());
        return 2;
    }
    options.sound = !noSound;
    if (stateDir.empty()) stateDir = loket::paths::statePath("loket-display", "var/state/loket-display");
    options.credentialFile = stateDir / "credential.json";

    std::signal(SIGINT, onSignal); // before SDL starts, so SDL leaves them to us
    std::signal(SIGTERM, onSignal);
    auto app = loket::display::DisplayApp::create(options);
    if (!app) {
        std::fprintf(stderr, "loket-display: %s\n", app.error().message.c_str());
        return 2;
    }
    return (*app)->run(g_quit);
}
