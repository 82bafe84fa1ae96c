#include "shared/signage/display_config.hpp"

#include "shared/config/config_reader.hpp"

#include <optional>

#include <fstream>
#include <set>
#include <sstream>

namespace loket::signage {

const char* profileName(Profile profile) {
    switch (profile) {
    case Profile::Hall: return "hall";
    case Profile::Zone: return "zone";
    case Profile::CounterTop: return "counter";
    }
    return "hall";
}

std::string arrowForDirection(std::string_view d) {
    if (d == "left") return "\u2190";
    if (d == "up") return "\u2191";
    if (d == "right") return "\u2192";
    if (d == "down") return "\u2193";
    if (d == "up-left") return "\u2196";
    if (d == "up-right") return "\u2197";
    if (d == "down-right") return "\u2198";
    if (d == "down-left") return "\u2199";
    return "";
}

namespace {

using config::FirstError;
using config::Section;

} // namespace

Result<DisplayConfig> parseDisplayConfig(std::string_view tomlText, const std::string& origin) {
    auto doc = config::parseToml(tomlText, origin);
    if (!doc) return doc.error();
    const Section root = Section::root(*doc);
    if (auto st = root.only({"server", "display", "screen", "sound"}); !st) return st.error();
    auto server = root.section("server");
    auto display = root.section("display");
    auto screen = root.section("screen");
    auto sound = root.section("sound");
    for (auto* section : {&server, &display, &screen, &sound})
        if (!*section) return section->error();

    DisplayConfig cfg;
    std::string profile = "hall";
    std::string assets = cfg.assetsDir.string();
    std::map<std::string, std::string> directions;
    FirstError r;
    r << server->only({"url", "token", "heartbeat_interval_s", "ca_file", "pinned_public_key", "also"})
      << display->only({"name", "profile", "zone_counters", "counter", "directions", "previous_calls", "highlight_s",
                        "disconnected_after_s", "hall_name", "assets_dir"})
      << screen->only({"width", "height", "diagonal_in", "viewing_distance_m", "fullscreen", "font"})
      << sound->only({"enabled", "languages", "volume", "voices", "words_per_minute", "chime"});
    r << server->text("url", cfg.serverUrl) << server->text("token", cfg.token, false)
      << server->number("heartbeat_interval_s", 0.1, 3600, cfg.heartbeatIntervalS)
      << server->text("ca_file", cfg.caFile, false) << server->text("pinned_public_key", cfg.pinnedPublicKey, false);
    r << display->text("name", cfg.name, false) << display->text("profile", profile) << display->text("assets_dir", assets)
      << display->texts("zone_counters", cfg.signage.zoneCounters, false) << display->text("counter", cfg.signage.counter, false)
      << display->textMap("directions", directions) << display->integer("previous_calls", 0, 12, cfg.signage.previousCalls)
      << display->number("highlight_s", 30, 3600, cfg.signage.highlightS)
      << display->number("disconnected_after_s", 0.1, 5, cfg.signage.disconnectedAfterS)
      << display->text("hall_name", cfg.signage.hallName, false);
    r << screen->integer("width", 160, 8192, cfg.screen.width) << screen->integer("height", 120, 8192, cfg.screen.height)
      << screen->number("diagonal_in", 3, 200, cfg.screen.diagonalInches)
      << screen->number("viewing_distance_m", 0.3, 60, cfg.screen.viewingDistanceM)
      << screen->boolean("fullscreen", cfg.screen.fullscreen) << screen->text("font", cfg.screen.font);
    r << sound->boolean("enabled", cfg.sound.enabled) << sound->texts("languages", cfg.sound.languages)
      << sound->number("volume", 0, 1, cfg.sound.volume) << sound->textMap("voices", cfg.sound.voices)
      << sound->integer("words_per_minute", 80, 450, cfg.sound.wordsPerMinute) << sound->text("chime", cfg.sound.chime);
    if (r.error()) return *r.error();
    cfg.assetsDir = assets;

    if (profile == "hall") cfg.signage.profile = Profile::Hall;
    else if (profile == "zone") cfg.signage.profile = Profile::Zone;
    else if (profile == "counter") cfg.signage.profile = Profile::CounterTop;
    else return display->fail("profile", "expected hall, zone or counter, got \"" + profile + "\"");
    if (cfg.signage.profile == Profile::Zone && cfg.signage.zoneCounters.empty())
        return display->fail("zone_counters", "a zone display needs at least one counter id");
    if (cfg.signage.profile == Profile::CounterTop && cfg.signage.counter.empty())
        return display->fail("counter", "a counter display needs the id of its counter");
    for (auto& [counter, direction] : directions) {
        std::string arrow = arrowForDirection(direction);
        if (arrow.empty())
            return display->fail(("directions." + counter).c_str(), "expected left, right, up, down, up-left, up-right, down-left or "
                                               "down-right, got \"" + direction + "\"");
        cfg.signage.arrows[counter] = arrow;
    }
    if (cfg.serverUrl.rfind("http://", 0) != 0 && cfg.serverUrl.rfind("https://", 0) != 0)
        return server->fail("url", "expected an http:// or https:// address");
    if ((!cfg.caFile.empty() || !cfg.pinnedPublicKey.empty()) && cfg.serverUrl.rfind("https://", 0) != 0)
        return server->fail("ca_file", "ca_file and pinned_public_key need an https:// server url");
    if (auto st = config::readMoreServers(*server, {cfg.serverUrl, cfg.caFile, cfg.pinnedPublicKey}, cfg.moreServers); !st)
        return st.error();
    if (cfg.sound.languages.front() != "nl") return sound->fail("languages", "Dutch (\"nl\") comes first");
    for (auto& lang : cfg.sound.languages)
        if (!cfg.sound.voices.count(lang)) return sound->fail("voices", "no voice for language \"" + lang + "\"");
    return cfg;
}

Result<DisplayConfig> loadDisplayConfig(const std::filesystem::path& file) {
    auto text = config::readText(file);
    if (!text) return makeError(ErrorCode::ConfigError, text.error().message);
    return parseDisplayConfig(*text, file.string());
}

} // namespace loket::signage
