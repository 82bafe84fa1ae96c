// KioskConfig: the device settings of one kiosk, read from a TOML file in firmware-config/
// (kiosk.example.toml documents every key): the hall server and the device token, the printer
// profile and transport, the screen (size, DPI, orientation), languages, booking-code patterns
// and the idle time-out. Every key is checked, so a typo is an error rather than a silent default.
// Used by loket-kiosk and the tests. Depends on toml++ (hidden in the .cpp).
#pragma once

#include "booking_code.hpp"
#include "shared/config/server_addresses.hpp"
#include "shared/core/result.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace loket::kiosk {

enum class Orientation { Portrait, Landscape };

struct ScreenConfig {
    int widthPx = 1080;
    int heightPx = 1920;
    double dpi = 102.5; // 21.5" full-HD panel; from `dpi` or computed from `diagonal_inch`
    Orientation orientation = Orientation::Portrait;
    bool fullscreen = true;
};

struct KioskTiming {
    int idleTimeoutS = 60;  // a visitor who does nothing for this long is gone: start again
    int idleWarningS = 20;  // the warning ("Meer tijd") shows this long before the reset
    int ticketScreenS = 12; // the ticket screen returns to the welcome screen after this
    int heartbeatS = 10;    // api.md: every 10 s and on every change
    int servicesRefreshS = 60;
};

struct KioskConfig {
    std::string serverUrl = "http://127.0.0.1:8080";
    std::string deviceToken;
    std::string caFile;          // [server] ca_file: PEM CA that signed the server's certificate (https://)
    std::string pinnedPublicKey; // [server] pinned_public_key: "sha256//<base64>" of the server's key
    // [[server.also]]: further instances of the hall server, tried in order when the one in use
    // fails (several locations on PostgreSQL, docs/deploy.md); each with its CA / pin resolved.
    std::vector<config::ServerAddress> moreServers;
    std::string hallName;                // printed on the ticket; empty: no line
    std::filesystem::path printerProfile; // firmware-config/printers/<model>.toml
    std::string printerTransport = "file:var/print"; // file:<dir> | tcp:<host>:<port> | device:<path>
    std::filesystem::path assetsDir = "assets";
    ScreenConfig screen;
    std::vector<std::string> languages{"nl", "en", "tr", "pl"}; // buttons on the welcome screen, in order
    std::string defaultLanguage = "nl";
    std::vector<BookingCodePattern> bookingCodes;
    KioskTiming timing;
    // When an appointment is too early, also offer a walk-in number now.
    bool earlyArrivalWalkIn = false;
    // [hall] ask_needs: after the service choice, an optional screen asks what the visitor needs
    // at the counter (a desk at sitting height, a hearing loop, …; docs/kiosk.md). Off unless the
    // hall acts on it: every visitor then sees one more screen.
    bool askNeeds = false;
    // [offline] (issue 13): the journal of tickets issued while the server is away (empty: the
    // kiosk does not check in offline), and how often leases and the offline book are renewed.
    std::filesystem::path offlineJournal;
    int leaseRenewS = 60;
    int uploadBatch = 100; // journal entries per upload request (one transaction on the server each)
};

// Parses the TOML text; `origin` names the file in error messages (`config_error`).
Result<KioskConfig> parseKioskConfig(std::string_view tomlText, const std::string& origin);
Result<KioskConfig> loadKioskConfig(const std::filesystem::path& path);

} // namespace loket::kiosk
