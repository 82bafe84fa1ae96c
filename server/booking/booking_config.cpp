#include "booking_config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace loket::server::booking {
namespace {

using loket::booking::System;

struct Fail {
    std::string message;
};

std::string text(const toml::table& t, const std::string& where, const char* key, bool required) {
    const toml::node* n = t.get(key);
    if (!n) {
        if (required) throw Fail{where + "." + key + ": missing"};
        return "";
    }
    auto v = n->value<std::string>();
    if (!v) throw Fail{where + "." + key + ": must be a string"};
    return *v;
}

std::int64_t integer(const toml::table& t, const std::string& where, const char* key, std::int64_t lo, std::int64_t hi,
                     std::int64_t fallback) {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    auto v = n->value<std::int64_t>();
    if (!v || *v < lo || *v > hi)
        throw Fail{where + "." + key + ": must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi)};
    return *v;
}

bool boolean(const toml::table& t, const std::string& where, const char* key, bool fallback) {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    auto v = n->value<bool>();
    if (!v) throw Fail{where + "." + key + ": must be true or false"};
    return *v;
}

std::string readSecret(const toml::table& t, const std::string& where) {
    const std::string file = text(t, where, "secret_file", false);
    const std::string env = text(t, where, "secret_env", false);
    if (!file.empty() && !env.empty()) throw Fail{where + ": give secret_file or secret_env, not both"};
    std::string secret;
    if (!file.empty()) {
        std::ifstream in(file);
        if (!in) throw Fail{where + ".secret_file: cannot read '" + file + "'"};
        std::getline(in, secret);
    } else if (!env.empty()) {
        const char* value = std::getenv(env.c_str());
        if (!value || !*value) throw Fail{where + ".secret_env: the environment variable " + env + " is not set"};
        secret = value;
    }
    while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
    return secret;
}

ConnectorConfig parseOne(const toml::table& t, int index, const std::vector<std::string>& serviceIds) {
    std::string where = "booking #" + std::to_string(index + 1);
    for (auto&& [key, node] : t) {
        static const std::set<std::string> known{"system", "name", "endpoint", "location", "username", "secret_file",
                                                 "secret_env", "products", "names", "qr_codes", "pull_interval_s",
                                                 "lookup_timeout_ms", "pull_timeout_ms", "tomorrow_from"};
        if (!known.count(std::string(key.str()))) throw Fail{where + ": unknown key '" + std::string(key.str()) + "'"};
        (void)node;
    }
    ConnectorConfig c;
    const std::string system = text(t, where, "system", true);
    auto s = loket::booking::systemFromName(system);
    if (!s) throw Fail{where + ".system: '" + system + "' is not one of: jcc, jcc_rest, qmatic, ics"};
    c.system = *s;
    c.name = text(t, where, "name", false);
    if (c.name.empty()) c.name = system;
    if (c.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
        throw Fail{where + ".name: use lower-case letters, digits, - and _ only"};
    where = "booking '" + c.name + "'";
    c.endpoint = text(t, where, "endpoint", true);
    while (!c.endpoint.empty() && c.endpoint.back() == '/') c.endpoint.pop_back();
    if (c.endpoint.rfind("https://", 0) != 0 && c.endpoint.rfind("http://", 0) != 0)
        throw Fail{where + ".endpoint: must start with https:// (or http:// on a closed network)"};
    c.location = text(t, where, "location", c.system != System::Ics);
    c.username = text(t, where, "username", false);
    c.secret = readSecret(t, where);
    if (c.system == System::JccRest && (c.username.empty() || c.secret.empty()))
        throw Fail{where + ": JCC REST needs username (the client id) and a secret (secret_file or secret_env)"};
    if (c.system == System::Qmatic && c.secret.empty())
        throw Fail{where + ": Qmatic needs its API key as the secret (secret_file or secret_env)"};
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
            throw Fail{where + ".tomorrow_from: must be a time like \"15:00\""};
        c.tomorrowFromS = h * 3600 + m * 60;
    }
    const toml::table* products = t.get_as<toml::table>("products");
    if (!products || products->empty())
        throw Fail{where + ".products: missing: map the system's products to Loket services ([booking.products])"};
    for (auto&& [key, node] : *products) {
        auto service = node.value<std::string>();
        if (!service) throw Fail{where + ".products." + std::string(key.str()) + ": must be a Loket service id"};
        if (std::find(serviceIds.begin(), serviceIds.end(), *service) == serviceIds.end())
            throw Fail{where + ".products." + std::string(key.str()) + ": '" + *service + "' is not a configured service"};
        c.products[std::string(key.str())] = *service;
    }
    return c;
}

} // namespace

Result<std::vector<ConnectorConfig>> parseBookingConfig(const std::string& tomlText, const std::vector<std::string>& serviceIds) {
    toml::table root;
    try {
        root = toml::parse(tomlText);
    } catch (const toml::parse_error& e) {
        return makeError(ErrorCode::ConfigError, std::string("hall config: ") + std::string(e.description()));
    }
    std::vector<ConnectorConfig> out;
    const toml::node* node = root.get("booking");
    if (!node) return out;
    const toml::array* list = node->as_array();
    if (!list) return makeError(ErrorCode::ConfigError, "booking: write each booking system as a [[booking]] section");
    try {
        std::set<std::string> names;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const toml::table* t = (*list)[i].as_table();
            if (!t) throw Fail{"booking #" + std::to_string(i + 1) + ": must be a [[booking]] table"};
            ConnectorConfig c = parseOne(*t, static_cast<int>(i), serviceIds);
            if (!names.insert(c.name).second) throw Fail{"booking '" + c.name + "': the name is used twice (set name = …)"};
            out.push_back(std::move(c));
        }
    } catch (const Fail& f) {
        return makeError(ErrorCode::ConfigError, f.message);
    }
    return out;
}

Result<std::vector<ConnectorConfig>> loadBookingConfig(const std::string& path, const std::vector<std::string>& serviceIds) {
    std::ifstream in(path);
    if (!in) return makeError(ErrorCode::ConfigError, "cannot read the hall config '" + path + "'");
    std::stringstream text;
    text << in.rdbuf();
    return parseBookingConfig(text.str(), serviceIds);
}

} // namespace loket::server::booking
