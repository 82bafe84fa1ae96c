#include "app.hpp"

#include "pairing_screen.hpp"
#include "shared/kiosk/spoken_text.hpp"
#include "shared/kiosk/view_builder.hpp"
#include "shared/ticket/ticket.hpp"

#include <SDL.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <fstream>
#include <iostream>

namespace loket::kiosk {
namespace {

using std::chrono::milliseconds;

std::optional<NavKey> navKeyFor(const SDL_Keysym& k) {
    switch (k.sym) {
    case SDLK_TAB: return (k.mod & KMOD_SHIFT) ? NavKey::Previous : NavKey::Next;
    case SDLK_DOWN:
    case SDLK_RIGHT: return NavKey::Next;
    case SDLK_UP:
    case SDLK_LEFT: return NavKey::Previous;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_SPACE: return NavKey::Activate;
    case SDLK_ESCAPE: return NavKey::Back;
    case SDLK_BACKSPACE: return NavKey::Erase;
    case SDLK_F1:
    case SDLK_KP_MULTIPLY: return NavKey::Repeat;
    default: return std::nullopt;
    }
}

// What a keyboard or scanner may type into the code field: letters, digits and the characters
// of a link. Space is left out: it is the "choose" key of a keypad.
std::string typedCharacters(const char* text) {
    std::string out;
    for (const char* p = text; *p; ++p) {
        const unsigned char ch = static_cast<unsigned char>(*p);
        if (std::isalnum(ch) || std::strchr(":/?&=.-_#%+~", ch)) out += static_cast<char>(ch);
    }
    return out;
}

nlohmann::json rect(ImVec2 min, ImVec2 max) { return {min.x, min.y, max.x, max.y}; }

std::string hex(ImU32 c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff);
    return buf;
}

} // namespace

