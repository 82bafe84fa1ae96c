// loket-display: the hall display program. Wires the config, the session (server link + signage
// model), the screen (window or headless software renderer) and the announcement player.
//   loket-display --config firmware-config/display.example.toml [--server URL] [--token T]
//                 [--headless --screenshots DIR [--screenshot-every S]] [--exit-after S]
//                 [--announce-log FILE] [--no-sound]
#include "display/display_screen.hpp"
#include "display/display_session.hpp"
#include "display/screenshot_writer.hpp"
#include "shared/paths/data_path.hpp"
#include "shared/speech/chime.hpp"
#include "shared/speech/sdl_audio_sink.hpp"
#include "shared/ui/headless_renderer.hpp"

#include <SDL.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <optional>

namespace {

// Set by SIGINT/SIGTERM; the only global, as signal handlers allow nothing else.
volatile std::sig_atomic_t g_quit = 0;
void onSignal(int) { g_quit = 1; }

struct Options {
    std::string config = "firmware-config/display.example.toml";
    std::optional<std::string> server, token, assets;
    bool headless = false;
    std::string screenshots;
    double screenshotEveryS = 2;
    double exitAfterS = 0;
    std::string announceLog;
    bool sound = true;
};

int usage(const char* why) {
    std::fprintf(stderr,
                 "loket-display: %s\nusage: loket-display [--config FILE] [--server URL] [--token TOKEN] [--assets DIR]\n"
                 "       [--headless] [--screenshots DIR] [--screenshot-every S] [--exit-after S]\n"
                 "       [--announce-log FILE] [--no-sound]\n",
                 why);
    return 2;
}

std::optional<Options> parseArgs(int argc, char** argv, std::string& error) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= argc) return std::nullopt;
            return std::string(argv[++i]);
        };
        auto number = [&](double& out) {
            auto v = value();
            try {
                if (!v) return false;
                out = std::stod(*v);
                return out >= 0;
            } catch (...) {
                return false;
            }
        };
        std::optional<std::string> v;
        if (a == "--config" && (v = value())) o.config = *v;
        else if (a == "--server" && (v = value())) o.server = *v;
        else if (a == "--token" && (v = value())) o.token = *v;
        else if (a == "--assets" && (v = value())) o.assets = *v;
        else if (a == "--screenshots" && (v = value())) o.screenshots = *v;
        else if (a == "--announce-log" && (v = value())) o.announceLog = *v;
        else if (a == "--headless") o.headless = true;
        else if (a == "--no-sound") o.sound = false;
        else if (a == "--screenshot-every") { if (!number(o.screenshotEveryS)) { error = "--screenshot-every needs seconds"; return std::nullopt; } }
        else if (a == "--exit-after") { if (!number(o.exitAfterS)) { error = "--exit-after needs seconds"; return std::nullopt; } }
        else { error = "unknown or incomplete option " + a; return std::nullopt; }
    }
    if (o.headless && o.screenshots.empty()) o.screenshots = "var/screens";
    return o;
}

double monotonicS() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string clockText(std::time_t t) {
    std::tm local{};
    localtime_r(&t, &local);
    char buf[8];
    std::strftime(buf, sizeof buf, "%H:%M", &local);
    return buf;
}

} // namespace

