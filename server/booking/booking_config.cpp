#include "booking_config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace loket::server::booking {
namespace {

using loket::booking::System;

// `line`: where in the file (0: nowhere in particular); the message starts with the field.
struct Fail {
    std::string message;
    int line = 0;
};

int lineOf(const toml::node* n) { return n ? static_cast<int>(n->source().begin.line) : 0; }

std::string text(const toml::table& t, const std::string& where, const char* key, bool required) {
    const toml::node* n = t.get(key);
    if (!n) {
        if (required) throw Fail{where + "." + key + ": missing", lineOf(&t)};
        return "";
    }
    auto v = n->value<std::string>();
    if (!v) throw Fail{where + "." + key + ": must be a string", lineOf(n)};
    return *v;
}

std::int64_t integer(const toml::table& t, const std::string& where, const char* key, std::int64_t lo, std::int64_t hi,
                     std::int64_t fallback) {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    auto v = n->value<std::int64_t>();
    if (!v || *v < lo || *v > hi)
        throw Fail{where + "." + key + ": must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi), lineOf(n)};
    return *v;
}

bool boolean(const toml::table& t, const std::string& where, const char* key, bool fallback) {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    auto v = n->value<bool>();
    if (!v) throw Fail{where + "." + key + ": must be true or false", lineOf(n)};
    return *v;
}

std::string readSecret(const toml::table& t, const std::string& where) {
    const std::string file = text(t, where, "secret_file", false);
    const std::string env = text(t, where, "secret_env", false);
    if (!file.empty() && !env.empty()) throw Fail{where + ": give secret_file or secret_env, not both", lineOf(t.get("secret_env"))};
    std::string secret;
    if (!file.empty()) {
        std::ifstream in(file);
        if (!in) throw Fail{where + ".secret_file: cannot read '" + file + "'", lineOf(t.get("secret_file"))};
        std::getline(in, secret);
    } else if (!env.empty()) {
        const char* value = std::getenv(env.c_str());
        if (!value || !*value) throw Fail{where + ".secret_env: the environment variable " + env + " is not set", lineOf(t.get("secret_env"))};
        secret = value;
    }
    while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
    return secret;
}

// `p` prefixes the field names: "location 'noord'." for a [[location.booking]], empty at the top.
ConnectorConfig parseOne(const toml::table& t, int index, const std::vector<std::string>& serviceIds, const std::string& p) {
    std::string where = p + "booking #" + std::to_string(index + 1);
    for (auto&& [key, node] : t) {
        static const std::set<std::string> known{"system", "name", "endpoint", "location", "username", "secret_file",
                                                 "secret_env", "products", "names", "qr_codes", "pull_interval_s",
                                                 "lookup_timeout_ms", "pull_timeout_ms", "tomorrow_from"};
        if (!known.count(std::string(key.str()))) throw Fail{where + ": unknown key '" + std::string(key.str()) + "'", lineOf(&node)};
    }
    ConnectorConfig c;
    const std::string system = text(t, where, "system", true);
    auto s = loket::booking::systemFromName(system);
    if (!s) throw Fail{where + ".system: '" + system + "' is not one of: jcc, jcc_rest, qmatic, ics", lineOf(t.get("system"))};
    c.system = *s;
    c.name = text(t, where, "name", false);
    if (c.name.empty()) c.name = system;
    if (c.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
        throw Fail{where + ".name: use lower-case letters, digits, - and _ only", lineOf(t.get("name"))};
    where = p + "booking '" + c.name + "'";
    c.endpoint = text(t, where, "endpoint", true);
    while (!c.endpoint.empty() && c.endpoint.back() == '/') c.endpoint.pop_back();
    if (c.endpoint.rfind("https://", 0) != 0 && c.endpoint.rfind("http://", 0) != 0)
        throw Fail{where + ".endpoint: must start with https:// (or http:// on a closed network)", lineOf(t.get("endpoint"))};
    c.location = text(t, where, "location", c.system != System::Ics);
    c.username = text(t, where, "username", false);
    c.secret = readSecret(t, where);
    if (c.system == System::JccRest && (c.username.empty() || c.secret.empty()))
        throw Fail{where + ": JCC REST needs username (the client id) and a secret (secret_file or secret_env)", lineOf(&t)};
    if (c.system == System::Qmatic && c.secret.empty())
        throw Fail{where + ": Qmatic needs its API key as the secret (secret_file or secret_env)", lineOf(&t)};
    c.keepNames = boolean(t, where, "names", true);
    c.jccQrCodes = boolean(t, where, "qr_codes", true);
    c.pullInterval = std::chrono::seconds(integer(t, where, "pull_interval_s", 10, 24 * 3600, 300));
    c.lookupTimeout = std::chrono::milliseconds(integer(t, where, "lookup_timeout_ms", 100, 10000, 2000));
    c.pullTimeout = std::chrono::milliseconds(integer(t, where, "pull_timeout_ms", 500, 120000, 10000));
    const std::string from = text(t, where, "tomorrow_from", false);
    if (!from.empty()) {
        int h = -1, m = -1;
        char colon = 0;
        std::istringstream in(from);
        in >> h >> colon >> m;
        if (!in || colon != ':' || h < 0 || h > 23 || m < 0 || m > 59 || !in.eof())
            throw Fail{where + ".tomorrow_from: must be a time like \"15:00\"", lineOf(t.get("tomorrow_from"))};
        c.tomorrowFromS = h * 3600 + m * 60;
    }
    const toml::table* products = t.get_as<toml::table>("products");
    if (!products || products->empty())
        throw Fail{where + ".products: missing: map the system's products to Loket services ([" + p + "booking.products])", lineOf(&t)};
    for (auto&& [key, node] : *products) {
        auto service = node.value<std::string>();
        if (!service) throw Fail{where + ".products." + std::string(key.str()) + ": must be a Loket service id", lineOf(&node)};
        if (std::find(serviceIds.begin(), serviceIds.end(), *service) == serviceIds.end())
            throw Fail{where + ".products." + std::string(key.str()) + ": '" + *service + "' is not a configured service" +
                           (p.empty() ? "" : " of the location"),
                       lineOf(&node)};
        c.products[std::string(key.str())] = *service;
    }
    return c;
}

// The [[booking]] (or [[location.booking]]) list `node` of one hall; `p` as for parseOne.
std::vector<ConnectorConfig> parseList(const toml::node& node, const std::vector<std::string>& serviceIds, const std::string& p) {
    const std::string section = "[[" + std::string(p.empty() ? "" : "location.") + "booking]]";
    const toml::array* list = node.as_array();
    if (!list) throw Fail{p + "booking: write each booking system as a " + section + " section", lineOf(&node)};
    std::vector<ConnectorConfig> out;
    std::set<std::string> names;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::table* t = (*list)[i].as_table();
        if (!t) throw Fail{p + "booking #" + std::to_string(i + 1) + ": must be a " + section + " table", lineOf(&(*list)[i])};
        ConnectorConfig c = parseOne(*t, static_cast<int>(i), serviceIds, p);
        if (!names.insert(c.name).second)
            throw Fail{p + "booking '" + c.name + "': the name is used twice (set name = …)", lineOf(t->get("name") ? t->get("name") : t)};
        out.push_back(std::move(c));
    }
    return out;
}

Error failure(const Fail& f, const std::string& fileName) {
    if (fileName.empty()) return makeError(ErrorCode::ConfigError, f.message);
    return makeError(ErrorCode::ConfigError, fileName + (f.line > 0 ? ":" + std::to_string(f.line) : std::string()) + ": " + f.message);
}

std::string readAll(const std::string& path, bool& ok) {
    std::ifstream in(path);
    ok = static_cast<bool>(in);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

Result<std::vector<ConnectorConfig>> parseBookingConfig(const std::string& tomlText, const std::vector<std::string>& serviceIds) {
    auto all = parseLocationBookingConfig(tomlText, "", {{"", serviceIds}});
    if (!all) return all.error();
    auto one = all->find("");
    return one == all->end() ? std::vector<ConnectorConfig>{} : std::move(one->second);
}

Result<ConnectorsByLocation> parseLocationBookingConfig(const std::string& tomlText, const std::string& fileName,
                                                        const std::map<std::string, std::vector<std::string>>& servicesByLocation) {
    toml::table root;
    try {
        root = toml::parse(tomlText);
    } catch (const toml::parse_error& e) {
        return makeError(ErrorCode::ConfigError, (fileName.empty() ? std::string("hall config") : fileName) + ": " + std::string(e.description()));
    }
    ConnectorsByLocation out;
    try {
        const toml::array* locations = root.get("location") ? root.get("location")->as_array() : nullptr;
        if (!locations) {
            // A one-location file: [[booking]] at the top.
            if (const toml::node* node = root.get("booking")) {
                auto services = servicesByLocation.find("");
                out[""] = parseList(*node, services == servicesByLocation.end() ? std::vector<std::string>{} : services->second, "");
            }
            return out;
        }
        // A city: each location's own booking systems, in its [[location]]; its appointments go
        // to its own book, with its own services.
        if (const toml::node* top = root.get("booking"))
            throw Fail{"booking: put it inside its [[location]] ([[location.booking]]) when the file names locations", lineOf(top)};
        for (auto&& item : *locations) {
            const toml::table* t = item.as_table();
            if (!t) continue; // the server's own reader names this mistake
            const std::string id = t->get("id") ? t->get("id")->value_or(std::string()) : std::string();
            const toml::node* node = t->get("booking");
            if (!node) continue;
            auto services = servicesByLocation.find(id);
            if (services == servicesByLocation.end())
                throw Fail{"location '" + id + "'.booking: the location is not configured", lineOf(node)};
            out[id] = parseList(*node, services->second, "location '" + id + "'.");
        }
    } catch (const Fail& f) {
        return failure(f, fileName);
    }
    return out;
}

Result<std::vector<ConnectorConfig>> loadBookingConfig(const std::string& path, const std::vector<std::string>& serviceIds) {
    bool ok = false;
    const std::string text = readAll(path, ok);
    if (!ok) return makeError(ErrorCode::ConfigError, "cannot read the hall config '" + path + "'");
    return parseBookingConfig(text, serviceIds);
}

Result<ConnectorsByLocation> loadLocationBookingConfig(const std::string& path,
                                                       const std::map<std::string, std::vector<std::string>>& servicesByLocation) {
    bool ok = false;
    const std::string text = readAll(path, ok);
    if (!ok) return makeError(ErrorCode::ConfigError, "cannot read the hall config '" + path + "'");
    return parseLocationBookingConfig(text, std::filesystem::path(path).filename().string(), servicesByLocation);
}

} // namespace loket::server::booking
