#include "shared/proto/client_parse.hpp"
#include "shared/proto/wire_json.hpp"

#include <nlohmann/json.hpp>

namespace loket::proto {
namespace {

using nlohmann::json;

// Thrown only inside this file and turned into an Error at each public function: it keeps the
// field readers short while every failure still names its JSON path.
struct ParseFailure {
    Error error;
};

[[noreturn]] void fail(ErrorCode code, const std::string& path, const std::string& what) {
    throw ParseFailure{makeError(code, path + ": " + what)};
}

const json& field(const json& obj, const std::string& path, const char* key) {
    if (!obj.is_object()) fail(ErrorCode::InvalidValue, path, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) fail(ErrorCode::MissingField, path + "." + key, "missing");
    return *it;
}

const json* optionalField(const json& obj, const char* key) {
    auto it = obj.find(key);
    return (it == obj.end() || it->is_null()) ? nullptr : &*it;
}

std::string str(const json& obj, const std::string& path, const char* key) {
    const json& v = field(obj, path, key);
    if (!v.is_string()) fail(ErrorCode::InvalidValue, path + "." + key, "expected a string");
    return v.get<std::string>();
}

std::optional<std::string> optStr(const json& obj, const std::string& path, const char* key) {
    const json* v = optionalField(obj, key);
    if (!v) return std::nullopt;
    if (!v->is_string()) fail(ErrorCode::InvalidValue, path + "." + key, "expected a string or null");
    return v->get<std::string>();
}

std::int64_t integer(const json& obj, const std::string& path, const char* key) {
    const json& v = field(obj, path, key);
    if (!v.is_number_integer()) fail(ErrorCode::InvalidValue, path + "." + key, "expected an integer");
    return v.get<std::int64_t>();
}

std::int64_t optInteger(const json& obj, const std::string& path, const char* key, std::int64_t fallback) {
    const json* v = optionalField(obj, key);
    if (!v) return fallback;
    if (!v->is_number_integer()) fail(ErrorCode::InvalidValue, path + "." + key, "expected an integer");
    return v->get<std::int64_t>();
}

LocalText localized(const json& v, const std::string& path) {
    if (v.is_string()) return LocalText{{"nl", v.get<std::string>()}};
    if (!v.is_object()) fail(ErrorCode::InvalidValue, path, "expected an object of texts by language");
    LocalText out;
    for (auto& [lang, text] : v.items()) {
        if (!text.is_string()) fail(ErrorCode::InvalidValue, path + "." + lang, "expected a string");
        out[lang] = text.get<std::string>();
    }
    return out;
}

LocalText optLocalized(const json& obj, const std::string& path, const char* key) {
    const json* v = optionalField(obj, key);
    return v ? localized(*v, path + "." + key) : LocalText{};
}

bool optBool(const json& obj, const std::string& path, const char* key, bool fallback) {
    const json* v = optionalField(obj, key);
    if (!v) return fallback;
    if (!v->is_boolean()) fail(ErrorCode::InvalidValue, path + "." + key, "expected true or false");
    return v->get<bool>();
}

std::string indexed(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

const json& array(const json& obj, const std::string& path, const char* key) {
    const json& v = field(obj, path, key);
    if (!v.is_array()) fail(ErrorCode::InvalidValue, path + "." + key, "expected an array");
    return v;
}

ClientService readService(const json& j, const std::string& path) {
    if (!j.is_object()) fail(ErrorCode::InvalidValue, path, "expected an object");
    ClientService s;
    s.id = str(j, path, "id");
    s.name = localized(field(j, path, "name"), path + ".name");
    if (const json* label = optionalField(j, "public_label")) s.publicLabel = localized(*label, path + ".public_label");
    s.description = optLocalized(j, path, "description");
    s.bring = optLocalized(j, path, "bring");
    s.prefix = str(j, path, "prefix");
    s.walkIn = optBool(j, path, "walk_in", true);
    s.appointment = optBool(j, path, "appointment", true);
    s.online = optBool(j, path, "online", false);
    s.waiting = static_cast<int>(optInteger(j, path, "waiting", 0));
    s.estimatedWaitS = optInteger(j, path, "estimated_wait_s", 0);
    return s;
}

ClientTicket readTicket(const json& j, const std::string& path) {
    ClientTicket t;
    t.id = j.is_object() && j.contains("id") && j["id"].is_number_integer()
               ? std::to_string(j["id"].get<std::int64_t>())
               : str(j, path, "id");
    t.number = str(j, path, "number");
    t.service = str(j, path, "service");
    t.status = str(j, path, "status");
    if (const json* c = optionalField(j, "counter")) {
        // The counter of a ticket is its id; accept an embedded counter object too.
        if (c->is_string()) t.counter = c->get<std::string>();
        else if (c->is_object()) t.counter = str(*c, path + ".counter", "id");
        else fail(ErrorCode::InvalidValue, path + ".counter", "expected a counter id");
    }
    t.language = optStr(j, path, "language").value_or("nl");
    t.calledAt = optStr(j, path, "called_at");
    return t;
}

ClientCounter readCounter(const json& j, const std::string& path) {
    ClientCounter c;
    c.id = str(j, path, "id");
    c.name = str(j, path, "name");
    const json& services = array(j, path, "services");
    for (std::size_t i = 0; i < services.size(); ++i) {
        if (!services[i].is_string()) fail(ErrorCode::InvalidValue, indexed(path + ".services", i), "expected a service id");
        c.services.push_back(services[i].get<std::string>());
    }
    c.state = str(j, path, "state");
    if (c.state != "open" && c.state != "closed" && c.state != "paused")
        fail(ErrorCode::InvalidValue, path + ".state", "expected open, closed or paused, got \"" + c.state + "\"");
    if (const json* t = optionalField(j, "ticket")) c.ticket = readTicket(*t, path + ".ticket");
    return c;
}

ClientCall readCall(const json& j, const std::string& path) {
    ClientCall call;
    call.number = str(j, path, "number");
    call.counter = str(j, path, "counter");
    call.counterName = str(j, path, "counter_name");
    call.calledAt = str(j, path, "called_at");
    call.language = optStr(j, path, "language").value_or("nl");
    return call;
}

template <typename T, typename Fn>
Result<T> parseWith(std::string_view body, const char* root, Fn&& fn) {
    json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded())
        return makeError(ErrorCode::InvalidJson, std::string(root) + ": the body is not valid JSON");
    try {
        return fn(doc, std::string(root));
    } catch (const ParseFailure& failure) {
        return failure.error;
    }
}

} // namespace

Result<HallSnapshot> parseHallSnapshot(std::string_view body) {
    return parseWith<HallSnapshot>(body, "hall", [](const json& j, const std::string& path) {
        HallSnapshot snap;
        snap.eventId = integer(j, path, "event_id");
        if (const json* hall = optionalField(j, "hall")) {
            snap.hall.name = optStr(*hall, path + ".hall", "name").value_or("");
            snap.hall.normS = optInteger(*hall, path + ".hall", "norm_s", 0);
            if (const json* open = optionalField(*hall, "open_now")) snap.hall.openNow = open->is_boolean() ? open->get<bool>() : true;
            snap.hall.banner = optLocalized(*hall, path + ".hall", "banner");
        }
        const json& services = array(j, path, "services");
        for (std::size_t i = 0; i < services.size(); ++i) snap.services.push_back(readService(services[i], indexed(path + ".services", i)));
        const json& counters = array(j, path, "counters");
        for (std::size_t i = 0; i < counters.size(); ++i) snap.counters.push_back(readCounter(counters[i], indexed(path + ".counters", i)));
        const json& calls = array(j, path, "recent_calls");
        for (std::size_t i = 0; i < calls.size(); ++i) snap.recentCalls.push_back(readCall(calls[i], indexed(path + ".recent_calls", i)));
        return snap;
    });
}

Result<std::vector<ClientService>> parseServiceList(std::string_view body) {
    return parseWith<std::vector<ClientService>>(body, "services", [](const json& j, const std::string& path) {
        // Accept the bare list of api.md and an object wrapping it as {"services": […]}.
        const json& list = j.is_object() ? array(j, path, "services") : j;
        if (!list.is_array()) fail(ErrorCode::InvalidValue, path, "expected an array");
        std::vector<ClientService> out;
        for (std::size_t i = 0; i < list.size(); ++i) out.push_back(readService(list[i], indexed(path, i)));
        return out;
    });
}

Result<ClientTicket> parseTicket(std::string_view body) {
    return parseWith<ClientTicket>(body, "ticket", [](const json& j, const std::string& path) { return readTicket(j, path); });
}

Result<ClientCounter> parseCounter(std::string_view body) {
    return parseWith<ClientCounter>(body, "counter", [](const json& j, const std::string& path) { return readCounter(j, path); });
}

Result<IssuedTicket> parseIssuedTicket(std::string_view body) {
    return parseWith<IssuedTicket>(body, "reply", [](const json& j, const std::string& path) {
        IssuedTicket out;
        const json& t = field(j, path, "ticket");
        out.ticket = readTicket(t, path + ".ticket");
        const std::string tpath = path + ".ticket";
        out.visitorUrl = str(j, path, "visitor_url");
        out.issuedAt = str(t, tpath, "issued_at");
        const std::string kind = str(t, tpath, "kind");
        if (kind != "walk_in" && kind != "appointment")
            fail(ErrorCode::InvalidValue, tpath + ".kind", "expected walk_in or appointment, got \"" + kind + "\"");
        out.appointment = kind == "appointment";
        if (const json* appointment = optionalField(t, "appointment"))
            out.appointmentStartsAt = str(*appointment, tpath + ".appointment", "starts_at");
        out.position = optInteger(t, tpath, "position", 0);
        out.estimatedWaitS = optInteger(t, tpath, "estimated_wait_s", 0);
        if (const json* range = optionalField(t, "estimated_wait_range_s")) {
            if (!range->is_array() || range->size() != 2 || !(*range)[0].is_number_integer() || !(*range)[1].is_number_integer())
                fail(ErrorCode::InvalidValue, tpath + ".estimated_wait_range_s", "expected [low, high]");
            out.waitLowS = (*range)[0].get<std::int64_t>();
            out.waitHighS = (*range)[1].get<std::int64_t>();
            if (*out.waitLowS < 0 || *out.waitHighS < *out.waitLowS)
                fail(ErrorCode::InvalidValue, tpath + ".estimated_wait_range_s", "expected an ordered range of seconds");
        }
        return out;
    });
}

Result<std::vector<ClientDevice>> parseDeviceList(std::string_view body) {
    return parseWith<std::vector<ClientDevice>>(body, "devices", [](const json& j, const std::string& path) {
        // Accept the bare array of api.md and an object wrapping it as {"devices": […]}.
        const json& list = j.is_object() ? array(j, path, "devices") : j;
        if (!list.is_array()) fail(ErrorCode::InvalidValue, path, "expected an array");
        std::vector<ClientDevice> out;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string p = indexed(path, i);
            ClientDevice d;
            const json& id = field(list[i], p, "id");
            d.id = id.is_string() ? id.get<std::string>() : id.dump();
            d.kind = str(list[i], p, "kind");
            d.name = optStr(list[i], p, "name").value_or("");
            d.status = str(list[i], p, "status");
            d.lastSeen = optStr(list[i], p, "last_seen").value_or("");
            out.push_back(std::move(d));
        }
        return out;
    });
}

