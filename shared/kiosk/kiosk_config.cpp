#include "kiosk_config.hpp"

#include "shared/config/config_reader.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace loket::kiosk {
namespace {

using config::Section;

Status readServer(const Section& r, KioskConfig& c) {
    if (auto st = r.only({"url", "device_token", "ca_file", "pinned_public_key", "also"}); !st) return st;
    if (auto st = r.text("url", c.serverUrl); !st) return st;
    if (c.serverUrl.rfind("http://", 0) != 0 && c.serverUrl.rfind("https://", 0) != 0)
        return r.fail("url", "must start with http:// or https://");
    if (auto st = r.text("ca_file", c.caFile); !st) return st;
    if (auto st = r.text("pinned_public_key", c.pinnedPublicKey); !st) return st;
    if ((!c.caFile.empty() || !c.pinnedPublicKey.empty()) && c.serverUrl.rfind("https://", 0) != 0)
        return r.fail("ca_file", "ca_file and pinned_public_key need an https:// server url");
    if (auto st = config::readMoreServers(r, {c.serverUrl, c.caFile, c.pinnedPublicKey}, c.moreServers); !st) return st;
    // No token (or an empty one): the kiosk pairs with the server and gets its own (docs/deploy.md).
    return r.text("device_token", c.deviceToken, false);
}

Status readPrinter(const Section& r, KioskConfig& c) {
    if (auto st = r.only({"profile", "transport"}); !st) return st;
    std::string profile;
    if (auto st = r.text("profile", profile); !st) return st;
    if (!profile.empty()) c.printerProfile = profile;
    if (auto st = r.text("transport", c.printerTransport); !st) return st;
    for (const char* scheme : {"file:", "tcp:", "device:"})
        if (c.printerTransport.rfind(scheme, 0) == 0) return Ok{};
    return r.fail("transport", "must start with file:, tcp: or device: (\"tcp:192.168.1.50:9100\")");
}

Status readScreen(const Section& r, KioskConfig& c) {
    if (auto st = r.only({"width_px", "height_px", "dpi", "diagonal_inch", "orientation", "fullscreen"}); !st) return st;
    ScreenConfig& s = c.screen;
    if (auto st = r.integer("width_px", 320, 8192, s.widthPx); !st) return st;
    if (auto st = r.integer("height_px", 320, 8192, s.heightPx); !st) return st;
    const bool diagonalSeen = r.has("diagonal_inch");
    double diagonal = 0;
    if (auto st = r.number("dpi", 40, 600, s.dpi); !st) return st;
    if (auto st = r.number("diagonal_inch", 5, 120, diagonal); !st) return st;
    if (r.has("dpi") && diagonalSeen) return r.fail("diagonal_inch", "give screen.dpi or screen.diagonal_inch, not both");
    if (diagonalSeen) s.dpi = std::hypot(s.widthPx, s.heightPx) / diagonal;
    std::string orientation = s.orientation == Orientation::Portrait ? "portrait" : "landscape";
    if (auto st = r.text("orientation", orientation); !st) return st;
    if (orientation != "portrait" && orientation != "landscape")
        return r.fail("orientation", "must be \"portrait\" or \"landscape\"");
    s.orientation = orientation == "portrait" ? Orientation::Portrait : Orientation::Landscape;
    return r.boolean("fullscreen", s.fullscreen);
}

Status readLanguages(const Section& r, KioskConfig& c) {
    if (auto st = r.only({"available", "default"}); !st) return st;
    if (auto st = r.texts("available", c.languages); !st) return st;
    if (auto st = r.text("default", c.defaultLanguage); !st) return st;
    std::set<std::string> seen;
    for (const auto& code : c.languages) {
        if (code.size() < 2 || code.size() > 3) return r.fail("available", "\"" + code + "\" is not a language code");
        if (!seen.insert(code).second) return r.fail("available", "lists \"" + code + "\" twice");
    }
    if (!seen.count(c.defaultLanguage))
        return r.fail("default", "\"" + c.defaultLanguage + "\" is not in languages.available");
    return Ok{};
}

Status readTiming(const Section& r, KioskConfig& c) {
    if (auto st = r.only({"idle_timeout_s", "idle_warning_s", "ticket_screen_s", "heartbeat_s", "services_refresh_s"}); !st)
        return st;
    KioskTiming& t = c.timing;
    if (auto st = r.integer("idle_timeout_s", 15, 600, t.idleTimeoutS); !st) return st;
    if (auto st = r.integer("idle_warning_s", 5, 120, t.idleWarningS); !st) return st;
    if (auto st = r.integer("ticket_screen_s", 3, 120, t.ticketScreenS); !st) return st;
    if (auto st = r.integer("heartbeat_s", 1, 60, t.heartbeatS); !st) return st;
    if (auto st = r.integer("services_refresh_s", 5, 3600, t.servicesRefreshS); !st) return st;
    if (t.idleWarningS >= t.idleTimeoutS) return r.fail("idle_warning_s", "must be shorter than timing.idle_timeout_s");
    return Ok{};
}

Status readHall(const Section& r, KioskConfig& c) {
    if (auto st = r.only({"name", "assets_dir", "early_arrival_walk_in", "ask_needs"}); !st) return st;
    if (auto st = r.text("name", c.hallName, false); !st) return st;
    std::string assets;
    if (auto st = r.text("assets_dir", assets); !st) return st;
    if (!assets.empty()) c.assetsDir = assets;
    if (auto st = r.boolean("early_arrival_walk_in", c.earlyArrivalWalkIn); !st) return st;
    return r.boolean("ask_needs", c.askNeeds);
}

Status readOffline(const Section& r, KioskConfig& c) {
    if (auto st = r.only({"journal", "lease_renew_s", "upload_batch"}); !st) return st;
    std::string journal = c.offlineJournal.string();
    if (auto st = r.text("journal", journal, false); !st) return st;
    c.offlineJournal = journal;
    if (auto st = r.integer("upload_batch", 1, 100, c.uploadBatch); !st) return st;
    return r.integer("lease_renew_s", 1, 3600, c.leaseRenewS);
}

Status readBookingCodes(const Section& top, KioskConfig& c) {
    auto tables = top.tables("booking_code");
    if (!tables) return tables.error();
    for (std::size_t i = 0; i < tables->size(); ++i) {
        const Section& r = (*tables)[i];
        if (auto st = r.only({"name", "regex", "group"}); !st) return st;
        BookingCodePattern p;
        p.name = "pattern " + std::to_string(i + 1);
        if (auto st = r.text("name", p.name); !st) return st;
        if (auto st = r.text("regex", p.regex); !st) return st;
        if (p.regex.empty()) return r.fail("regex", "is missing");
        if (auto st = r.integer("group", 0, 9, p.group); !st) return st;
        c.bookingCodes.push_back(std::move(p));
    }
    // Compile once now so a bad pattern is a start-up error, not a silent miss at the kiosk.
    if (auto recognizer = BookingCodeRecognizer::create(c.bookingCodes); !recognizer)
        return top.fail("booking_code", recognizer.error().message);
    return Ok{};
}

} // namespace

Result<KioskConfig> parseKioskConfig(std::string_view tomlText, const std::string& origin) {
    auto doc = config::parseToml(tomlText, origin);
    if (!doc) return doc.error();
    KioskConfig config;
    const Section top = Section::root(*doc);
    if (auto st = top.only({"server", "printer", "screen", "languages", "timing", "hall", "booking_code", "offline"}); !st)
        return st.error();
    using Reader = Status (*)(const Section&, KioskConfig&);
    const std::pair<const char*, Reader> sections[] = {{"server", readServer},     {"printer", readPrinter},
                                                       {"screen", readScreen},     {"languages", readLanguages},
                                                       {"timing", readTiming},     {"hall", readHall},
                                                       {"offline", readOffline}};
    for (const auto& [name, reader] : sections) {
        if (!top.has(name)) continue;
        auto section = top.section(name);
        if (!section) return section.error();
        if (auto st = reader(*section, config); !st) return st.error();
    }
    if (auto st = readBookingCodes(top, config); !st) return st.error();
    return config;
}

Result<KioskConfig> loadKioskConfig(const std::filesystem::path& path) {
    auto text = config::readText(path);
    if (!text) return text.error();
    return parseKioskConfig(*text, path.string());
}

} // namespace loket::kiosk