Result<std::unique_ptr<App>> App::create(AppOptions options) {
    std::unique_ptr<App> app(new App());
    app->m_options = std::move(options);
    const KioskConfig& config = app->m_options.config;

    std::vector<std::string> texts;
    for (const auto& language : config.languages) {
        auto catalog = i18n::loadCatalog(config.assetsDir, language);
        if (!catalog) return catalog.error();
        for (const auto& key : kioskTextKeys())
            if (!catalog->has(key))
                return makeError(ErrorCode::ConfigError, "language \"" + language + "\" lacks the kiosk text \"" + key + "\"");
        for (const auto& key : catalog->keys()) texts.push_back(catalog->text(key));
        app->m_catalogs.emplace(language, std::move(*catalog));
    }
    // The pairing screen speaks to staff: Dutch, then English (assets/lang/<code>/device.json).
    if (config.deviceToken.empty()) {
        for (const char* language : {"nl", "en"}) {
            auto catalog = i18n::loadCatalog(config.assetsDir, language);
            if (!catalog) return catalog.error();
            for (const auto& key : enrol::pairingTextKeys())
                if (!catalog->has(key))
                    return makeError(ErrorCode::ConfigError, std::string("language \"") + language + "\" lacks the pairing text \"" + key + "\"");
            for (const auto& key : catalog->keys()) texts.push_back(catalog->text(key));
            app->m_deviceCatalogs.emplace(language, std::move(*catalog));
        }
    }
    if (config.printerProfile.empty()) return makeError(ErrorCode::ConfigError, "printer.profile is not set");
    auto profile = ticket::loadPrinterProfile(config.printerProfile);
    if (!profile) return profile.error();
    // A development printer writes into a folder: make sure it is there.
    if (config.printerTransport.rfind("file:", 0) == 0 && config.printerTransport.back() == '/') {
        std::error_code ec;
        std::filesystem::create_directories(config.printerTransport.substr(5), ec);
    }
    auto fonts = ticket::loadFonts();
    if (!fonts) return fonts.error();

    if (SDL_Init(SDL_INIT_EVENTS) != 0) return makeError(ErrorCode::Unavailable, std::string("SDL: ") + SDL_GetError());

    ui::HostOptions screen;
    screen.width = config.screen.widthPx;
    screen.height = config.screen.heightPx;
    screen.headless = app->m_options.headless;
    screen.fullscreen = config.screen.fullscreen;
    screen.title = "Loket kiosk";
    auto host = ui::Host::open(screen);
    if (!host) return host.error();
    app->m_host = std::move(*host);
    auto themes = loadThemes(*app->m_host, config.screen.dpi, texts);
    if (!themes) return themes.error();
    app->m_themes = std::move(*themes);

    auto recognizer = BookingCodeRecognizer::create(config.bookingCodes);
    if (!recognizer) return recognizer.error();
    app->m_flow.emplace(config, std::move(*recognizer), app->now());

    WorkerSettings settings;
    settings.serverUrl = config.serverUrl;
    settings.deviceToken = config.deviceToken;
    settings.tls = {config.caFile, config.pinnedPublicKey};
    std::vector<net::ServerEndpoint> more;
    for (const auto& address : config.moreServers) more.push_back({address.url, {address.caFile, address.pinnedPublicKey}});
    settings.servers = net::makeServerList({config.serverUrl, settings.tls}, std::move(more));
    settings.printerTransport = config.printerTransport;
    settings.printerProfile = *profile;
    settings.heartbeatInterval = std::chrono::seconds(config.timing.heartbeatS);
    settings.servicesRefresh = std::chrono::seconds(config.timing.servicesRefreshS);
    settings.defaultTicketLanguage = config.defaultLanguage;
    settings.hallName = config.hallName;
    settings.offlineJournal = config.offlineJournal;
    settings.leaseRenew = std::chrono::seconds(config.leaseRenewS);
    settings.uploadBatch = static_cast<std::size_t>(config.uploadBatch);
    if (config.deviceToken.empty()) {
        App* self = app.get();
        enrol::EnrolmentSettings pairing;
        pairing.serverUrl = config.serverUrl;
        pairing.tls = settings.tls;
        pairing.servers = settings.servers;
        pairing.role = "kiosk";
        pairing.credentialFile = app->m_options.credentialFile;
        pairing.clock = [self] {
            return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
                   self->m_wallOffsetS.load();
        };
        // A change wakes the loop like a worker result does (a Tick is harmless to the flow).
        app->m_enrolment = std::make_unique<enrol::DeviceEnrolment>(std::move(pairing), [self] { self->m_results.push(Tick{}); });
        settings.tokenSource = [self] { return self->m_enrolment->token(); };
        settings.onUnauthorized = [self](const std::string& token) { self->m_enrolment->reportRejected(token); };
    }
    // A window sleeps on SDL's event queue, so a result must wake it there; headless the loop
    // sleeps on the queue itself (without a video driver SDL would poll every millisecond).
    if (!app->m_options.headless) {
        const std::uint32_t wakeEvent = SDL_RegisterEvents(1);
        app->m_results.setNotify([wakeEvent] {
            SDL_Event e{};
            e.type = wakeEvent;
            SDL_PushEvent(&e); // thread-safe
        });
    }
    app->m_worker = std::make_unique<Worker>(std::move(settings), app->m_catalogs, std::move(*fonts), app->m_results);
    if (app->m_enrolment) app->m_enrolment->start();

    if (app->m_options.speech) {
        auto voice = Voice::open();
        if (voice) app->m_voice = std::move(*voice);
        else std::cerr << "loket-kiosk: no speech: " << voice.error().message << "\n";
    }
    SDL_StartTextInput();
    app->step(true);
    return app;
}

App::~App() {
    m_worker.reset(); // joins before the SDL event queue goes away (and before the enrolment it asks)
    m_enrolment.reset();
    m_voice.reset();
    m_host.reset();
    SDL_Quit();
}

const i18n::Catalog& App::catalog(const std::string& language) const {
    auto it = m_catalogs.find(language);
    return it != m_catalogs.end() ? it->second : m_catalogs.begin()->second;
}

