#include "kiosk_config.hpp"

#include <toml++/toml.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace loket::kiosk {
namespace {

// Reads one section of the file; every reader knows its keys and rejects any other.
class SectionReader {
public:
    SectionReader(const toml::table& table, std::string section, const std::string& origin)
        : m_table(table), m_section(std::move(section)), m_origin(origin) {}

    Status only(const std::set<std::string>& known) const {
        for (const auto& [key, node] : m_table) {
            (void)node;
            if (!known.count(std::string(key.str())))
                return fail("unknown key \"" + name(std::string(key.str())) + "\"");
        }
        return Ok{};
    }

    Status text(const char* key, std::string& out, bool nonEmpty = true) const {
        const toml::node* node = m_table.get(key);
        if (!node) return Ok{};
        auto value = node->value<std::string>();
        if (!node->is_string() || !value || (nonEmpty && value->empty()))
            return fail(name(key) + " must be a non-empty text in quotes");
        out = *value;
        return Ok{};
    }

    Status integer(const char* key, int low, int high, int& out) const {
        const toml::node* node = m_table.get(key);
        if (!node) return Ok{};
        auto value = node->value<int64_t>();
        if (!node->is_integer() || !value || *value < low || *value > high)
            return fail(name(key) + " must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
        out = static_cast<int>(*value);
        return Ok{};
    }

    Status number(const char* key, double low, double high, double& out, bool& seen) const {
        const toml::node* node = m_table.get(key);
        if (!node) return Ok{};
        auto value = node->value<double>();
        if (!(node->is_floating_point() || node->is_integer()) || !value || *value < low || *value > high) {
            std::ostringstream range;
            range << low << " to " << high;
            return fail(name(key) + " must be a number from " + range.str());
        }
        out = *value;
        seen = true;
        return Ok{};
    }

    Status boolean(const char* key, bool& out) const {
        const toml::node* node = m_table.get(key);
        if (!node) return Ok{};
        if (!node->is_boolean()) return fail(name(key) + " must be true or false");
        out = *node->value<bool>();
        return Ok{};
    }

    Status texts(const char* key, std::vector<std::string>& out) const {
        const toml::node* node = m_table.get(key);
        if (!node) return Ok{};
        const toml::array* array = node->as_array();
        if (!array || array->empty()) return fail(name(key) + " must be a non-empty list of texts");
        std::vector<std::string> values;
        for (const auto& item : *array) {
            auto value = item.value<std::string>();
            if (!item.is_string() || !value || value->empty()) return fail(name(key) + " must be a list of texts");
            values.push_back(*value);
        }
        out = std::move(values);
        return Ok{};
    }

    Error fail(const std::string& what) const { return makeError(ErrorCode::ConfigError, m_origin + ": " + what); }

private:
    std::string name(const std::string& key) const { return m_section.empty() ? key : m_section + "." + key; }

    const toml::table& m_table;
    std::string m_section;
    const std::string& m_origin;
};

Status readServer(const SectionReader& r, KioskConfig& c) {
    if (auto st = r.only({"url", "device_token", "ca_file", "pinned_public_key"}); !st) return st;
    if (auto st = r.text("url", c.serverUrl); !st) return st;
    if (c.serverUrl.rfind("http://", 0) != 0 && c.serverUrl.rfind("https://", 0) != 0)
        return r.fail("server.url must start with http:// or https://");
    if (auto st = r.text("ca_file", c.caFile); !st) return st;
    if (auto st = r.text("pinned_public_key", c.pinnedPublicKey); !st) return st;
    if ((!c.caFile.empty() || !c.pinnedPublicKey.empty()) && c.serverUrl.rfind("https://", 0) != 0)
        return r.fail("server.ca_file and server.pinned_public_key need an https:// server.url");
    return r.text("device_token", c.deviceToken);
}

Status readPrinter(const SectionReader& r, KioskConfig& c) {
    if (auto st = r.only({"profile", "transport"}); !st) return st;
    std::string profile;
    if (auto st = r.text("profile", profile); !st) return st;
    if (!profile.empty()) c.printerProfile = profile;
    if (auto st = r.text("transport", c.printerTransport); !st) return st;
    for (const char* scheme : {"file:", "tcp:", "device:"})
        if (c.printerTransport.rfind(scheme, 0) == 0) return Ok{};
    return r.fail("printer.transport must start with file:, tcp: or device: (\"tcp:192.168.1.50:9100\")");
}

Status readScreen(const SectionReader& r, KioskConfig& c) {
    if (auto st = r.only({"width_px", "height_px", "dpi", "diagonal_inch", "orientation", "fullscreen"}); !st) return st;
    ScreenConfig& s = c.screen;
    if (auto st = r.integer("width_px", 320, 8192, s.widthPx); !st) return st;
    if (auto st = r.integer("height_px", 320, 8192, s.heightPx); !st) return st;
    bool dpiSeen = false;
    bool diagonalSeen = false;
    double diagonal = 0;
    if (auto st = r.number("dpi", 40, 600, s.dpi, dpiSeen); !st) return st;
    if (auto st = r.number("diagonal_inch", 5, 120, diagonal, diagonalSeen); !st) return st;
    if (dpiSeen && diagonalSeen) return r.fail("give screen.dpi or screen.diagonal_inch, not both");
    if (diagonalSeen) s.dpi = std::hypot(s.widthPx, s.heightPx) / diagonal;
    std::string orientation = s.orientation == Orientation::Portrait ? "portrait" : "landscape";
    if (auto st = r.text("orientation", orientation); !st) return st;
    if (orientation != "portrait" && orientation != "landscape")
        return r.fail("screen.orientation must be \"portrait\" or \"landscape\"");
    s.orientation = orientation == "portrait" ? Orientation::Portrait : Orientation::Landscape;
    return r.boolean("fullscreen", s.fullscreen);
}

Status readLanguages(const SectionReader& r, KioskConfig& c) {
    if (auto st = r.only({"available", "default"}); !st) return st;
    if (auto st = r.texts("available", c.languages); !st) return st;
    if (auto st = r.text("default", c.defaultLanguage); !st) return st;
    std::set<std::string> seen;
    for (const auto& code : c.languages) {
        if (code.size() < 2 || code.size() > 3) return r.fail("languages.available: \"" + code + "\" is not a language code");
        if (!seen.insert(code).second) return r.fail("languages.available lists \"" + code + "\" twice");
    }
    if (!seen.count(c.defaultLanguage))
        return r.fail("languages.default \"" + c.defaultLanguage + "\" is not in languages.available");
    return Ok{};
}

Status readTiming(const SectionReader& r, KioskConfig& c) {
    if (auto st = r.only({"idle_timeout_s", "idle_warning_s", "ticket_screen_s", "heartbeat_s", "services_refresh_s"}); !st)
        return st;
    KioskTiming& t = c.timing;
    if (auto st = r.integer("idle_timeout_s", 15, 600, t.idleTimeoutS); !st) return st;
    if (auto st = r.integer("idle_warning_s", 5, 120, t.idleWarningS); !st) return st;
    if (auto st = r.integer("ticket_screen_s", 3, 120, t.ticketScreenS); !st) return st;
    if (auto st = r.integer("heartbeat_s", 1, 60, t.heartbeatS); !st) return st;
    if (auto st = r.integer("services_refresh_s", 5, 3600, t.servicesRefreshS); !st) return st;
    if (t.idleWarningS >= t.idleTimeoutS) return r.fail("timing.idle_warning_s must be shorter than timing.idle_timeout_s");
    return Ok{};
}

Status readHall(const SectionReader& r, KioskConfig& c) {
    if (auto st = r.only({"name", "assets_dir", "early_arrival_walk_in"}); !st) return st;
    if (auto st = r.text("name", c.hallName, false); !st) return st;
    std::string assets;
    if (auto st = r.text("assets_dir", assets); !st) return st;
    if (!assets.empty()) c.assetsDir = assets;
    return r.boolean("early_arrival_walk_in", c.earlyArrivalWalkIn);
}

Status readBookingCodes(const toml::node& node, KioskConfig& c, const std::string& origin) {
    const toml::array* array = node.as_array();
    const toml::table none;
    SectionReader top(none, "", origin);
    if (!array) return top.fail("booking_code must be written as [[booking_code]] tables");
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::table* t = (*array)[i].as_table();
        if (!t) return top.fail("booking_code must be written as [[booking_code]] tables");
        SectionReader r(*t, "booking_code[" + std::to_string(i) + "]", origin);
        if (auto st = r.only({"name", "regex", "group"}); !st) return st;
        BookingCodePattern p;
        p.name = "pattern " + std::to_string(i + 1);
        if (auto st = r.text("name", p.name); !st) return st;
        if (auto st = r.text("regex", p.regex); !st) return st;
        if (p.regex.empty()) return r.fail("booking_code[" + std::to_string(i) + "].regex is missing");
        if (auto st = r.integer("group", 0, 9, p.group); !st) return st;
        c.bookingCodes.push_back(std::move(p));
    }
    // Compile once now so a bad pattern is a start-up error, not a silent miss at the kiosk.
    if (auto recognizer = BookingCodeRecognizer::create(c.bookingCodes); !recognizer)
        return top.fail(recognizer.error().message);
    return Ok{};
}

} // namespace

