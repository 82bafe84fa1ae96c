// The hall display's settings (firmware-config/display.example.toml): server, profile, screen,
// sound. Parsed from TOML text with a clear error for every bad or unknown value, so a typo in a
// device's config stops it at start-up with a message instead of a blank screen.
// Plain data; used by display/ and by the signage model (SignageConfig).
#pragma once

#include "shared/config/server_addresses.hpp"
#include "shared/core/result.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace loket::signage {

enum class Profile {
    Hall,       // every counter, every service
    Zone,       // only the counters of one zone (and the services they handle)
    CounterTop, // a small screen above one counter: only that counter's current number
};
const char* profileName(Profile profile);

struct SignageConfig {
    Profile profile = Profile::Hall;
    std::vector<std::string> zoneCounters; // counter ids, for Profile::Zone
    std::string counter;                   // counter id, for Profile::CounterTop
    std::map<std::string, std::string> arrows; // counter id → arrow glyph shown after the number
    int previousCalls = 7;          // previous calls listed (6–8)
    double highlightS = 30;         // the newest call stays highlighted this long
    double pulseS = 6;              // …and pulses at 1 Hz for the first seconds of it
    // No sign of life this long (the server's stream sends a keep-alive comment at least every
    // 2 s): the display is not live and shows "verbinding verbroken". At most 5 s (issue 13).
    double disconnectedAfterS = 4;
    double catchUpS = 3;        // after being not live, what arrives this long is catch-up…
    double announceFreshS = 10; // …and a call in it made longer ago than this is shown, not spoken
    std::string hallName;           // shown when the server sends none
};

struct ScreenConfig {
    int width = 1920;
    int height = 1080;
    double diagonalInches = 55;
    double viewingDistanceM = 10;
    bool fullscreen = false;
    std::string font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
};

struct SoundConfig {
    bool enabled = true;
    std::vector<std::string> languages{"nl", "en"}; // Dutch always first; others when the visitor chose them
    double volume = 0.8;                             // 0–1
    std::map<std::string, std::string> voices{{"nl", "nl"}, {"en", "en"}}; // language → espeak-ng voice
    int wordsPerMinute = 150;
    std::string chime = "builtin"; // "builtin", "none" or a WAV file (relative to the assets dir)
};

struct DisplayConfig {
    std::string serverUrl = "http://127.0.0.1:8080";
    std::string token;
    std::string caFile;          // [server] ca_file: PEM CA that signed the server's certificate (https://)
    std::string pinnedPublicKey; // [server] pinned_public_key: "sha256//<base64>" of the server's key
    // [[server.also]]: further instances of the hall server, tried in order when the one in use
    // fails (several locations on PostgreSQL, docs/deploy.md); each with its CA / pin resolved.
    std::vector<config::ServerAddress> moreServers;
    std::string name; // device label for logs
    std::filesystem::path assetsDir = "assets";
    double heartbeatIntervalS = 10;
    SignageConfig signage;
    ScreenConfig screen;
    SoundConfig sound;
};

Result<DisplayConfig> parseDisplayConfig(std::string_view tomlText, const std::string& origin);
Result<DisplayConfig> loadDisplayConfig(const std::filesystem::path& file);
// "left" → "←" and so on; nullopt-like empty string for an unknown direction.
std::string arrowForDirection(std::string_view direction);

} // namespace loket::signage
