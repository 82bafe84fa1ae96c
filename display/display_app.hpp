// DisplayApp: loket-display's main loop. It owns the screen (ui::Host + DisplayScreen), the
// session (server link + signage model), the announcement player and the screenshot writer, and
// does only this: apply what the link delivered, redraw when the view-model changed, speak the
// calls after the frame that shows them, and sleep on the main-thread queue in between.
// main.cpp parses the command line and wires; tests and the benchmark drive DisplaySession.
#pragma once

#include "display/display_screen.hpp"
#include "display/display_session.hpp"
#include "display/screenshot_writer.hpp"
#include "shared/enrol/device_enrolment.hpp"
#include "shared/ui/main_queue.hpp"
#include "shared/speech/sdl_audio_sink.hpp"
#include "shared/ui/host.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

namespace loket::display {

struct DisplayOptions {
    std::filesystem::path config = "firmware-config/display.example.toml";
    std::optional<std::string> server, token;
    std::optional<std::filesystem::path> assets;
    bool headless = false;
    std::filesystem::path screenshots; // headless: <dir>/current.png (default var/screens)
    double screenshotEveryS = 2;
    double exitAfterS = 0;              // 0: run until told to stop
    std::filesystem::path announceLog;  // every announcement, one line each
    // Every frame drawn, one JSON line each ({"frame", "banner", "banner_second"}): what tests and
    // the benchmark poll to know the screen shows a change (docs/benchmarks.md).
    std::filesystem::path frameLog;
    bool sound = true;
    // Without a token the display pairs with the server (shared/enrol) and keeps its credential here.
    std::filesystem::path credentialFile = "var/state/loket-display/credential.json";
};

class DisplayApp {
public:
    // Loads the config and the languages, opens the screen and the sound. Errors name the cause.
    static Result<std::unique_ptr<DisplayApp>> create(const DisplayOptions& options);
    ~DisplayApp();

    // Runs until `quit` turns true (a signal), the window is closed or --exit-after passes.
    int run(const std::atomic<bool>& quit);

private:
    DisplayApp() = default;
    void logProblems();
    void speak();
    std::unique_ptr<DisplaySession> makeSession() const;
    // An enrolled display: starts the session once paired, ends it when revoked, and draws the
    // pairing screen in between. True while the pairing screen is up.
    bool followPairing(bool& loaded);

    DisplayOptions m_options;
    signage::DisplayConfig m_config;
    std::unique_ptr<ui::Host> m_host;
    std::unique_ptr<DisplayScreen> m_screen;
    std::unique_ptr<speech::SdlAudioSink> m_sink;
    std::unique_ptr<speech::AnnouncementPlayer> m_player;
    std::map<std::string, i18n::Catalog> m_catalogs; // a new session after a pairing gets a copy
    std::string m_status = "ok";                      // heartbeat status (no sound: degraded)
    std::unique_ptr<enrol::DeviceEnrolment> m_enrolment; // only without a configured token
    ui::MainQueue<int> m_pairingWake;                 // the enrolment's changes wake the loop
    std::uint64_t m_drawnPairingRevision = ~0ull;
    std::unique_ptr<DisplaySession> m_session;
    std::unique_ptr<ScreenshotWriter> m_shots;
    std::ofstream m_announceLog;
    std::ofstream m_frameLog;
    std::uint64_t m_frames = 0;
    std::size_t m_problemsLogged = 0;
};

} // namespace loket::display
