#include "server_config.hpp"

#include "crypto.hpp"

#include "shared/config/config_reader.hpp"
#include "shared/core/configuration.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace loket::server {
using namespace loket::core;

const char* roleName(Role role) {
    switch (role) {
    case Role::Kiosk: return "kiosk";
    case Role::Display: return "display";
    case Role::Counter: return "counter";
    case Role::Admin: return "admin";
    case Role::Host: return "host";
    }
    return "kiosk";
}

const std::vector<std::string>& staffRolesByPower() {
    static const std::vector<std::string> roles = {"admin", "counter", "host"};
    return roles;
}

Role staffRoleFromName(const std::string& name) {
    return name == "admin" ? Role::Admin : name == "host" ? Role::Host : Role::Counter;
}

namespace {

// Thrown inside this file only; loadServerConfig turns it into a Result.
struct ConfigFault { std::string message; };

class Reader {
public:
    explicit Reader(std::string file) : m_file(std::move(file)) {}

    [[noreturn]] void fail(const toml::node* node, const std::string& field, const std::string& message) const {
        const int line = node ? static_cast<int>(node->source().begin.line) : 0;
        throw ConfigFault{config::describe(config::Problem{m_file, line, field, message})};
    }

    // Rejects keys the server does not know, so a typo is an error and not a silent default.
    void onlyKeys(const toml::table& t, const std::string& where, std::initializer_list<const char*> known) const {
        std::set<std::string> allowed(known.begin(), known.end());
        for (auto&& [key, node] : t)
            if (!allowed.count(std::string(key.str())))
                fail(&node, where + "." + std::string(key.str()), "unknown field (a typo?)");
    }

    std::string string(const toml::table& t, const std::string& where, const char* key, std::optional<std::string> fallback = {}) const {
        const toml::node* n = t.get(key);
        if (!n) {
            if (fallback) return *fallback;
            fail(&t, where + "." + key, "missing");
        }
        if (!n->is_string()) fail(n, where + "." + key, "must be text in quotes");
        return n->value<std::string>().value();
    }

