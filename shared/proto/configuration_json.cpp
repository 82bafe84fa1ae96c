#include "shared/proto/configuration_json.hpp"

#include "shared/core/configuration.hpp"

#include <algorithm>
#include <initializer_list>

namespace loket::proto {
using namespace loket::core;
using Json = nlohmann::json;

namespace {
template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>; // clang 16 (the fuzz tree) has no aggregate CTAD

// Thrown inside the reader only; configChangeFromJson turns it into a Result.
struct FieldError { Error error; };

[[noreturn]] void failField(ErrorCode code, const std::string& field, const std::string& message) {
    Error error = makeError(code, message);
    error.details.field = field;
    throw FieldError{std::move(error)};
}

// formatClock, except that the end of the day is "24:00".
std::string clockText(std::int32_t second) { return second >= 86400 ? std::string("24:00") : formatClock(second); }

// "08:30" (or "24:00" for the end of the day) as seconds of the day.
std::optional<std::int32_t> parseClockText(const std::string& text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    for (std::size_t i : {0u, 1u, 3u, 4u})
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    const int h = (text[0] - '0') * 10 + (text[1] - '0'), m = (text[3] - '0') * 10 + (text[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 3600 + m * 60;
}

// A JSON object read field by field: unknown keys and wrong types name the field.
class Reader {
public:
    Reader(const Json& j, std::string prefix, std::initializer_list<const char*> allowed) : m_j(j), m_prefix(std::move(prefix)) {
        if (!j.is_object()) failField(ErrorCode::InvalidValue, name(""), "expected a JSON object");
        for (const auto& [key, value] : j.items())
            if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
                failField(ErrorCode::UnknownField, name(key), "unknown field '" + name(key) + "'");
    }
    bool has(const char* key) const { return m_j.contains(key); }
    std::string name(const std::string& key) const { return m_prefix.empty() ? key : key.empty() ? m_prefix : m_prefix + "." + key; }

    const Json& at(const char* key) const {
        auto it = m_j.find(key);
        if (it == m_j.end()) failField(ErrorCode::MissingField, name(key), "missing field '" + name(key) + "'");
        return *it;
    }
    std::string string(const char* key) const {
        const Json& v = at(key);
        if (!v.is_string()) failField(ErrorCode::InvalidValue, name(key), name(key) + " must be text");
        return v.get<std::string>();
    }
    std::string string(const char* key, const std::string& fallback) const { return has(key) ? string(key) : fallback; }
    bool boolean(const char* key, bool fallback) const {
        if (!has(key)) return fallback;
        const Json& v = at(key);
        if (!v.is_boolean()) failField(ErrorCode::InvalidValue, name(key), name(key) + " must be true or false");
        return v.get<bool>();
    }
    std::int64_t integer(const char* key, std::int64_t fallback) const {
        if (!has(key)) return fallback;
        const Json& v = at(key);
        if (!v.is_number_integer()) failField(ErrorCode::InvalidValue, name(key), name(key) + " must be a whole number");
        return v.get<std::int64_t>();
    }
    LocalText text(const char* key, const LocalText& fallback) const {
        if (!has(key)) return fallback;
        const Json& v = at(key);
        if (!v.is_object()) failField(ErrorCode::InvalidValue, name(key), name(key) + " must be texts by language, like {\"nl\": \"…\"}");
        LocalText out;
        for (const auto& [code, value] : v.items()) {
            if (!value.is_string()) failField(ErrorCode::InvalidValue, name(key) + "." + code, name(key) + "." + code + " must be text");
            out[code] = value.get<std::string>();
        }
        return out;
    }
    std::vector<std::string> strings(const char* key) const {
        const Json& v = at(key);
        if (!v.is_array()) failField(ErrorCode::InvalidValue, name(key), name(key) + " must be a list");
        std::vector<std::string> out;
        for (const auto& item : v) {
            if (!item.is_string()) failField(ErrorCode::InvalidValue, name(key), name(key) + " must be a list of texts");
            out.push_back(item.get<std::string>());
        }
        return out;
    }
    OpenPeriods periods(const char* key) const {
        OpenPeriods out;
        for (const auto& p : strings(key)) {
            const auto dash = p.find('-');
            auto open = dash == std::string::npos ? std::nullopt : parseClockText(p.substr(0, dash));
            auto close = dash == std::string::npos ? std::nullopt : parseClockText(p.substr(dash + 1));
            if (!open || !close)
                failField(ErrorCode::InvalidValue, name(key), name(key) + ": '" + p + "' is not a period like 08:30-12:30");
            out.emplace_back(*open, *close);
        }
        return out;
    }
    LocalDay date(const char* key) const {
        LocalDay day = 0;
        if (!parseDate(string(key), day)) failField(ErrorCode::InvalidValue, name(key), name(key) + " must be a date like 2026-12-25");
        return day;
    }

private:
    const Json& m_j;
    std::string m_prefix;
};

Json textJson(const LocalText& text) {
    Json j = Json::object();
    for (const auto& [code, value] : text) j[code] = value;
    return j;
}

ServiceConfig readService(const Json& j, const HallConfig& current) {
    Reader r(j, "", {"id", "prefix", "name", "description", "bring", "public_label", "walk_in", "appointment", "online",
                     "expected_duration_s", "walk_in_target_s"});
    ServiceConfig s;
    s.id = r.string("id");
    if (auto i = current.serviceIndex(s.id)) s = current.services[*i];
    const std::string prefix = r.string("prefix", std::string(1, s.prefix));
    if (prefix.size() != 1) failField(ErrorCode::InvalidValue, "prefix", "prefix must be one capital letter A-Z.");
    s.prefix = prefix[0];
    s.name = r.text("name", s.name);
    s.description = r.text("description", s.description);
    s.bring = r.text("bring", s.bring);
    if (r.has("public_label")) {
        if (j.at("public_label").is_null()) s.publicLabel.reset();
        else s.publicLabel = r.text("public_label", {});
    }
    s.walkIn = r.boolean("walk_in", s.walkIn);
    s.appointment = r.boolean("appointment", s.appointment);
    s.online = r.boolean("online", s.online);
    s.expectedDurationS = r.integer("expected_duration_s", s.expectedDurationS);
    s.walkInTargetS = r.integer("walk_in_target_s", s.walkInTargetS);
    s.retired = false;
    return s;
}

ConfigChange readChange(const Json& j, const HallConfig& current) {
    if (!j.is_object()) failField(ErrorCode::InvalidJson, "", "expected a JSON object with a \"type\"");
    auto type = j.find("type");
    if (type == j.end() || !type->is_string())
        failField(ErrorCode::MissingField, "type", "missing field 'type' (service.set, counter.set, hours.set, …)");
    const std::string t = type->get<std::string>();
    if (t == "service.set") {
        Reader r(j, "", {"type", "service"});
        return SetService{readService(r.at("service"), current)};
    }
    if (t == "service.remove") {
        Reader r(j, "", {"type", "id"});
        return RemoveService{r.string("id")};
    }
    if (t == "counter.set") {
        Reader top(j, "", {"type", "counter"});
        Reader r(top.at("counter"), "", {"id", "name", "skills", "location", "sitting_desk"});
        SetCounter c;
        c.id = r.string("id");
        if (auto i = current.counterIndex(c.id)) {
            const CounterConfig& old = current.counters[*i];
            c.name = old.name;
            c.location = old.location;
            c.sittingDesk = old.sittingDesk;
            for (std::size_t s = 0; s < current.services.size(); ++s)
                if (old.skills & bit(static_cast<ServiceIndex>(s))) c.skills.push_back(current.services[s].id);
        }
        c.name = r.string("name", c.name);
        if (r.has("skills")) c.skills = r.strings("skills");
        c.location = r.string("location", c.location);
        c.sittingDesk = r.boolean("sitting_desk", c.sittingDesk);
        return c;
    }
    if (t == "counter.remove") {
        Reader r(j, "", {"type", "id"});
        return RemoveCounter{r.string("id")};
    }
    if (t == "hours.set") {
        Reader r(j, "", {"type", "weekday", "periods", "walk_in_periods"});
        SetWeekHours c;
        c.weekday = static_cast<int>(r.integer("weekday", -1));
        if (!r.has("weekday")) failField(ErrorCode::MissingField, "weekday", "missing field 'weekday' (0 = Monday … 6 = Sunday)");
        c.periods = r.periods("periods");
        c.walkInPeriods = r.has("walk_in_periods") ? r.periods("walk_in_periods") : c.periods;
        return c;
    }
    if (t == "exception.set") {
        Reader r(j, "", {"type", "date", "kind", "periods", "note"});
        SetDayException c;
        c.day = r.date("date");
        const std::string kind = r.string("kind");
        auto k = parseDayExceptionKind(kind);
        if (!k) failField(ErrorCode::InvalidValue, "kind", "kind is closed, short or evening, not '" + kind + "'");
        c.exception.kind = *k;
        if (r.has("periods")) c.exception.periods = r.periods("periods");
        c.exception.note = r.text("note", {});
        return c;
    }
    if (t == "exception.clear") {
        Reader r(j, "", {"type", "date"});
        return ClearDayException{r.date("date")};
    }
    if (t == "banner.set") {
        Reader r(j, "", {"type", "text"});
        return SetBanner{r.text("text", {})};
    }
    failField(ErrorCode::InvalidValue, "type", "'" + t + "' is not a configuration change (service.set, service.remove, "
                                               "counter.set, counter.remove, hours.set, exception.set, exception.clear, banner.set)");
}

} // namespace

Json periodsJson(const OpenPeriods& periods) {
    Json j = Json::array();
    for (auto [open, close] : periods) j.push_back(clockText(open) + "-" + clockText(close));
    return j;
}

Json serviceConfigJson(const ServiceConfig& s) {
    return {{"id", s.id}, {"prefix", std::string(1, s.prefix)}, {"name", textJson(s.name)},
            {"description", textJson(s.description)}, {"bring", textJson(s.bring)},
            {"public_label", s.publicLabel ? textJson(*s.publicLabel) : Json(nullptr)}, {"walk_in", s.walkIn},
            {"appointment", s.appointment}, {"online", s.online}, {"expected_duration_s", s.expectedDurationS},
            {"walk_in_target_s", s.walkInTargetS}};
}

Json counterConfigJson(const HallConfig& config, const CounterConfig& c) {
    Json skills = Json::array();
    for (std::size_t s = 0; s < config.services.size(); ++s)
        if (c.skills & bit(static_cast<ServiceIndex>(s))) skills.push_back(config.services[s].id);
    return {{"id", c.id}, {"name", c.name}, {"skills", skills}, {"location", c.location}, {"sitting_desk", c.sittingDesk}};
}

Json configChangeToJson(const ConfigChange& change) {
    Json j = std::visit(Overloaded{
        [](const SetService& c) -> Json { return {{"service", serviceConfigJson(c.service)}}; },
        [](const RemoveService& c) -> Json { return {{"id", c.id}}; },
        [](const SetCounter& c) -> Json {
            return {{"counter", {{"id", c.id}, {"name", c.name}, {"skills", c.skills}, {"location", c.location},
                                 {"sitting_desk", c.sittingDesk}}}};
        },
        [](const RemoveCounter& c) -> Json { return {{"id", c.id}}; },
        [](const SetWeekHours& c) -> Json {
            return {{"weekday", c.weekday}, {"periods", periodsJson(c.periods)}, {"walk_in_periods", periodsJson(c.walkInPeriods)}};
        },
        [](const SetDayException& c) -> Json {
            return {{"date", formatDate(c.day)}, {"kind", dayExceptionKindName(c.exception.kind)},
                    {"periods", periodsJson(c.exception.periods)}, {"note", textJson(c.exception.note)}};
        },
        [](const ClearDayException& c) -> Json { return {{"date", formatDate(c.day)}}; },
        [](const SetBanner& c) -> Json { return {{"text", textJson(c.text)}}; },
    }, change);
    j["type"] = configChangeName(change);
    return j;
}

Result<ConfigChange> configChangeFromJson(const Json& body, const HallConfig& current) {
    try {
        return readChange(body, current);
    } catch (const FieldError& e) {
        return e.error;
    } catch (const nlohmann::json::exception& e) {
        return makeError(ErrorCode::InvalidJson, std::string("configuration change: ") + e.what());
    }
}

Json configurationDocument(const HallConfig& config) {
    Json changes = Json::array();
    auto add = [&](const ConfigChange& c) { changes.push_back(configChangeToJson(c)); };
    for (const ServiceConfig& s : config.services) {
        add(SetService{s});
        if (s.retired) add(RemoveService{s.id});
    }
    for (const CounterConfig& c : config.counters) {
        std::vector<std::string> skills;
        for (std::size_t s = 0; s < config.services.size(); ++s)
            if (c.skills & bit(static_cast<ServiceIndex>(s))) skills.push_back(config.services[s].id);
        add(SetCounter{c.id, c.name, skills, c.location, c.sittingDesk});
        if (c.retired) add(RemoveCounter{c.id});
    }
    for (int day = 0; day < 7; ++day) {
        const auto d = static_cast<std::size_t>(day);
        const OpenPeriods always{{0, 86400}};
        add(SetWeekHours{day, config.hours.alwaysOpen ? always : config.hours.periods[d],
                         config.walkInHours.alwaysOpen ? always : config.walkInHours.periods[d]});
    }
    for (const auto& [day, exception] : config.dayExceptions) add(SetDayException{day, exception});
    add(SetBanner{config.banner});
    return Json{{"version", 1}, {"changes", changes}};
}

Status applyConfigurationDocument(const Json& document, HallConfig& config) {
    if (!document.is_object() || document.value("version", 0) != 1 || !document.contains("changes") ||
        !document.at("changes").is_array())
        return makeError(ErrorCode::ConfigError, "the stored configuration is not a version 1 document");
    HallConfig next = config;
    next.services.clear();
    next.counters.clear();
    next.hours = OpeningHours{};
    next.walkInHours = OpeningHours{};
    next.dayExceptions.clear();
    next.banner.clear();
    for (const Json& j : document.at("changes")) {
        auto change = configChangeFromJson(j, next);
        if (!change) return makeError(ErrorCode::ConfigError, "the stored configuration: " + change.error().message);
        applyConfigurationChange(next, change.value());
    }
    config = std::move(next);
    return Ok{};
}

} // namespace loket::proto
