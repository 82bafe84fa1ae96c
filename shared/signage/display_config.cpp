#include "shared/signage/display_config.hpp"

#include <toml++/toml.h>

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

// Reading failures are collected as the first error; keeps each setting one line below.
class Reader {
public:
    Reader(const toml::table& root, std::string origin) : m_root(root), m_origin(std::move(origin)) {}

    void checkKeys(const char* section, std::set<std::string> allowed) {
        const toml::table* t = section ? m_root[section].as_table() : &m_root;
        if (!t) return;
        for (auto& [key, node] : *t) {
            std::string k(key.str());
            if (!allowed.count(k)) fail(path(section, k) + ": unknown setting");
        }
    }

    template <typename T>
    void get(const char* section, const char* key, T& out) {
        auto node = m_root[section][key];
        if (!node) return;
        if constexpr (std::is_same_v<T, double>) {
            if (auto v = node.template value<double>()) { out = *v; return; }
        } else if constexpr (std::is_same_v<T, int>) {
            if (auto v = node.template value<int64_t>()) { out = static_cast<int>(*v); return; }
        } else if constexpr (std::is_same_v<T, bool>) {
            if (auto v = node.template value<bool>()) { out = *v; return; }
        } else {
            if (auto v = node.template value<std::string>()) { out = *v; return; }
        }
        fail(path(section, key) + ": wrong type");
    }

    void getList(const char* section, const char* key, std::vector<std::string>& out) {
        auto node = m_root[section][key];
        if (!node) return;
        const toml::array* arr = node.as_array();
        if (!arr) return fail(path(section, key) + ": expected a list of strings");
        out.clear();
        for (auto& item : *arr) {
            auto v = item.value<std::string>();
            if (!v) return fail(path(section, key) + ": expected a list of strings");
            out.push_back(*v);
        }
    }

    void getStringMap(const char* section, const char* key, std::map<std::string, std::string>& out) {
        auto node = m_root[section][key];
        if (!node) return;
        const toml::table* t = node.as_table();
        if (!t) return fail(path(section, key) + ": expected a table of strings");
        for (auto& [k, v] : *t) {
            auto s = v.value<std::string>();
            if (!s) return fail(path(section, key) + "." + std::string(k.str()) + ": expected a string");
            out[std::string(k.str())] = *s;
        }
    }

    void fail(const std::string& message) {
        if (m_error.empty()) m_error = m_origin + ": " + message;
    }
    const std::string& error() const { return m_error; }

private:
    static std::string path(const char* section, const std::string& key) {
        return section ? std::string(section) + "." + key : key;
    }
    const toml::table& m_root;
    std::string m_origin;
    std::string m_error;
};

} // namespace

