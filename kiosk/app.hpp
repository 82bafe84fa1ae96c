// App: loket-kiosk's main loop. It owns the flow, the catalogs, the worker, the voice and the
// screen (the shared ui::Host, window or headless), and does only this: turn SDL events (or a headless script's steps) into flow
// inputs, hand the flow's effects to the worker or the voice, take the worker's results, and
// redraw when the view-model changed. It waits on SDL events between changes, so an idle kiosk
// draws nothing and uses no CPU.
#pragma once

#include "screens.hpp"
#include "shared/enrol/pairing_view.hpp"
#include "shared/i18n/catalog.hpp"
#include "shared/kiosk/flow.hpp"
#include "shared/kiosk/keypad.hpp"
#include "shared/ui/host.hpp"
#include "shared/ui/main_queue.hpp"
#include "theme.hpp"
#include "voice.hpp"
#include "worker.hpp"

#include <SDL_events.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace loket::kiosk {

struct AppOptions {
    KioskConfig config;
    bool headless = false;
    bool speech = true;                   // false: no espeak-ng at all (benchmarks)
    std::filesystem::path screenshotDir;  // script `shot` steps write here
    std::filesystem::path screensDir;     // headless without script: the current screen, every few seconds
    std::chrono::seconds screensEvery{3};
    // Without a configured device token the kiosk pairs with the server (shared/enrol) and keeps
    // its credential here (<state folder>/credential.json).
    std::filesystem::path credentialFile = "var/state/loket-kiosk/credential.json";
};

class App {
public:
    static Result<std::unique_ptr<App>> create(AppOptions options);
    ~App();

    // Runs until the window closes or SIGINT/SIGTERM arrives (SDL turns both into SDL_QUIT).
    int run();

    // --- used by the script runner -----------------------------------------------------------
    TimePoint now() const { return Clock::now() + m_clockOffset; }
    // Moves the flow's clock and the clock the credential's renewal follows (tests).
    void advanceClock(std::chrono::milliseconds by);
    // One pass of the loop without waiting: worker results, clock, and a frame if needed.
    void step(bool forceFrame = false);
    // Waits up to `timeout` for something to happen (worker result or deadline), then steps.
    void waitAndStep(std::chrono::milliseconds timeout);
    void tapAt(float x, float y);
    Status tapAction(const Action& action);
    void typeText(const std::string& text);
    void pressKey(NavKey key);
    void handle(const Input& input);
    KioskVm view() const;
    // The screen on show: the pairing screen's id ("pairing.code…") while the kiosk is not
    // paired, otherwise the flow's (view().screenId).
    std::string screenId() const;
    // True while the pairing screen is shown instead of the visitor screens.
    bool pairing() const;
    const enrol::DeviceEnrolment* enrolment() const { return m_enrolment.get(); }
    Status writeShot(const std::filesystem::path& dir, const std::string& name);
    const DrawOut& lastFrame() const { return m_lastOut; }
    const Voice* voice() const { return m_voice.get(); }
    const Flow& flow() const { return *m_flow; }
    // Every touch-to-print time measured so far (the benchmark reads them).
    const std::vector<double>& touchToPrintMs() const { return m_touchToPrintAll; }
    WorkerStats workerStats() const { return m_worker->stats(); }
    // How often the flow entered each screen ("offline": 2): a moment on the offline screen that
    // no frame or screenshot caught still counts (the failover test asserts there was none).
    const std::map<std::string, int>& screensEntered() const { return m_screensEntered; }

private:
    App() = default;
    void apply(Effects effects);
    void frame();
    void pumpWorker();
    void processEvent(const SDL_Event& e);
    std::optional<enrol::PairingVm> pairingScreen() const;
    const i18n::Catalog& catalog(const std::string& language) const;

    AppOptions m_options;
    std::map<std::string, i18n::Catalog> m_catalogs;
    std::unique_ptr<ui::Host> m_host;
    ThemePair m_themes;
    std::optional<Flow> m_flow;
    ui::MainQueue<Input> m_results; // worker → UI; outlives the worker
    std::unique_ptr<enrol::DeviceEnrolment> m_enrolment; // only without a configured token
    std::map<std::string, i18n::Catalog> m_deviceCatalogs; // nl, en: the pairing screen's texts
    std::atomic<std::int64_t> m_wallOffsetS{0};          // advanceClock, for the renewal clock
    std::uint64_t m_drawnPairingRevision = ~0ull;
    bool m_wasPaired = false;
    std::unique_ptr<Worker> m_worker;
    std::unique_ptr<Voice> m_voice;
    DrawOut m_lastOut;
    std::uint64_t m_drawnRevision = ~0ull;
    Screen m_drawnScreen = Screen::Welcome; // the flow's screen in the last frame drawn
    bool m_pointerDirty = false;
    bool m_quit = false;
    std::chrono::milliseconds m_clockOffset{0};
    Clock::time_point m_lastFrameAt{};
    std::optional<Clock::time_point> m_touchAt;
    std::optional<double> m_touchToPrintMs;
    std::vector<double> m_touchToPrintAll;
    std::map<std::string, int> m_screensEntered;
};

} // namespace loket::kiosk
