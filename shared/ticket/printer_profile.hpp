// PrinterProfile: what the ticket code needs to know about one model of receipt printer —
// paper and print width in dots, how large to draw, how the ESC/POS job is cut up and ended.
// Profiles are TOML files in firmware-config/printers/ (one per model, with comments), so a hall
// can add a printer without a new build.
// Used by the ticket layout, the ESC/POS encoder, loket-print and the kiosk. Read with loket::config.
#pragma once

#include "shared/core/result.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace loket::ticket {

enum class CutMode { None, Partial, Full };

struct PrinterProfile {
    std::string name;           // "Epson TM-T20III, 80 mm"
    int paperWidthMm = 80;
    int dpi = 203;
    int printWidthDots = 576;   // dots in one printed row; a multiple of 8
    int marginDots = 16;        // white space kept left and right inside the print width
    double textScale = 1.0;     // multiplies every text size (narrow paper: smaller text)
    int qrModuleDots = 6;       // size of one QR module; shrunk (not below 3) if the code would not fit
    int bandRows = 128;         // rows sent per `GS v 0` command (printers buffer a limited band)
    int feedLinesBeforeCut = 4; // so the cut does not go through the last line
    CutMode cut = CutMode::Partial;
    bool answersStatus = true;  // answers `DLE EOT n` real-time status requests
};

// Parses a profile; every key is checked, so a typo is an error and not a silent default.
Result<PrinterProfile> parsePrinterProfile(std::string_view tomlText, const std::string& origin);
Result<PrinterProfile> loadPrinterProfile(const std::filesystem::path& path);

} // namespace loket::ticket