Result<HallEvent> parseHallEvent(std::int64_t id, std::string_view type, std::string_view data) {
    const std::string typeText(type);
    if (typeText == "reset" ||
        (typeText.rfind("ticket.", 0) != 0 && typeText != "counter.updated" && typeText != "configuration.changed")) {
        // `reset` and event types a display does not act on carry nothing we need.
        HallEvent ev;
        ev.id = id;
        ev.type = typeText;
        return ev;
    }
    return parseWith<HallEvent>(data, typeText.c_str(), [&](const json& j, const std::string& path) {
        HallEvent ev;
        ev.id = id;
        ev.type = typeText;
        if (typeText == "counter.updated") {
            ev.counter = readCounter(field(j, path, "counter"), path + ".counter");
            return ev;
        }
        if (typeText == "configuration.changed") {
            ClientConfigurationChange c;
            c.change = str(j, path, "change");
            c.target = optStr(j, path, "target").value_or("");
            c.banner = optLocalized(j, path, "banner");
            c.servicesChanged = optBool(j, path, "services_changed", false);
            c.hoursChanged = optBool(j, path, "hours_changed", false);
            ev.configuration = std::move(c);
            return ev;
        }
        ev.ticket = readTicket(field(j, path, "ticket"), path + ".ticket");
        if (const json* c = optionalField(j, "counter")) ev.counter = readCounter(*c, path + ".counter");
        if (typeText == "ticket.called" || typeText == "ticket.recalled") ev.call = readCall(field(j, path, "call"), path + ".call");
        return ev;
    });
}

std::string walkInRequestBody(const std::string& serviceId, const std::string& language, const core::VisitNeeds& needs) {
    json body{{"service", serviceId}, {"language", language}};
    if (needs.any()) body["needs"] = needsJson(needs);
    return body.dump();
}

std::string appointmentRequestBody(const std::string& code, const std::string& language) {
    return json{{"appointment_code", code}, {"language", language}}.dump();
}

} // namespace loket::proto