KioskVm App::view() const { return buildView(*m_flow, catalog(m_flow->state().language)); }

bool App::pairing() const { return m_enrolment && !m_enrolment->paired(); }

std::optional<enrol::PairingVm> App::pairingScreen() const {
    if (!pairing()) return std::nullopt;
    auto en = m_deviceCatalogs.find("en");
    return enrol::pairingView(m_enrolment->status(), m_deviceCatalogs.at("nl"), en != m_deviceCatalogs.end() ? &en->second : nullptr);
}

std::string App::screenId() const {
    if (auto p = pairingScreen()) return p->screenId;
    return view().screenId;
}

void App::advanceClock(std::chrono::milliseconds by) {
    m_clockOffset += by;
    m_wallOffsetS += std::chrono::duration_cast<std::chrono::seconds>(by).count();
    if (m_enrolment) m_enrolment->poke();
}

void App::handle(const Input& input) {
    const Screen before = m_flow->state().screen;
    apply(m_flow->handle(input, now()));
    if (const Screen after = m_flow->state().screen; after != before) ++m_screensEntered[screenName(after)];
}

void App::apply(Effects effects) {
    for (auto& effect : effects) {
        std::visit(
            [&](auto& e) {
                using T = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<T, SendCheckIn> || std::is_same_v<T, CancelCheckIn> ||
                              std::is_same_v<T, PrintTicket>) {
                    m_worker->submit(std::move(e));
                } else if constexpr (std::is_same_v<T, Announce>) {
                    if (!m_voice) return;
                    const std::string text = spokenScript(view(), e.cue);
                    if (auto st = m_voice->say(text, m_flow->state().language); !st)
                        std::cerr << "loket-kiosk: speech: " << st.error().message << "\n";
                } else if constexpr (std::is_same_v<T, StopSpeech>) {
                    if (m_voice) m_voice->stop();
                }
            },
            effect);
    }
}

void App::pumpWorker() {
    for (auto& result : m_results.drain()) {
        if (std::holds_alternative<PrintFinished>(result) && m_touchAt) {
            // Until the printer had the ticket (the worker's time), not until this loop got round to it.
            const auto printedAt = std::get<PrintFinished>(result).at;
            m_touchToPrintMs = std::chrono::duration<double, std::milli>((printedAt == TimePoint{} ? Clock::now() : printedAt) - *m_touchAt).count();
            m_touchToPrintAll.push_back(*m_touchToPrintMs);
            m_touchAt.reset();
        }
        handle(result);
    }
}

void App::frame() {
    const KioskVm vm = view();
    const auto pairingVm = pairingScreen();
    const Theme& theme = m_themes.pick(vm.largeText && !pairingVm);
    const auto t = Clock::now();
    const float dt = m_lastFrameAt == Clock::time_point{} ? 1.0f / 60 : std::chrono::duration<float>(t - m_lastFrameAt).count();
    m_lastFrameAt = t;
    if (m_enrolment) m_drawnPairingRevision = m_enrolment->status().revision;
    m_host->beginFrame(std::min(dt, 0.5f));
    DrawOut out = pairingVm ? drawPairing(*pairingVm, theme) : drawFrame(vm, theme);
    m_host->endFrame(kBackground);
    m_drawnRevision = vm.revision;
    m_drawnScreen = m_flow->state().screen;
    m_pointerDirty = false;
    std::optional<Action> action = out.action;
    m_lastOut = std::move(out);
    if (action) {
        if (action->kind == ActionKind::ConfirmService || action->kind == ActionKind::SubmitCode) m_touchAt = Clock::now();
        handle(ActionInput{*action});
    }
}

