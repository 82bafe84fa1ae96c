#include "display/display_app.hpp"

#include "shared/paths/data_path.hpp"

#include "shared/speech/chime.hpp"

#include <SDL.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace loket::display {
namespace {

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

// The player's settings from the config; a chime file that does not load falls back to the
// built-in chime (and says so), so a typo never silences the hall.
speech::PlayerSettings playerSettings(const signage::DisplayConfig& config) {
    speech::PlayerSettings settings;
    settings.volume = config.sound.volume;
    settings.voices.clear();
    for (auto& [lang, voice] : config.sound.voices) settings.voices[lang] = speech::Voice{voice, config.sound.wordsPerMinute};
    if (config.sound.chime == "builtin") {
        settings.chime = speech::makeChime();
    } else if (config.sound.chime != "none") {
        auto wav = speech::loadWav(config.assetsDir / config.sound.chime);
        if (wav) {
            settings.chime = *wav;
        } else {
            std::fprintf(stderr, "loket-display: %s; using the built-in chime\n", wav.error().message.c_str());
            settings.chime = speech::makeChime();
        }
    }
    return settings;
}

} // namespace

Result<std::unique_ptr<DisplayApp>> DisplayApp::create(const DisplayOptions& options) {
    std::unique_ptr<DisplayApp> app(new DisplayApp());
    app->m_options = options;
    auto config = signage::loadDisplayConfig(options.config);
    if (!config) return config.error();
    if (options.server) {
        config::ServerAddress first{config->serverUrl, config->caFile, config->pinnedPublicKey};
        if (auto st = config::overrideServers(*options.server, first, config->moreServers); !st) return st.error();
        config->serverUrl = first.url;
    }
    if (options.token) config->token = *options.token;
    if (options.assets) config->assetsDir = *options.assets;
    // The default "assets" means Loket's own: /usr/share/loket/assets when installed.
    if (config->assetsDir == "assets") config->assetsDir = paths::dataPath("assets", "assets");
    if (!options.sound) config->sound.enabled = false;
    app->m_config = *config;
    if (app->m_options.headless && app->m_options.screenshots.empty()) app->m_options.screenshots = "var/screens";

    auto catalogs = loadDisplayCatalogs(config->assetsDir, config->sound.languages);
    if (!catalogs) return catalogs.error();
    if (config->token.empty())
        for (const char* language : {"nl", "en"})
            for (const auto& key : enrol::pairingTextKeys())
                if (!catalogs->at(language).has(key))
                    return makeError(ErrorCode::ConfigError, std::string("language \"") + language + "\" lacks the pairing text \"" + key + "\"");

    ui::HostOptions screen;
    screen.width = config->screen.width;
    screen.height = config->screen.height;
    screen.headless = options.headless;
    screen.fullscreen = config->screen.fullscreen;
    screen.showCursor = false; // the display takes no input
    auto host = ui::Host::open(screen);
    if (!host) return host.error();
    app->m_host = std::move(*host);
    auto drawn = DisplayScreen::create(*app->m_host, config->screen, *catalogs);
    if (!drawn) return drawn.error();
    app->m_screen = std::move(*drawn);

    // Sound: a display without a working speaker still shows calls, and says so in its heartbeat.
    std::string status = "ok";
    if (config->sound.enabled) {
        auto sink = speech::SdlAudioSink::open();
        auto synth = speech::Synthesizer::create();
        if (sink && synth) {
            app->m_sink = std::move(*sink);
            app->m_player = std::make_unique<speech::AnnouncementPlayer>(*synth, *app->m_sink, playerSettings(*config));
        } else {
            std::fprintf(stderr, "loket-display: no sound: %s\n", (!sink ? sink.error() : synth.error()).message.c_str());
            status = "degraded";
        }
    }
    if (!options.frameLog.empty()) {
        app->m_frameLog.open(options.frameLog, std::ios::app);
        if (!app->m_frameLog) return makeError(ErrorCode::Io, "cannot write the frame log " + options.frameLog.string());
    }
    if (!options.announceLog.empty()) {
        app->m_announceLog.open(options.announceLog, std::ios::app);
        if (!app->m_announceLog) return makeError(ErrorCode::Io, "cannot write the announcement log " + options.announceLog.string());
    }
    app->m_status = status;
    app->m_catalogs = std::move(*catalogs);
    if (config->token.empty()) {
        DisplayApp* self = app.get();
        enrol::EnrolmentSettings pairing;
        pairing.serverUrl = config->serverUrl;
        pairing.tls = net::TlsOptions{config->caFile, config->pinnedPublicKey};
        pairing.servers = serverListOf(*config);
        pairing.role = "display";
        pairing.credentialFile = options.credentialFile;
        app->m_enrolment = std::make_unique<enrol::DeviceEnrolment>(std::move(pairing), [self] { self->m_pairingWake.push(0); });
    } else {
        app->m_session = app->makeSession();
    }
    if (options.headless) app->m_shots = std::make_unique<ScreenshotWriter>(app->m_options.screenshots / "current.png");
    return app;
}