Result<DisplayConfig> parseDisplayConfig(std::string_view tomlText, const std::string& origin) {
    // Debian's toml++ is built with exceptions: a syntax error throws; it stops here.
    toml::table root;
    try {
        root = toml::parse(tomlText, origin);
    } catch (const toml::parse_error& err) {
        std::ostringstream msg;
        msg << origin << ":" << err.source().begin.line << ": " << err.description();
        return makeError(ErrorCode::ConfigError, msg.str());
    }
    DisplayConfig cfg;
    Reader r(root, origin);
    r.checkKeys(nullptr, {"server", "display", "screen", "sound"});
    r.checkKeys("server", {"url", "token", "heartbeat_interval_s", "ca_file", "pinned_public_key"});
    r.checkKeys("display", {"name", "profile", "zone_counters", "counter", "directions", "previous_calls",
                            "highlight_s", "disconnected_after_s", "hall_name", "assets_dir"});
    r.checkKeys("screen", {"width", "height", "diagonal_in", "viewing_distance_m", "fullscreen", "font"});
    r.checkKeys("sound", {"enabled", "languages", "volume", "voices", "words_per_minute", "chime"});

    r.get("server", "url", cfg.serverUrl);
    r.get("server", "token", cfg.token);
    r.get("server", "heartbeat_interval_s", cfg.heartbeatIntervalS);
    r.get("server", "ca_file", cfg.caFile);
    r.get("server", "pinned_public_key", cfg.pinnedPublicKey);

    std::string profile = "hall";
    std::string assets = cfg.assetsDir.string();
    r.get("display", "name", cfg.name);
    r.get("display", "profile", profile);
    r.get("display", "assets_dir", assets);
    cfg.assetsDir = assets;
    r.getList("display", "zone_counters", cfg.signage.zoneCounters);
    r.get("display", "counter", cfg.signage.counter);
    std::map<std::string, std::string> directions;
    r.getStringMap("display", "directions", directions);
    r.get("display", "previous_calls", cfg.signage.previousCalls);
    r.get("display", "highlight_s", cfg.signage.highlightS);
    r.get("display", "disconnected_after_s", cfg.signage.disconnectedAfterS);
    r.get("display", "hall_name", cfg.signage.hallName);

    r.get("screen", "width", cfg.screen.width);
    r.get("screen", "height", cfg.screen.height);
    r.get("screen", "diagonal_in", cfg.screen.diagonalInches);
    r.get("screen", "viewing_distance_m", cfg.screen.viewingDistanceM);
    r.get("screen", "fullscreen", cfg.screen.fullscreen);
    r.get("screen", "font", cfg.screen.font);

    r.get("sound", "enabled", cfg.sound.enabled);
    r.getList("sound", "languages", cfg.sound.languages);
    r.get("sound", "volume", cfg.sound.volume);
    r.getStringMap("sound", "voices", cfg.sound.voices);
    r.get("sound", "words_per_minute", cfg.sound.wordsPerMinute);
    r.get("sound", "chime", cfg.sound.chime);
    if (!r.error().empty()) return makeError(ErrorCode::ConfigError, r.error());

    auto bad = [&](const std::string& what) { return makeError(ErrorCode::ConfigError, origin + ": " + what); };
    if (profile == "hall") cfg.signage.profile = Profile::Hall;
    else if (profile == "zone") cfg.signage.profile = Profile::Zone;
    else if (profile == "counter") cfg.signage.profile = Profile::CounterTop;
    else return bad("display.profile: expected hall, zone or counter, got \"" + profile + "\"");
    if (cfg.signage.profile == Profile::Zone && cfg.signage.zoneCounters.empty())
        return bad("display.zone_counters: a zone display needs at least one counter id");
    if (cfg.signage.profile == Profile::CounterTop && cfg.signage.counter.empty())
        return bad("display.counter: a counter display needs the id of its counter");
    for (auto& [counter, direction] : directions) {
        std::string arrow = arrowForDirection(direction);
        if (arrow.empty())
            return bad("display.directions." + counter + ": expected left, right, up, down, up-left, up-right, "
                       "down-left or down-right, got \"" + direction + "\"");
        cfg.signage.arrows[counter] = arrow;
    }
    if (cfg.signage.previousCalls < 0 || cfg.signage.previousCalls > 12)
        return bad("display.previous_calls: expected 0 to 12");
    if (cfg.signage.highlightS < 30) return bad("display.highlight_s: the newest call stays highlighted at least 30 s");
    if (cfg.signage.disconnectedAfterS <= 0) return bad("display.disconnected_after_s: must be positive");
    if (cfg.heartbeatIntervalS <= 0) return bad("server.heartbeat_interval_s: must be positive");
    if (cfg.serverUrl.rfind("http://", 0) != 0 && cfg.serverUrl.rfind("https://", 0) != 0)
        return bad("server.url: expected an http:// or https:// address");
    if ((!cfg.caFile.empty() || !cfg.pinnedPublicKey.empty()) && cfg.serverUrl.rfind("https://", 0) != 0)
        return bad("server.ca_file and server.pinned_public_key need an https:// server.url");
    if (cfg.screen.width < 160 || cfg.screen.height < 120 || cfg.screen.width > 8192 || cfg.screen.height > 8192)
        return bad("screen.width/height: expected 160×120 up to 8192×8192 pixels");
    if (cfg.screen.diagonalInches < 3 || cfg.screen.diagonalInches > 200) return bad("screen.diagonal_in: expected 3 to 200");
    if (cfg.screen.viewingDistanceM < 0.3 || cfg.screen.viewingDistanceM > 60)
        return bad("screen.viewing_distance_m: expected 0.3 to 60");
    if (cfg.sound.volume < 0 || cfg.sound.volume > 1) return bad("sound.volume: expected 0 to 1");
    if (cfg.sound.wordsPerMinute < 80 || cfg.sound.wordsPerMinute > 450) return bad("sound.words_per_minute: expected 80 to 450");
    if (cfg.sound.languages.empty() || cfg.sound.languages.front() != "nl")
        return bad("sound.languages: Dutch (\"nl\") comes first");
    for (auto& lang : cfg.sound.languages)
        if (!cfg.sound.voices.count(lang)) return bad("sound.voices: no voice for language \"" + lang + "\"");
    return cfg;
}

Result<DisplayConfig> loadDisplayConfig(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return makeError(ErrorCode::ConfigError, "cannot read the display config " + file.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parseDisplayConfig(buffer.str(), file.string());
}

} // namespace loket::signage