    std::int64_t integer(const toml::table& t, const std::string& where, const char* key, std::int64_t lo, std::int64_t hi,
                         std::optional<std::int64_t> fallback = {}) const {
        const toml::node* n = t.get(key);
        if (!n) {
            if (fallback) return *fallback;
            fail(&t, where + "." + key, "missing");
        }
        if (!n->is_integer()) fail(n, where + "." + key, "must be a whole number");
        auto v = n->value<std::int64_t>().value();
        if (v < lo || v > hi) fail(n, where + "." + key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        return v;
    }

    bool boolean(const toml::table& t, const std::string& where, const char* key, bool fallback) const {
        const toml::node* n = t.get(key);
        if (!n) return fallback;
        if (!n->is_boolean()) fail(n, where + "." + key, "must be true or false");
        return n->value<bool>().value();
    }

    std::vector<std::string> strings(const toml::table& t, const std::string& where, const char* key, bool required) const {
        const toml::node* n = t.get(key);
        if (!n) {
            if (required) fail(&t, where + "." + key, "missing");
            return {};
        }
        const toml::array* a = n->as_array();
        if (!a) fail(n, where + "." + key, "must be a list like [\"a\", \"b\"]");
        std::vector<std::string> out;
        for (auto&& e : *a) {
            if (!e.is_string()) fail(&e, where + "." + key, "every entry must be text in quotes");
            out.push_back(e.value<std::string>().value());
        }
        return out;
    }

    // { nl = "…", en = "…" } or just "…" (Dutch).
    LocalText localText(const toml::table& t, const std::string& where, const char* key, bool required) const {
        const toml::node* n = t.get(key);
        LocalText out;
        if (!n) {
            if (required) fail(&t, where + "." + key, "missing");
            return out;
        }
        if (n->is_string()) {
            out["nl"] = n->value<std::string>().value();
            return out;
        }
        const toml::table* tt = n->as_table();
        if (!tt) fail(n, where + "." + key, "must be text or a table like { nl = \"…\", en = \"…\" }");
        for (auto&& [lang, v] : *tt) {
            if (!v.is_string()) fail(&v, where + "." + key + "." + std::string(lang.str()), "must be text in quotes");
            out[std::string(lang.str())] = v.value<std::string>().value();
        }
        if (!out.count("nl")) fail(n, where + "." + key, "needs at least the Dutch text (nl = \"…\")");
        return out;
    }

    const std::string& file() const { return m_file; }

private:
    std::string m_file;
};

// "08:30-12:30"
std::pair<std::int32_t, std::int32_t> parsePeriod(const Reader& r, const toml::node& n, const std::string& where) {
    if (!n.is_string()) r.fail(&n, where, "must be a period like \"08:30-12:30\"");
    std::string text = n.value<std::string>().value();
    int h1, m1, h2, m2;
    char tail;
    if (std::sscanf(text.c_str(), "%d:%d-%d:%d%c", &h1, &m1, &h2, &m2, &tail) != 4 || h1 < 0 || h1 > 24 || m1 < 0 ||
        m1 > 59 || h2 < 0 || h2 > 24 || m2 < 0 || m2 > 59)
        r.fail(&n, where, "'" + text + "' is not a period like \"08:30-12:30\"");
    std::int32_t open = h1 * 3600 + m1 * 60, close = h2 * 3600 + m2 * 60;
    if (close <= open || close > 86400) r.fail(&n, where, "'" + text + "' must end after it starts, on the same day");
    return {open, close};
}

OpeningHours parseHours(const Reader& r, const toml::table& root, const char* name, const OpeningHours* fallback,
                        const std::string& prefix = {}) {
    const toml::node* n = root.get(name);
    const std::string keyText = prefix + name;
    const char* key = keyText.c_str();
    if (!n) {
        if (fallback) return *fallback;
        OpeningHours always;
        always.alwaysOpen = true;
        return always;
    }
    const toml::table* t = n->as_table();
    if (!t) r.fail(n, key, "must be a table of weekdays");
    OpeningHours hours;
    static const char* days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    r.onlyKeys(*t, key, {"always", "mon", "tue", "wed", "thu", "fri", "sat", "sun"});
    hours.alwaysOpen = r.boolean(*t, key, "always", false);
    for (int d = 0; d < 7; ++d) {
        const toml::node* dn = t->get(days[d]);
        if (!dn) continue;
        const toml::array* a = dn->as_array();
        const std::string where = std::string(key) + "." + days[d];
        if (!a) r.fail(dn, where, "must be a list like [\"08:30-12:30\", \"13:30-17:00\"]");
        for (auto&& p : *a) hours.periods[static_cast<std::size_t>(d)].push_back(parsePeriod(r, p, where));
    }
    return hours;
}

Role parseRole(const Reader& r, const toml::table& t, const std::string& where, std::initializer_list<Role> allowed) {
    const std::string name = r.string(t, where, "role");
    for (Role role : allowed)
        if (name == roleName(role)) return role;
    std::string list;
    for (Role role : allowed) list += std::string(list.empty() ? "" : ", ") + roleName(role);
    r.fail(t.get("role"), where + ".role", "'" + name + "' is not one of: " + list);
}

bool isHex64(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// A path in the configuration: relative paths are relative to the config file's folder.
std::filesystem::path configPath(const Reader& r, const std::string& value) {
    std::filesystem::path p(value);
    if (p.is_relative()) p = std::filesystem::path(r.file()).parent_path() / p;
    return p;
}

bool anyLocationHasCounter(const ServerConfig& sc, const std::string& id) {
    if (sc.locations.empty()) return sc.hall.counterIndex(id).has_value();
    return std::any_of(sc.locations.begin(), sc.locations.end(), [&](const LocationConfig& l) { return l.hall.counterIndex(id).has_value(); });
}

// [directory]: see docs/deploy.md "Directory login". The search account's password never sits in
// this file: it comes from bind_password_file (a file readable by the service only) or
// bind_password_env (an environment variable, e.g. from systemd's LoadCredential/Environment).
std::optional<directory::DirectoryConfig> parseDirectory(const Reader& r, const toml::table& root, const ServerConfig& sc) {
    const toml::node* node = root.get("directory");
    if (!node) return std::nullopt;
    const toml::table* t = node->as_table();
    if (!t) r.fail(node, "directory", "must be a [directory] table");
    r.onlyKeys(*t, "directory", {"url", "starttls", "ca_file", "bind_dn", "bind_password_file", "bind_password_env", "base_dn",
                                 "user_filter", "group_attribute", "group_base_dn", "group_filter", "disabled_filter",
                                 "check_user_account_control", "timeout_ms", "group"});
    directory::DirectoryConfig d;
    d.url = r.string(*t, "directory", "url");
    d.startTls = r.boolean(*t, "directory", "starttls", false);
    if (const std::string ca = r.string(*t, "directory", "ca_file", ""); !ca.empty()) {
        d.caFile = configPath(r, ca).string();
        if (!std::filesystem::exists(d.caFile)) r.fail(t->get("ca_file"), "directory.ca_file", "'" + d.caFile + "' does not exist");
    }
    d.bindDn = r.string(*t, "directory", "bind_dn", "");
    const std::string passwordFile = r.string(*t, "directory", "bind_password_file", "");
    const std::string passwordEnv = r.string(*t, "directory", "bind_password_env", "");
    if (!passwordFile.empty() && !passwordEnv.empty())
        r.fail(t->get("bind_password_env"), "directory.bind_password_env", "give bind_password_file or bind_password_env, not both");
    if (!passwordFile.empty()) {
        std::ifstream in(configPath(r, passwordFile), std::ios::binary);
        if (!in) r.fail(t->get("bind_password_file"), "directory.bind_password_file", "'" + configPath(r, passwordFile).string() + "' cannot be read");
        std::getline(in, d.bindPassword); // the first line; a trailing newline is not part of it
        if (!d.bindPassword.empty() && d.bindPassword.back() == '\r') d.bindPassword.pop_back();
    } else if (!passwordEnv.empty()) {
        const char* value = std::getenv(passwordEnv.c_str());
        if (!value || !*value) r.fail(t->get("bind_password_env"), "directory.bind_password_env", "the environment variable " + passwordEnv + " is not set");
        d.bindPassword = value;
    }
    if (!d.bindDn.empty() && d.bindPassword.empty())
        r.fail(t->get("bind_dn"), "directory.bind_dn", "needs bind_password_file or bind_password_env");
    d.baseDn = r.string(*t, "directory", "base_dn");
    d.userFilter = r.string(*t, "directory", "user_filter", d.userFilter);
    d.groupAttribute = r.string(*t, "directory", "group_attribute", d.groupAttribute);
    d.groupBaseDn = r.string(*t, "directory", "group_base_dn", "");
    d.groupFilter = r.string(*t, "directory", "group_filter", "");
    d.disabledFilter = r.string(*t, "directory", "disabled_filter", "");
    d.checkUserAccountControl = r.boolean(*t, "directory", "check_user_account_control", true);
    d.timeout = std::chrono::milliseconds(r.integer(*t, "directory", "timeout_ms", 100, 60000, 5000));
    const toml::array* groups = t->get_as<toml::array>("group");
    if (!groups || groups->empty()) r.fail(t, "directory.group", "missing: map at least one directory group to a role ([[directory.group]])");
    for (auto&& g : *groups) {
        const toml::table* gt = g.as_table();
        if (!gt) r.fail(&g, "directory.group", "must be a [[directory.group]] table");
        directory::GroupRule rule;
        rule.group = r.string(*gt, "directory.group", "dn");
        const std::string where = "directory.group '" + rule.group + "'";
        r.onlyKeys(*gt, where, {"dn", "role", "counters"});
        rule.role = r.string(*gt, where, "role");
        const auto& roles = staffRolesByPower();
        if (std::find(roles.begin(), roles.end(), rule.role) == roles.end())
            r.fail(gt->get("role"), where + ".role", "'" + rule.role + "' is not one of: admin, counter, host");
        rule.counters = r.strings(*gt, where, "counters", rule.role == "counter"); // the host works at no counter
        for (const auto& id : rule.counters)
            if (id != "*" && !anyLocationHasCounter(sc, id))
                r.fail(gt->get("counters"), where + ".counters", "'" + id + "' is not a configured counter");
        d.groups.push_back(std::move(rule));
    }
    if (auto ok = directory::validate(d); !ok) r.fail(t, "directory", ok.error().message);
    return d;
}

// [tls]: see docs/deploy.md "HTTPS".
std::optional<TlsConfig> parseTls(const Reader& r, const toml::table& root) {
    const toml::node* node = root.get("tls");
    if (!node) return std::nullopt;
    const toml::table* t = node->as_table();
    if (!t) r.fail(node, "tls", "must be a [tls] table");
    r.onlyKeys(*t, "tls", {"cert_file", "key_file", "redirect_http_listen", "hsts_max_age_s"});
    TlsConfig c;
    c.certFile = configPath(r, r.string(*t, "tls", "cert_file"));
    c.keyFile = configPath(r, r.string(*t, "tls", "key_file"));
    for (const auto& [key, path] : {std::pair{"cert_file", c.certFile}, std::pair{"key_file", c.keyFile}})
        if (!std::filesystem::exists(path)) r.fail(t->get(key), std::string("tls.") + key, "'" + path.string() + "' does not exist");
    c.redirectHttpListen = r.string(*t, "tls", "redirect_http_listen", "");
    if (!c.redirectHttpListen.empty() && c.redirectHttpListen.rfind(':') == std::string::npos)
        r.fail(t->get("redirect_http_listen"), "tls.redirect_http_listen", "must be host:port, like 0.0.0.0:80");
    c.hstsMaxAgeS = static_cast<long>(r.integer(*t, "tls", "hsts_max_age_s", 0, 2 * 31536000, c.hstsMaxAgeS));
    return c;
}

// The part of a hall every location has for itself: opening hours, services, counters, devices.
// `p` prefixes field names ("location 'noord'." inside a [[location]], empty at the top).
void parseHallBody(const Reader& r, const toml::table& root, const std::string& p, HallConfig& hall, std::vector<DeviceConfig>& allDevices,
                   const std::string& location, const OpeningHours* defaultHours, const OpeningHours* defaultWalkInHours) {
    hall.hours = parseHours(r, root, "hours", defaultHours, p);
    hall.walkInHours = parseHours(r, root, "walk_in_hours", defaultWalkInHours ? defaultWalkInHours : &hall.hours, p);
    // Dated exceptions (a closed day, a short day, an evening opening), as the admin page sets them.
    if (const toml::node* list = root.get("hours_exception")) {
        const toml::array* a = list->as_array();
        if (!a) r.fail(list, p + "hours_exception", "must be [[hours_exception]] tables");
        for (auto&& node : *a) {
            const toml::table* t = node.as_table();
            if (!t) r.fail(&node, p + "hours_exception", "must be a [[hours_exception]] table");
            const std::string date = r.string(*t, p + "hours_exception", "date");
            const std::string where = p + "hours_exception '" + date + "'";
            r.onlyKeys(*t, where, {"date", "kind", "hours", "note"});
            SetDayException e;
            if (!parseDate(date, e.day)) r.fail(t->get("date"), where + ".date", "must be a date like 2026-12-25");
            if (hall.dayExceptions.count(e.day)) r.fail(t, where + ".date", "is used twice");
            const std::string kind = r.string(*t, where, "kind", "closed");
            auto k = parseDayExceptionKind(kind);
            if (!k) r.fail(t->get("kind"), where + ".kind", "'" + kind + "' is not one of: closed, short, evening");
            e.exception.kind = *k;
            if (const toml::node* hn = t->get("hours")) {
                const toml::array* ha = hn->as_array();
                if (!ha) r.fail(hn, where + ".hours", "must be a list like [\"08:30-12:30\"]");
                for (auto&& p : *ha) e.exception.periods.push_back(parsePeriod(r, p, where + ".hours"));
            }
            if (t->get("note")) e.exception.note = r.localText(*t, where, "note", false);
            if (auto valid = validateConfigChange(hall, e); !valid) {
                const std::string field = valid.error().details.field.value_or("");
                r.fail(field.empty() ? t : t->get(field == "periods" ? "hours" : field), where + "." + (field == "periods" ? "hours" : field),
                       valid.error().message);
            }
            applyConfigurationChange(hall, e);
        }
    }

    const toml::array* services = root.get_as<toml::array>("service");
    if (!services || services->empty()) r.fail(&root, p + "service", "missing: add at least one [[" + std::string(p.empty() ? "" : "location.") + "service]]");
    if (services->size() > kMaxServices) r.fail(services, p + "service", "at most 64 services");
    std::set<char> prefixes;
    for (auto&& node : *services) {
        const toml::table* t = node.as_table();
        if (!t) r.fail(&node, p + "service", "must be a [[service]] table");
        ServiceConfig s;
        s.id = r.string(*t, p + "service", "id");
        const std::string where = p + "service '" + s.id + "'";
        r.onlyKeys(*t, where, {"id", "prefix", "name", "description", "bring", "public_label", "walk_in", "appointment",
                               "online", "expected_duration_s", "walk_in_target_s"});
        if (s.id.empty() || s.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
            r.fail(t->get("id"), where + ".id", "use lower-case letters, digits, - and _ only");
        if (hall.serviceIndex(s.id)) r.fail(t, where + ".id", "is used twice");
        const std::string prefix = r.string(*t, where, "prefix");
        if (prefix.size() != 1 || prefix[0] < 'A' || prefix[0] > 'Z')
            r.fail(t->get("prefix"), where + ".prefix", "must be one capital letter A-Z");
        s.prefix = prefix[0];
        s.name = r.localText(*t, where, "name", true);
        s.description = r.localText(*t, where, "description", false);
        s.bring = r.localText(*t, where, "bring", false);
        if (t->get("public_label")) s.publicLabel = r.localText(*t, where, "public_label", true);
        s.walkIn = r.boolean(*t, where, "walk_in", true);
        s.appointment = r.boolean(*t, where, "appointment", true);
        if (!s.walkIn && !s.appointment) r.fail(t, where, "takes neither walk-ins nor appointments");
        s.online = r.boolean(*t, where, "online", false);
        s.expectedDurationS = r.integer(*t, where, "expected_duration_s", 30, 4 * 3600);
        s.walkInTargetS = r.integer(*t, where, "walk_in_target_s", 60, 4 * 3600, 600);
        prefixes.insert(s.prefix);
        hall.services.push_back(std::move(s));
    }

    const toml::array* counters = root.get_as<toml::array>("counter");
    if (!counters || counters->empty()) r.fail(&root, p + "counter", "missing: add at least one [[" + std::string(p.empty() ? "" : "location.") + "counter]]");
    for (auto&& node : *counters) {
        const toml::table* t = node.as_table();
        if (!t) r.fail(&node, p + "counter", "must be a [[counter]] table");
        CounterConfig c;
        c.id = r.string(*t, p + "counter", "id");
        const std::string where = p + "counter '" + c.id + "'";
        r.onlyKeys(*t, where, {"id", "name", "services", "location", "sitting_desk"});
        if (hall.counterIndex(c.id)) r.fail(t, where + ".id", "is used twice");
        c.name = r.string(*t, where, "name");
        c.location = r.string(*t, where, "location", "");
        c.sittingDesk = r.boolean(*t, where, "sitting_desk", false);
        if (!validCounterLocation(c.location))
            r.fail(t->get("location"), where + ".location", "is one of left, right, up, down, up-left, up-right, down-left, down-right");
        for (const auto& id : r.strings(*t, where, "services", true)) {
            if (id == "*") { c.skills = hall.allServices(); continue; }
            auto s = hall.serviceIndex(id);
            if (!s) r.fail(t->get("services"), where + ".services", "'" + id + "' is not a configured service");
            c.skills |= bit(*s);
        }
        if (!c.skills) r.fail(t->get("services"), where + ".services", "is empty");
        hall.counters.push_back(std::move(c));
    }
    for (std::size_t i = 0; i < hall.services.size(); ++i) {
        bool served = false;
        for (const auto& c : hall.counters) served |= (c.skills & bit(static_cast<ServiceIndex>(i))) != 0;
        if (!served) r.fail(services->get(i), p + "service '" + hall.services[i].id + "'", "no counter serves it");
    }

    if (const toml::array* devices = root.get_as<toml::array>("device")) {
        for (auto&& node : *devices) {
            const toml::table* t = node.as_table();
            if (!t) r.fail(&node, p + "device", "must be a [[device]] table");
            DeviceConfig d;
            d.id = r.string(*t, p + "device", "id");
            const std::string where = p + "device '" + d.id + "'";
            d.location = location;
            r.onlyKeys(*t, where, {"id", "role", "name", "token_sha256", "checkins_per_minute", "checkin_burst"});
            for (const auto& other : allDevices)
                if (other.id == d.id) r.fail(t, where + ".id", "is used twice");
            d.role = parseRole(r, *t, where, {Role::Kiosk, Role::Display, Role::Admin});
            d.name = r.string(*t, where, "name", d.id);
            d.checkinsPerMinute = r.integer(*t, where, "checkins_per_minute", 1, 10'000'000, d.checkinsPerMinute);
            d.checkinBurst = r.integer(*t, where, "checkin_burst", 1, 10'000'000, d.checkinBurst);
            d.tokenSha256 = r.string(*t, where, "token_sha256");
            if (!isHex64(d.tokenSha256))
                r.fail(t->get("token_sha256"), where + ".token_sha256",
                       "must be the SHA-256 of the token as 64 lower-case hex digits (printf %s TOKEN | sha256sum)");
            allDevices.push_back(std::move(d));
        }
    }
}

// [[location]]: a city's locations (docs/locations.md). Each has the hall body of a one-location
// file; [hall], [norm_policy], [hours] and [walk_in_hours] at the top are every location's defaults.
void parseLocations(const Reader& r, const toml::table& root, ServerConfig& sc) {
    const toml::node* node = root.get("location");
    if (!node) return;
    const toml::array* list = node->as_array();
    if (!list || list->empty()) r.fail(node, "location", "must be [[location]] tables");
    for (const char* key : {"service", "counter", "device", "hours_exception", "booking"})
        if (const toml::node* n = root.get(key))
            r.fail(n, key, std::string("put it inside its [[location]] ([[location.") + key + "]]) when the file names locations");
    const bool rootHours = root.get("hours") != nullptr, rootWalkIn = root.get("walk_in_hours") != nullptr;
    const HallConfig defaults = sc.hall; // the [hall] settings and the top-level hours
    for (auto&& item : *list) {
        const toml::table* t = item.as_table();
        if (!t) r.fail(&item, "location", "must be a [[location]] table");
        LocationConfig loc;
        loc.id = r.string(*t, "location", "id");
        const std::string where = "location '" + loc.id + "'";
        r.onlyKeys(*t, where, {"id", "name", "banner", "hours", "walk_in_hours", "hours_exception", "service", "counter", "device",
                               "booking" /* [[location.booking]], read by server/booking */});
        if (loc.id.empty() || loc.id.size() > 32 || loc.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
            r.fail(t->get("id"), where + ".id", "use 1 to 32 lower-case letters, digits and _ only");
        if (findLocation(sc, loc.id)) r.fail(t, where + ".id", "is used twice");
        loc.hall = defaults;
        loc.hall.services.clear();
        loc.hall.counters.clear();
        loc.hall.dayExceptions.clear();
        loc.hall.name = r.string(*t, where, "name");
        if (t->get("banner")) loc.hall.banner = r.localText(*t, where, "banner", false);
        parseHallBody(r, *t, where + ".", loc.hall, sc.devices, loc.id, rootHours ? &defaults.hours : nullptr,
                      rootWalkIn ? &defaults.walkInHours : nullptr);
        sc.locations.push_back(std::move(loc));
    }
    sc.hall = sc.locations.front().hall;
    // A token names one device, so one location: the same token in two would be ambiguous.
    for (std::size_t i = 0; i < sc.devices.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (sc.devices[i].tokenSha256 == sc.devices[j].tokenSha256 && sc.devices[i].location != sc.devices[j].location)
                r.fail(list, "location '" + sc.devices[i].location + "'.device '" + sc.devices[i].id + "'.token_sha256",
                       "the same token as device '" + sc.devices[j].id + "' of location '" + sc.devices[j].location +
                           "': every location's devices need their own tokens");
}

ServerConfig build(const Reader& r, const toml::table& root) {
    ServerConfig sc;
    HallConfig& hall = sc.hall;
    r.onlyKeys(root, "file", {"hall", "hours", "walk_in_hours", "service", "counter", "device", "staff", "norm_policy",
                              "booking" /* read by server/booking */, "directory", "tls", "hours_exception", "location"});

    const toml::table* h = root.get_as<toml::table>("hall");
    if (!h) r.fail(&root, "hall", "missing: the file needs a [hall] table");
    r.onlyKeys(*h, "hall", {"name", "timezone", "public_base_url", "norm_s", "early_checkin_s", "no_answer_cooldown_s", "policy",
                         "max_streams_per_credential", "trusted_proxy", "audit_days", "store", "banner"});
    hall.name = r.string(*h, "hall", "name");
    if (h->get("banner")) hall.banner = r.localText(*h, "hall", "banner", false);
    sc.timeZone = r.string(*h, "hall", "timezone", "Europe/Amsterdam");
    if (!std::filesystem::exists("/usr/share/zoneinfo/" + sc.timeZone) || sc.timeZone.find("..") != std::string::npos)
        r.fail(h->get("timezone"), "hall.timezone", "'" + sc.timeZone + "' is not a known time zone (like Europe/Amsterdam)");
    sc.publicBaseUrl = r.string(*h, "hall", "public_base_url", "http://localhost:8080");
    while (!sc.publicBaseUrl.empty() && sc.publicBaseUrl.back() == '/') sc.publicBaseUrl.pop_back();
    if (sc.publicBaseUrl.rfind("http://", 0) != 0 && sc.publicBaseUrl.rfind("https://", 0) != 0)
        r.fail(h->get("public_base_url"), "hall.public_base_url", "must start with http:// or https://");
    sc.trustedProxy = r.string(*h, "hall", "trusted_proxy", "");
    hall.normS = r.integer(*h, "hall", "norm_s", 60, 7200, 300);
    hall.earlyCheckInS = r.integer(*h, "hall", "early_checkin_s", 0, 4 * 3600, 1800);
    hall.noAnswerCooldownS = r.integer(*h, "hall", "no_answer_cooldown_s", 0, 3600, 300);
    sc.maxStreamsPerCredential = static_cast<int>(r.integer(*h, "hall", "max_streams_per_credential", 1, 100000, sc.maxStreamsPerCredential));
    sc.auditDays = static_cast<int>(r.integer(*h, "hall", "audit_days", 1, 3650, 90));
    sc.store = r.string(*h, "hall", "store", "");
    const std::string policy = r.string(*h, "hall", "policy", "norm");
    auto kind = parsePolicy(policy);
    if (!kind) r.fail(h->get("policy"), "hall.policy", "'" + policy + "' is not one of: norm, norm_v1, fifo, appointments_first, edf");
    hall.policy = *kind;
    if (const toml::table* np = root.get_as<toml::table>("norm_policy")) {
        r.onlyKeys(*np, "norm_policy", {"active_before_s", "walk_in_starvation_s", "slack_margin_s", "look_ahead_s",
                                        "plan_horizon_s", "hard_cap_s", "walk_in_load_percent", "walk_in_grace_s", "triage_limit",
                                        "walk_in_grace_load_percent", "plan_risk_percent", "walk_in_risk_percent"});
        hall.normParams.activeBeforeS = r.integer(*np, "norm_policy", "active_before_s", 0, 3600, hall.normParams.activeBeforeS);
        hall.normParams.walkInStarvationS = r.integer(*np, "norm_policy", "walk_in_starvation_s", 0, 4 * 3600, hall.normParams.walkInStarvationS);
        hall.normParams.slackMarginS = r.integer(*np, "norm_policy", "slack_margin_s", 0, 3600, hall.normParams.slackMarginS);
        hall.normParams.lookAheadS = r.integer(*np, "norm_policy", "look_ahead_s", 0, 4 * 3600, hall.normParams.lookAheadS);
        hall.normParams.planHorizonS = r.integer(*np, "norm_policy", "plan_horizon_s", 0, 4 * 3600, hall.normParams.planHorizonS);
        hall.normParams.hardCapS = r.integer(*np, "norm_policy", "hard_cap_s", 600, 8 * 3600, hall.normParams.hardCapS);
        hall.normParams.walkInLoadPercent = static_cast<int>(
            r.integer(*np, "norm_policy", "walk_in_load_percent", 0, 400, hall.normParams.walkInLoadPercent));
        hall.normParams.walkInGraceS = r.integer(*np, "norm_policy", "walk_in_grace_s", 0, 4 * 3600, hall.normParams.walkInGraceS);
        hall.normParams.triageLimit = static_cast<int>(r.integer(*np, "norm_policy", "triage_limit", 0, 10, hall.normParams.triageLimit));
        hall.normParams.walkInGracePercent = static_cast<int>(
            r.integer(*np, "norm_policy", "walk_in_grace_load_percent", 0, 400, hall.normParams.walkInGracePercent));
        hall.normParams.planRiskPercent = static_cast<int>(r.integer(*np, "norm_policy", "plan_risk_percent", 0, 400, hall.normParams.planRiskPercent));
        hall.normParams.walkInRiskPercent =
            static_cast<int>(r.integer(*np, "norm_policy", "walk_in_risk_percent", 0, 1000, hall.normParams.walkInRiskPercent));
    }
    if (root.get("location")) {
        // A city: the top-level hours are the locations' defaults; the rest is per location.
        hall.hours = parseHours(r, root, "hours", nullptr);
        hall.walkInHours = parseHours(r, root, "walk_in_hours", &hall.hours);
        parseLocations(r, root, sc);
    } else {
        parseHallBody(r, root, "", hall, sc.devices, "", nullptr, nullptr);
    }
    if (const toml::array* staff = root.get_as<toml::array>("staff")) {
        for (auto&& node : *staff) {
            const toml::table* t = node.as_table();
            if (!t) r.fail(&node, "staff", "must be a [[staff]] table");
            StaffConfig s;
            s.username = r.string(*t, "staff", "username");
            const std::string where = "staff '" + s.username + "'";
            r.onlyKeys(*t, where, {"username", "password_hash", "role", "counters", "locations"});
            for (const auto& other : sc.staff)
                if (other.username == s.username) r.fail(t, where + ".username", "is used twice");
            s.passwordHash = r.string(*t, where, "password_hash");
            if (s.passwordHash.rfind("pbkdf2-sha256$", 0) != 0)
                r.fail(t->get("password_hash"), where + ".password_hash",
                       "must be a pbkdf2-sha256 hash (make one with: loket-server --hash-password)");
            s.role = parseRole(r, *t, where, {Role::Counter, Role::Admin, Role::Host});
            s.counters = r.strings(*t, where, "counters", false);
            s.locations = r.strings(*t, where, "locations", false);
            if (t->get("locations") && sc.locations.empty())
                r.fail(t->get("locations"), where + ".locations", "the file names no [[location]]");
            if (t->get("locations") && s.locations.empty()) r.fail(t->get("locations"), where + ".locations", "is empty");
            for (const auto& id : s.locations)
                if (!findLocation(sc, id)) r.fail(t->get("locations"), where + ".locations", "'" + id + "' is not a configured location");
            for (const auto& id : s.counters) {
                bool known = false;
                for (const auto& loc : sc.locations)
                    known |= staffMayWorkAt(sc, s, loc.id) && loc.hall.counterIndex(id).has_value();
                if (sc.locations.empty()) known = hall.counterIndex(id).has_value();
                if (id != "*" && !known)
                    r.fail(t->get("counters"), where + ".counters", "'" + id + "' is not a configured counter" +
                                                                          (sc.locations.empty() ? "" : " of its locations"));
            }
            sc.staff.push_back(std::move(s));
        }
    }
    sc.directory = parseDirectory(r, root, sc);
    sc.tls = parseTls(r, root);
    if (sc.tls && sc.publicBaseUrl.rfind("https://", 0) != 0)
        r.fail(h->get("public_base_url"), "hall.public_base_url", "must start with https:// when [tls] is set");
    // The published demo credentials must never go unnoticed in a real hall.
    for (const char* token : {"demo-kiosk-token", "demo-display-token", "demo-admin-token"})
        for (const auto& d : sc.devices) sc.demoCredentials |= d.tokenSha256 == sha256Hex(token);
    for (const auto& s : sc.staff) sc.demoCredentials |= verifyPassword("demo-demo-demo", s.passwordHash);
    return sc;
}

} // namespace

const LocationConfig* findLocation(const ServerConfig& config, const std::string& id) {
    for (const auto& l : config.locations)
        if (l.id == id) return &l;
    return nullptr;
}

bool staffMayWorkAt(const ServerConfig& config, const StaffConfig& staff, const std::string& location) {
    return locationListAllows(config, staff.locations, location);
}

bool locationListAllows(const ServerConfig& config, const std::vector<std::string>& locations, const std::string& location) {
    if (config.locations.empty()) return location.empty();
    if (!findLocation(config, location)) return false;
    return locations.empty() || std::find(locations.begin(), locations.end(), location) != locations.end();
}

ServerConfig configForLocation(const ServerConfig& config, const std::string& location) {
    ServerConfig out = config;
    const LocationConfig* l = findLocation(config, location);
    if (!l) return out;
    out.hall = l->hall;
    out.devices.clear();
    for (const auto& d : config.devices)
        if (d.location == location) out.devices.push_back(d);
    return out;
}

Result<ServerConfig> parseServerConfig(std::string_view text, const std::string& fileName) {
    Reader reader(fileName);
    auto doc = config::parseToml(text, fileName);
    if (!doc) return doc.error();
    try {
        return build(reader, doc->root);
    } catch (const ConfigFault& f) {
        return makeError(ErrorCode::ConfigError, f.message);
    }
}

Result<ServerConfig> loadServerConfig(const std::filesystem::path& file) {
    auto text = config::readText(file);
    if (!text) return makeError(ErrorCode::ConfigError, file.string() + ": cannot be read");
    return parseServerConfig(*text, file.string());
}

} // namespace loket::server