std::unique_ptr<DisplaySession> DisplayApp::makeSession() const {
    DisplaySession::Auth auth;
    if (m_enrolment) {
        enrol::DeviceEnrolment* enrolment = m_enrolment.get();
        auth.tokenSource = [enrolment] { return enrolment->token(); };
        auth.onUnauthorized = [enrolment](const std::string& token) { enrolment->reportRejected(token); };
    }
    auto session = std::make_unique<DisplaySession>(m_config, m_catalogs, monotonicS(), std::move(auth));
    session->link().setStatus(m_status);
    return session;
}

bool DisplayApp::followPairing(bool& loaded) {
    if (!m_enrolment) return false;
    const bool paired = m_enrolment->paired();
    if (paired && !m_session) {
        m_session = makeSession();
        m_session->start();
        m_problemsLogged = 0;
        loaded = false;
        m_drawnPairingRevision = ~0ull;
    } else if (!paired && m_session) {
        m_session->stop(); // revoked: no more requests, no stream
        m_session.reset();
        std::printf("loket-display: not paired any more; showing a new pairing code\n");
        std::fflush(stdout);
    }
    if (m_session) return false;
    m_pairingWake.waitFor(std::chrono::milliseconds(250));
    m_pairingWake.drain();
    const enrol::PairingStatus status = m_enrolment->status();
    if (status.revision != m_drawnPairingRevision && m_enrolment->status().phase != enrol::PairingPhase::Paired) {
        m_drawnPairingRevision = status.revision;
        auto en = m_catalogs.find("en");
        m_screen->renderPairing(enrol::pairingView(status, m_catalogs.at("nl"), en != m_catalogs.end() ? &en->second : nullptr), 0.25f);
        if (m_shots)
            if (auto px = m_host->pixels()) m_shots->submit(*px);
    }
    return true;
}

DisplayApp::~DisplayApp() {
    if (m_session) m_session->stop();
    m_enrolment.reset();
    m_shots.reset();
    m_player.reset();
    m_sink.reset();
    m_screen.reset();
    m_host.reset();
    SDL_Quit();
}

void DisplayApp::logProblems() {
    // The session keeps only the last few problems: log those reported since the last frame.
    const auto& problems = m_session->problems();
    const std::size_t fresh = std::min(m_session->problemCount() - m_problemsLogged, problems.size());
    for (std::size_t i = problems.size() - fresh; i < problems.size(); ++i)
        std::fprintf(stderr, "loket-display: %s\n", problems[i].c_str());
    m_problemsLogged = m_session->problemCount();
}

void DisplayApp::speak() {
    for (auto& u : m_session->takeUtterances()) {
        if (m_announceLog.is_open()) m_announceLog << speech::describe(u) << std::endl;
        if (m_player) m_player->enqueue(std::move(u));
    }
    if (m_player)
        if (auto st = m_player->pump(); !st) std::fprintf(stderr, "loket-display: %s\n", st.error().message.c_str());
}

int DisplayApp::run(const std::atomic<bool>& quit) {
    const double started = monotonicS();
    if (m_session) m_session->start();
    if (m_enrolment) m_enrolment->start();
    std::printf("loket-display: %s profile, %dx%d, server %s%s\n", signage::profileName(m_config.signage.profile),
                m_config.screen.width, m_config.screen.height, m_config.serverUrl.c_str(),
                m_host->isHeadless() ? ", headless" : "");
    std::fflush(stdout);

    std::optional<signage::HallVm> shown;
    double lastFrame = started, lastShot = -1e9;
    bool shotPending = false, loaded = false;
    while (!quit) {
        if (m_options.exitAfterS > 0 && monotonicS() - started >= m_options.exitAfterS) break;
        if (m_host->closeRequested()) break;
        if (followPairing(loaded)) {
            shown.reset(); // the hall is drawn afresh once the display is paired
            continue;
        }
        // Sleep until the server says something, or the next pulse/clock step is due.
        m_session->waitForMessages(std::chrono::milliseconds(shown && shown->highlight ? 100 : 250));
        const double now = monotonicS();
        const std::time_t wall = std::time(nullptr);
        m_session->update(now, wall);
        logProblems();
        if (!loaded && m_session->model().initialised()) {
            loaded = true; // from here on a call is news and is announced (logs and tests wait for this)
            std::printf("loket-display: hall loaded\n");
            std::fflush(stdout);
        }

        signage::HallVm vm = m_session->view(now, clockText(wall));
        if (!shown || vm != *shown) {
            m_screen->render(vm, static_cast<float>(now - lastFrame));
            lastFrame = now;
            if (m_frameLog.is_open())
                m_frameLog << nlohmann::json{{"frame", ++m_frames}, {"banner", vm.banner}, {"banner_second", vm.bannerSecond}}.dump()
                           << std::endl; // flushed: a reader sees the frame as soon as it is drawn
            shown = std::move(vm);
            shotPending = true;
        }
        if (m_shots && shotPending && now - lastShot >= m_options.screenshotEveryS) {
            if (auto px = m_host->pixels()) m_shots->submit(*px);
            lastShot = now;
            shotPending = false;
        }
        // Sound after the frame that shows the call: the screen is never later than the voice.
        speak();
    }
    if (m_shots)
        if (auto px = m_host->pixels()) m_shots->submit(*px);
    if (m_session) m_session->stop();
    return 0;
}

} // namespace loket::display