void App::step(bool forceFrame) {
    pumpWorker();
    handle(Tick{});
    // A check-in the worker answers within a moment (offline from the journal, or a quick server)
    // does not draw the "one moment" screen first: in software that frame costs tens of
    // milliseconds, and the print job waits for it. Longer than the grace, it is drawn as before.
    constexpr milliseconds kWorkingGrace{100};
    if (m_flow->state().screen == Screen::Working && m_drawnScreen != Screen::Working && m_results.waitFor(kWorkingGrace)) {
        pumpWorker();
        handle(Tick{});
    }
    if (m_enrolment) {
        // Just paired (first time or again after a revocation): report and load the services now.
        const bool paired = m_enrolment->paired();
        if (paired && !m_wasPaired) m_worker->credentialChanged();
        m_wasPaired = paired;
    }
    const auto pairingChanged = [&] { return m_enrolment && m_enrolment->status().revision != m_drawnPairingRevision; };
    // Draw only when something visible changed (or the pointer moved): an idle kiosk draws nothing.
    for (int i = 0; i < 3; ++i) {
        if (!forceFrame && !m_pointerDirty && m_flow->state().revision == m_drawnRevision && !pairingChanged()) break;
        forceFrame = false;
        frame();
    }
}

void App::waitAndStep(milliseconds timeout) {
    if (auto deadline = m_flow->nextDeadline()) {
        const auto untilDeadline = std::chrono::duration_cast<milliseconds>(*deadline - now()) + milliseconds(1);
        timeout = std::clamp(untilDeadline, milliseconds(0), timeout);
    }
    SDL_Event e;
    if (m_host->isHeadless()) {
        m_results.waitFor(timeout);
        while (SDL_PollEvent(&e)) processEvent(e); // SIGINT / SIGTERM arrive as SDL_QUIT
    } else if (SDL_WaitEventTimeout(&e, static_cast<int>(timeout.count()))) {
        processEvent(e);
        while (SDL_PollEvent(&e)) processEvent(e);
    }
    step();
}

void App::tapAt(float x, float y) {
    // Dear ImGui 1.86 needs a frame to see the pointer, one to press and one to release.
    m_host->setPointer(x, y, false);
    frame();
    m_host->setPointer(x, y, true);
    frame();
    m_host->setPointer(x, y, false);
    frame();
    m_host->clearPointer();
    step(true);
}

Status App::tapAction(const Action& action) {
    step();
    for (const auto& t : m_lastOut.targets) {
        if (t.action.kind != action.kind || (!action.arg.empty() && t.action.arg != action.arg)) continue;
        tapAt((t.min.x + t.max.x) * 0.5f, (t.min.y + t.max.y) * 0.5f);
        return Ok{};
    }
    return makeError(ErrorCode::NotFound, std::string("no target \"") + actionName(action.kind) +
                                              (action.arg.empty() ? "" : " " + action.arg) + "\" on screen " + view().screenId);
}

void App::typeText(const std::string& text) {
    handle(TextInput{text});
    step();
}

void App::pressKey(NavKey key) {
    if (auto input = inputForKey(view(), m_flow->state().focus, key)) handle(*input);
    step();
}

void App::processEvent(const SDL_Event& e) {
    // The pairing screen takes no input: touches and keys must not reach the visitor flow behind it.
    if (pairing() && e.type != SDL_QUIT && e.type != SDL_WINDOWEVENT) return;
    switch (e.type) {
    case SDL_QUIT:
        m_quit = true;
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e.button.button != SDL_BUTTON_LEFT) break;
        m_host->setPointer(static_cast<float>(e.button.x), static_cast<float>(e.button.y), false);
        frame(); // a touch lands without a hover first: let ImGui see where, then press
        m_host->setPointer(static_cast<float>(e.button.x), static_cast<float>(e.button.y), true);
        frame();
        break;
    case SDL_MOUSEBUTTONUP:
        if (e.button.button != SDL_BUTTON_LEFT) break;
        m_host->setPointer(static_cast<float>(e.button.x), static_cast<float>(e.button.y), false);
        m_pointerDirty = true;
        break;
    case SDL_MOUSEMOTION:
        if (e.motion.state & SDL_BUTTON_LMASK) {
            m_host->setPointer(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y), true);
            m_pointerDirty = true;
        }
        break;
    case SDL_KEYDOWN:
        if (auto key = navKeyFor(e.key.keysym)) {
            if (auto input = inputForKey(view(), m_flow->state().focus, *key)) handle(*input);
        }
        break;
    case SDL_TEXTINPUT: {
        const std::string text = typedCharacters(e.text.text);
        if (!text.empty()) handle(TextInput{text});
        break;
    }
    case SDL_AUDIODEVICEADDED:
        // A headset plugged in later (not the devices found at start-up) turns read-aloud on.
        if (!e.adevice.iscapture && e.adevice.timestamp > 3000) handle(HeadsetPlugged{});
        break;
    case SDL_WINDOWEVENT:
        if (e.window.event == SDL_WINDOWEVENT_EXPOSED || e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) m_pointerDirty = true;
        break;
    default:
        break;
    }
}