int main(int argc, char** argv) {
    using namespace loket;
    std::string argError;
    auto options = parseArgs(argc, argv, argError);
    if (!options) return usage(argError.c_str());

    auto config = signage::loadDisplayConfig(options->config);
    if (!config) return usage(config.error().message.c_str());
    if (options->server) config->serverUrl = *options->server;
    if (options->token) config->token = *options->token;
    if (options->assets) config->assetsDir = *options->assets;
    // The default "assets" means Loket's own: /usr/share/loket/assets when installed.
    if (config->assetsDir == "assets") config->assetsDir = paths::dataPath("assets", "assets");
    if (!options->sound) config->sound.enabled = false;

    auto catalogs = display::loadDisplayCatalogs(config->assetsDir, config->sound.languages);
    if (!catalogs) return usage(catalogs.error().message.c_str());

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);

    // The screen: a window, or a software surface when headless.
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    std::unique_ptr<ui::HeadlessRenderer> headless;
    if (options->headless) {
        auto created = ui::HeadlessRenderer::create(config->screen.width, config->screen.height);
        if (!created) return usage(created.error().message.c_str());
        headless = std::move(*created);
        renderer = headless->renderer();
    } else {
        if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) return usage((std::string("no video: ") + SDL_GetError() + " (try --headless)").c_str());
        Uint32 flags = config->screen.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0;
        window = SDL_CreateWindow("Loket", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, config->screen.width,
                                  config->screen.height, flags);
        if (!window) return usage((std::string("no window: ") + SDL_GetError() + " (try --headless)").c_str());
        renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_PRESENTVSYNC);
        if (!renderer) renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
        SDL_ShowCursor(SDL_DISABLE);
    }
    auto screen = display::DisplayScreen::create(renderer, config->screen, *catalogs);
    if (!screen) return usage(screen.error().message.c_str());

    // Sound: a display without a working speaker still shows calls, and says so in its heartbeat.
    std::unique_ptr<speech::SdlAudioSink> sink;
    std::unique_ptr<speech::AnnouncementPlayer> player;
    std::string status = "ok";
    if (config->sound.enabled) {
        auto opened = speech::SdlAudioSink::open();
        auto synth = speech::Synthesizer::create();
        if (opened && synth) {
            sink = std::move(*opened);
            speech::PlayerSettings settings;
            settings.volume = config->sound.volume;
            settings.voices.clear();
            for (auto& [lang, voice] : config->sound.voices) settings.voices[lang] = speech::Voice{voice, config->sound.wordsPerMinute};
            if (config->sound.chime == "builtin") settings.chime = speech::makeChime();
            else if (config->sound.chime != "none") {
                auto wav = speech::loadWav(config->assetsDir / config->sound.chime);
                if (wav) settings.chime = *wav;
                else std::fprintf(stderr, "loket-display: %s; using the built-in chime\n", wav.error().message.c_str());
                if (!wav) settings.chime = speech::makeChime();
            }
            player = std::make_unique<speech::AnnouncementPlayer>(*synth, *sink, settings);
        } else {
            std::fprintf(stderr, "loket-display: no sound: %s\n", (!opened ? opened.error() : synth.error()).message.c_str());
            status = "degraded";
        }
    }
    std::ofstream announceLog;
    if (!options->announceLog.empty()) announceLog.open(options->announceLog, std::ios::app);

    const double started = monotonicS();
    display::DisplaySession session(*config, *catalogs, started);
    session.link().setStatus(status);
    session.start();
    std::unique_ptr<display::ScreenshotWriter> shots;
    if (headless) shots = std::make_unique<display::ScreenshotWriter>(std::filesystem::path(options->screenshots) / "current.png");
    std::printf("loket-display: %s profile, %dx%d, server %s%s\n", signage::profileName(config->signage.profile),
                config->screen.width, config->screen.height, config->serverUrl.c_str(), headless ? ", headless" : "");
    std::fflush(stdout);

    std::optional<signage::HallVm> shown;
    double lastFrame = started, lastShot = -1e9;
    bool shotPending = false;
    std::size_t problemsLogged = 0;
    while (!g_quit) {
        if (options->exitAfterS > 0 && monotonicS() - started >= options->exitAfterS) break;
        if (window) {
            SDL_Event e;
            while (SDL_PollEvent(&e))
                if (e.type == SDL_QUIT) g_quit = 1;
        }
        // Sleep until the server says something, or the next pulse/clock step is due.
        session.waitForMessages(std::chrono::milliseconds(shown && shown->highlight ? 100 : 250));
        const double now = monotonicS();
        const std::time_t wall = std::time(nullptr);
        session.update(now, wall);
        // Log the problems reported since the last frame (the session keeps only the last few).
        const auto& problems = session.problems();
        const std::size_t fresh = std::min(session.problemCount() - problemsLogged, problems.size());
        for (std::size_t i = problems.size() - fresh; i < problems.size(); ++i)
            std::fprintf(stderr, "loket-display: %s\n", problems[i].c_str());
        problemsLogged = session.problemCount();

        signage::HallVm vm = session.view(now, clockText(wall));
        if (!shown || vm != *shown) {
            (*screen)->render(vm, static_cast<float>(now - lastFrame));
            if (window) SDL_RenderPresent(renderer);
            lastFrame = now;
            shown = vm;
            shotPending = true;
        }
        if (shots && shotPending && now - lastShot >= options->screenshotEveryS) {
            shots->submit(headless->pixels());
            lastShot = now;
            shotPending = false;
        }
        // Sound after the frame that shows the call: the screen is never later than the voice.
        for (auto& u : session.takeUtterances(wall)) {
            if (announceLog.is_open()) announceLog << speech::describe(u) << std::endl;
            if (player) player->enqueue(std::move(u));
        }
        if (player)
            if (auto st = player->pump(); !st) std::fprintf(stderr, "loket-display: %s\n", st.error().message.c_str());
    }
    if (shots && headless) shots->submit(headless->pixels());
    session.stop();
    shots.reset();
    player.reset();
    sink.reset();
    screen->reset();
    if (window) {
        SDL_DestroyRenderer(renderer);
        SDL_DestroyWindow(window);
    }
    headless.reset();
    SDL_Quit();
    return 0;
}