Result<KioskConfig> parseKioskConfig(std::string_view tomlText, const std::string& origin) {
    toml::table root;
    try {
        root = toml::parse(tomlText, origin);
    } catch (const toml::parse_error& e) {
        std::ostringstream where;
        where << e.source().begin;
        return makeError(ErrorCode::ConfigError, origin + ": " + std::string(e.description()) + " (at " + where.str() + ")");
    }
    KioskConfig config;
    SectionReader top(root, "", origin);
    if (auto st = top.only({"server", "printer", "screen", "languages", "timing", "hall", "booking_code"}); !st)
        return st.error();
    using Reader = Status (*)(const SectionReader&, KioskConfig&);
    const std::pair<const char*, Reader> sections[] = {{"server", readServer},     {"printer", readPrinter},
                                                       {"screen", readScreen},     {"languages", readLanguages},
                                                       {"timing", readTiming},     {"hall", readHall}};
    for (const auto& [name, reader] : sections) {
        const toml::node* node = root.get(name);
        if (!node) continue;
        const toml::table* table = node->as_table();
        if (!table) return top.fail(std::string("[") + name + "] must be a table");
        if (auto st = reader(SectionReader(*table, name, origin), config); !st) return st.error();
    }
    if (const toml::node* codes = root.get("booking_code"))
        if (auto st = readBookingCodes(*codes, config, origin); !st) return st.error();
    if (config.deviceToken.empty()) return top.fail("server.device_token is missing");
    return config;
}

Result<KioskConfig> loadKioskConfig(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorCode::NotFound, "cannot read kiosk config " + path.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parseKioskConfig(buffer.str(), path.string());
}

} // namespace loket::kiosk