int App::run() {
    auto nextScreenWrite = Clock::now();
    std::uint64_t writtenRevision = ~0ull;
    while (!m_quit) {
        waitAndStep(milliseconds(1000)); // a wake a second: cheap, and SIGTERM is seen soon
        if (!m_options.screensDir.empty() && Clock::now() >= nextScreenWrite) {
            nextScreenWrite = Clock::now() + m_options.screensEvery;
            const std::uint64_t shown = m_flow->state().revision + (m_enrolment ? m_enrolment->status().revision << 32 : 0);
            if (shown != writtenRevision) {
                writtenRevision = shown;
                // Written atomically (temporary file renamed), so a viewer never reads half a PNG.
                if (auto st = m_host->writePng(m_options.screensDir / "kiosk.png"); !st)
                    std::cerr << "loket-kiosk: " << st.error().message << "\n";
            }
        }
    }
    return 0;
}

Status App::writeShot(const std::filesystem::path& dir, const std::string& name) {
    step(true);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (auto st = m_host->writePng(dir / (name + ".png")); !st) return st;
    const KioskVm vm = view();
    nlohmann::json j;
    j["screen"] = screenId();
    if (auto p = pairingScreen()) j["pairing_code"] = p->code;
    if (m_enrolment) j["device_id"] = m_enrolment->status().deviceId;
    j["language"] = vm.language;
    j["large_text"] = vm.largeText;
    j["speech_on"] = vm.speechOn;
    j["dpi"] = m_options.config.screen.dpi;
    j["size"] = {m_host->width(), m_host->height()};
    j["spoken"] = spokenScript(vm, Cue::Screen);
    j["texts"] = nlohmann::json::array();
    for (const Text* t : textsOf(vm)) j["texts"].push_back({{"shown", t->shown}, {"spoken", t->spoken}});
    j["targets"] = nlohmann::json::array();
    const double dpi = m_options.config.screen.dpi;
    for (const auto& t : m_lastOut.targets)
        j["targets"].push_back({{"action", actionName(t.action.kind)}, {"arg", t.action.arg}, {"rect", rect(t.min, t.max)},
                                {"w_mm", pxToMm(t.max.x - t.min.x, dpi)}, {"h_mm", pxToMm(t.max.y - t.min.y, dpi)},
                                {"key", t.key}});
    j["drawn_texts"] = nlohmann::json::array();
    for (const auto& t : m_lastOut.texts)
        j["drawn_texts"].push_back({{"text", t.text}, {"rect", rect(t.min, t.max)}, {"fg", hex(t.fg)}, {"bg", hex(t.bg)},
                                    {"px", t.px}, {"number", t.number}});
    j["speech_log"] = m_voice ? m_voice->log() : std::vector<std::string>{};
    if (m_touchToPrintMs) j["touch_to_print_ms"] = *m_touchToPrintMs;
    j["printer"] = ticket::printerFaultName(m_worker->printerState());
    std::ofstream(dir / (name + ".json")) << j.dump(2) << "\n";
    return Ok{};
}

} // namespace loket::kiosk
