// Every TOML configuration: the hall (server), the kiosk, the display, a printer profile and a
// simulator scenario. The first byte chooses which reader gets the rest.
#include "fuzz_input.hpp"

#include "server/server_config.hpp"
#include "shared/kiosk/kiosk_config.hpp"
#include "shared/signage/display_config.hpp"
#include "shared/sim/scenario.hpp"
#include "shared/ticket/printer_profile.hpp"

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {
// Scenarios are read from files only: one scratch file per fuzzing process.
std::string scratchScenario(std::string_view text) {
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("loket-fuzz-" + std::to_string(getpid()));
        std::filesystem::create_directories(d);
        std::filesystem::copy_file(LOKET_SOURCE_DIR "/sim/scenarios/services.toml", d / "services.toml",
                                   std::filesystem::copy_options::overwrite_existing);
        return d;
    }();
    const auto file = dir / "scenario.toml";
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    return file.string();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [choice, text] = loket::fuzz::choose(data, size, 5);
    switch (choice) {
    case 0: (void)loket::server::parseServerConfig(text, "hall.toml"); break;
    case 1: (void)loket::kiosk::parseKioskConfig(text, "kiosk.toml"); break;
    case 2: (void)loket::signage::parseDisplayConfig(text, "display.toml"); break;
    case 3: (void)loket::ticket::parsePrinterProfile(text, "printer.toml"); break;
    default: (void)loket::sim::loadScenarioFile(scratchScenario(text)); break;
    }
    return 0;
}
