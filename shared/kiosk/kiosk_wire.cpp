#include "kiosk_wire.hpp"

#include <nlohmann/json.hpp>

namespace loket::kiosk {
namespace {

using nlohmann::json;

Error missing(const std::string& path) { return makeError(ErrorCode::MissingField, path + ": missing"); }
Error wrongType(const std::string& path, const char* expected) {
    return makeError(ErrorCode::InvalidValue, path + ": not " + std::string(expected));
}

Result<json> parseObject(std::string_view body) {
    json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return makeError(ErrorCode::InvalidJson, "reply is not JSON");
    return doc;
}

Status readString(const json& obj, const char* key, const std::string& path, std::string& out, bool required = true) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return required ? Status(missing(path + "." + key)) : Status(Ok{});
    if (!it->is_string()) return wrongType(path + "." + key, "a string");
    out = it->get<std::string>();
    return Ok{};
}

Status readBool(const json& obj, const char* key, const std::string& path, bool& out) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return Ok{};
    if (!it->is_boolean()) return wrongType(path + "." + key, "true or false");
    out = it->get<bool>();
    return Ok{};
}

// A `{nl, en, …}` object; absent or null leaves `out` empty.
Status readLocalized(const json& obj, const char* key, const std::string& path, Localized& out, bool required = false) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return required ? Status(missing(path + "." + key)) : Status(Ok{});
    if (!it->is_object()) return wrongType(path + "." + key, "an object of texts by language");
    for (auto& [language, text] : it->items()) {
        if (!text.is_string()) return wrongType(path + "." + key + "." + language, "a string");
        out[language] = text.get<std::string>();
    }
    return Ok{};
}

Result<KioskService> readService(const json& s, const std::string& path) {
    if (!s.is_object()) return wrongType(path, "an object");
    KioskService out;
    if (auto st = readString(s, "id", path, out.id); !st) return st.error();
    if (auto st = readString(s, "prefix", path, out.prefix); !st) return st.error();
    if (auto st = readLocalized(s, "name", path, out.name, true); !st) return st.error();
    if (auto st = readLocalized(s, "description", path, out.description); !st) return st.error();
    if (auto st = readLocalized(s, "bring", path, out.bring); !st) return st.error();
    if (s.contains("public_label") && !s["public_label"].is_null()) {
        Localized label;
        if (auto st = readLocalized(s, "public_label", path, label); !st) return st.error();
        out.publicLabel = std::move(label);
    }
    if (auto st = readBool(s, "walk_in", path, out.walkIn); !st) return st.error();
    if (auto st = readBool(s, "appointment", path, out.appointment); !st) return st.error();
    if (auto st = readBool(s, "online", path, out.online); !st) return st.error();
    if (auto it = s.find("estimated_wait_s"); it != s.end() && it->is_number()) out.estimatedWaitS = it->get<std::int64_t>();
    return out;
}

} // namespace

std::string pick(const Localized& text, const std::string& language) {
    for (const std::string& code : {language, std::string("nl"), std::string("en")}) {
        auto it = text.find(code);
        if (it != text.end() && !it->second.empty()) return it->second;
    }
    for (const auto& [code, value] : text)
        if (!value.empty()) return value;
    return {};
}

Result<std::vector<KioskService>> parseKioskServices(std::string_view body) {
    auto doc = parseObject(body);
    if (!doc) return doc.error();
    // Accept the bare list (api.md) and a wrapped {"services": […]}.
    const json* list = &*doc;
    if (doc->is_object() && doc->contains("services")) list = &(*doc)["services"];
    if (!list->is_array()) return wrongType("services", "a list");
    std::vector<KioskService> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto service = readService((*list)[i], "services[" + std::to_string(i) + "]");
        if (!service) return service.error();
        out.push_back(std::move(*service));
    }
    return out;
}

Result<KioskTicket> parseKioskTicket(std::string_view body) {
    auto doc = parseObject(body);
    if (!doc) return doc.error();
    if (!doc->is_object() || !doc->contains("ticket")) return missing("ticket");
    const json& t = (*doc)["ticket"];
    if (!t.is_object()) return wrongType("ticket", "an object");
    KioskTicket out;
    if (auto it = t.find("id"); it != t.end() && it->is_number_integer()) out.id = std::to_string(it->get<std::int64_t>());
    else if (auto st = readString(t, "id", "ticket", out.id, false); !st) return st.error();
    if (auto st = readString(t, "number", "ticket", out.number); !st) return st.error();
    if (auto st = readString(t, "service", "ticket", out.serviceId); !st) return st.error();
    if (auto st = readString(t, "issued_at", "ticket", out.issuedAt); !st) return st.error();
    if (auto st = readString(t, "language", "ticket", out.language, false); !st) return st.error();
    std::string kind;
    if (auto st = readString(t, "kind", "ticket", kind); !st) return st.error();
    if (kind != "walk_in" && kind != "appointment") return wrongType("ticket.kind", "walk_in or appointment");
    out.appointment = kind == "appointment";
    if (auto it = t.find("appointment"); it != t.end() && it->is_object()) {
        std::string startsAt;
        if (auto st = readString(*it, "starts_at", "ticket.appointment", startsAt); !st) return st.error();
        out.appointmentStartsAt = startsAt;
    }
    if (auto it = t.find("estimated_wait_range_s"); it != t.end() && !it->is_null()) {
        if (!it->is_array() || it->size() != 2 || !(*it)[0].is_number() || !(*it)[1].is_number())
            return wrongType("ticket.estimated_wait_range_s", "a list [low, high] of seconds");
        out.waitLowS = (*it)[0].get<std::int64_t>();
        out.waitHighS = (*it)[1].get<std::int64_t>();
        if (*out.waitLowS < 0 || *out.waitHighS < *out.waitLowS)
            return wrongType("ticket.estimated_wait_range_s", "an ordered range of seconds");
    }
    if (auto st = readString(*doc, "visitor_url", "", out.visitorUrl); !st) return missing("visitor_url");
    return out;
}

std::string walkInRequestBody(const std::string& serviceId, const std::string& language) {
    return json{{"service", serviceId}, {"language", language}}.dump();
}

std::string appointmentRequestBody(const std::string& code, const std::string& language) {
    return json{{"appointment_code", code}, {"language", language}}.dump();
}

} // namespace loket::kiosk
