// loket-kiosk: the check-in kiosk. Wires the config to the App and runs it — in a window, or
// headless (software rendering, no display) with a script or writing its screen to a folder.
//   loket-kiosk [--config firmware-config/kiosk.example.toml] [--server URL] [--token T]
//               [--printer SPEC] [--assets DIR] [--windowed] [--no-speech]
//               [--headless [--script FILE --screenshots DIR | --screens-dir DIR]]
#include "app.hpp"
#include "script.hpp"
#include "shared/paths/data_path.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace {

int usage(const std::string& problem) {
    std::cerr << "loket-kiosk: " << problem << "\n"
              << "usage: loket-kiosk [--config FILE] [--server URL] [--token TOKEN] [--printer SPEC] [--assets DIR]\n"
              << "                   [--windowed] [--no-speech]\n"
              << "                   [--headless [--script FILE --screenshots DIR | --screens-dir DIR]]\n";
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    using namespace loket::kiosk;
    std::filesystem::path configFile = "firmware-config/kiosk.example.toml";
    std::filesystem::path script, screenshots, screensDir;
    std::optional<std::string> server, token, printer, assets;
    bool headless = false, windowed = false, speech = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](auto& out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        bool ok = true;
        if (a == "--config") ok = value(configFile);
        else if (a == "--script") ok = value(script);
        else if (a == "--screenshots") ok = value(screenshots);
        else if (a == "--screens-dir") ok = value(screensDir);
        else if (a == "--server") ok = value(server.emplace());
        else if (a == "--token") ok = value(token.emplace());
        else if (a == "--printer") ok = value(printer.emplace());
        else if (a == "--assets") ok = value(assets.emplace());
        else if (a == "--headless") headless = true;
        else if (a == "--windowed") windowed = true;
        else if (a == "--no-speech") speech = false;
        else if (a == "--help" || a == "-h") return usage("check-in kiosk");
        else return usage("unknown option " + a);
        if (!ok) return usage(a + " needs a value");
    }
    if (!script.empty() && !headless) return usage("--script needs --headless");
    // Without a script, --screenshots names where the current screen goes (as ./run.sh uses it).
    if (headless && script.empty() && screensDir.empty()) screensDir = screenshots.empty() ? "var/screens" : screenshots;

    auto config = loadKioskConfig(configFile);
    if (!config) {
        std::cerr << "loket-kiosk: " << config.error().message << "\n";
        return 1;
    }
    if (server) config->serverUrl = *server;
    if (token) config->deviceToken = *token;
    if (printer) config->printerTransport = *printer;
    if (assets) config->assetsDir = *assets;
    // The default "assets" means Loket's own: /usr/share/loket/assets when installed.
    if (config->assetsDir == "assets") config->assetsDir = loket::paths::dataPath("assets", "assets");
    if (windowed) config->screen.fullscreen = false;

    AppOptions options;
    options.config = *config;
    options.headless = headless;
    options.speech = speech;
    options.screenshotDir = screenshots;
    options.screensDir = screensDir;
    std::vector<ScriptStep> steps;
    if (!script.empty()) {
        std::ifstream in(script);
        if (!in) return usage("cannot read script " + script.string());
        std::stringstream text;
        text << in.rdbuf();
        auto parsed = parseScript(text.str());
        if (!parsed) {
            std::cerr << "loket-kiosk: " << parsed.error().message << "\n";
            return 2;
        }
        steps = std::move(*parsed);
    }
    auto app = App::create(options);
    if (!app) {
        std::cerr << "loket-kiosk: " << app.error().message << "\n";
        return 1;
    }
    if (!script.empty()) {
        auto st = runScript(**app, steps, screenshots);
        if (!st) {
            std::cerr << "loket-kiosk: " << st.error().message << "\n";
            return 1;
        }
        return 0;
    }
    std::cout << "loket-kiosk: running against " << config->serverUrl << (headless ? " (headless)" : "") << std::endl;
    return (*app)->run();
}
