// loket-kiosk: the check-in kiosk. Parses the command line and wires the config to the App — in
// a window, or headless (software rendering, no display) with a script or writing its screen to
// a folder.
//   loket-kiosk [--config FILE] [--server URL] [--token T] [--state-dir DIR] [--printer SPEC] [--assets DIR]
//               [--windowed] [--no-speech]
//               [--headless [--script FILE --screenshots DIR | --screens-dir DIR]]
#include "app.hpp"
#include "script.hpp"
#include "shared/paths/data_path.hpp"
#include "shared/paths/state_path.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
    using namespace loket::kiosk;
    std::filesystem::path configFile = "firmware-config/kiosk.example.toml";
    std::filesystem::path script, screenshots, screensDir, stateDir;
    std::optional<std::string> server, token, printer, assets;
    bool headless = false, windowed = false, noSpeech = false;

    CLI::App cli{"loket-kiosk: the check-in kiosk", "loket-kiosk"};
    cli.add_option("--config", configFile, "kiosk config (TOML)")->capture_default_str();
    cli.add_option("--server", server, "hall server URL, or several instances' URLs separated by commas (overrides the config)");
    cli.add_option("--token", token, "device token (overrides the config)");
    cli.add_option("--state-dir", stateDir, "where a kiosk without a token keeps the credential it gets by pairing");
    cli.add_option("--printer", printer, "printer transport: file:DIR/, tcp:HOST:PORT or device:PATH (overrides the config)");
    cli.add_option("--assets", assets, "assets folder with lang/ (overrides the config)");
    cli.add_flag("--windowed", windowed, "a window instead of full screen");
    cli.add_flag("--no-speech", noSpeech, "no read-aloud at all (benchmarks)");
    auto* headlessFlag = cli.add_flag("--headless", headless, "draw into memory, no window");
    cli.add_option("--script", script, "headless: run these steps and exit (see kiosk/script.hpp)")->needs(headlessFlag);
    cli.add_option("--screenshots", screenshots, "with --script: folder for `shot` steps; without: like --screens-dir");
    cli.add_option("--screens-dir", screensDir, "headless: write the current screen to DIR/kiosk.png every few seconds");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return cli.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "loket-kiosk: " << e.what() << "\n" << cli.help();
        return 2;
    }
    // Without a script, --screenshots names where the current screen goes (as ./run.sh uses it).
    if (headless && script.empty() && screensDir.empty()) screensDir = screenshots.empty() ? "var/screens" : screenshots;

    auto config = loadKioskConfig(configFile);
    if (!config) {
        std::cerr << "loket-kiosk: " << config.error().message << "\n";
        return 1;
    }
    if (server) {
        loket::config::ServerAddress first{config->serverUrl, config->caFile, config->pinnedPublicKey};
        if (auto st = loket::config::overrideServers(*server, first, config->moreServers); !st) {
            std::cerr << "loket-kiosk: " << st.error().message << "\n";
            return 2;
        }
        config->serverUrl = first.url;
    }
    if (token) config->deviceToken = *token;
    if (printer) config->printerTransport = *printer;
    if (assets) config->assetsDir = *assets;
    // The default "assets" means Loket's own: /usr/share/loket/assets when installed.
    if (config->assetsDir == "assets") config->assetsDir = loket::paths::dataPath("assets", "assets");
    if (windowed) config->screen.fullscreen = false;

    std::vector<ScriptStep> steps;
    if (!script.empty()) {
        auto parsed = loadScript(script);
        if (!parsed) {
            std::cerr << "loket-kiosk: " << parsed.error().message << "\n";
            return 2;
        }
        steps = std::move(*parsed);
    }
    AppOptions options;
    options.config = *config;
    options.headless = headless;
    options.speech = !noSpeech;
    options.screenshotDir = screenshots;
    options.screensDir = screensDir;
    if (stateDir.empty()) stateDir = loket::paths::statePath("loket-kiosk", "var/state/loket-kiosk");
    options.credentialFile = stateDir / "credential.json";
    auto app = App::create(options);
    if (!app) {
        std::cerr << "loket-kiosk: " << app.error().message << "\n";
        return 1;
    }
    if (!script.empty()) {
        if (auto st = runScript(**app, steps, screenshots); !st) {
            std::cerr << "loket-kiosk: " << st.error().message << "\n";
            return 1;
        }
        return 0;
    }
    std::cout << "loket-kiosk: running against " << config->serverUrl << (headless ? " (headless)" : "") << std::endl;
    return (*app)->run();
}
