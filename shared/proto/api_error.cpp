#include "shared/proto/api_error.hpp"

#include "shared/proto/rfc3339.hpp"

namespace loket::proto {
namespace {

using nlohmann::json;

const std::string* stringField(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

std::optional<core::Now> timeField(const json& obj, const char* key) {
    const std::string* text = stringField(obj, key);
    return text ? parseRfc3339(*text) : std::nullopt;
}

ErrorDetails readDetails(const json& obj) {
    ErrorDetails d;
    if (!obj.is_object()) return d;
    d.checkInFrom = timeField(obj, "check_in_from");
    d.opensAt = timeField(obj, "opens_at");
    d.closesAt = timeField(obj, "closes_at");
    if (const std::string* number = stringField(obj, "ticket_number"); number && !number->empty()) d.ticketNumber = *number;
    if (const std::string* field = stringField(obj, "field"); field && !field->empty()) d.field = *field;
    if (const std::string* date = stringField(obj, "appointment_date")) {
        core::LocalDay day = 0;
        if (core::parseDate(*date, day)) d.appointmentDay = day;
    }
    return d;
}

} // namespace

json errorDetailsJson(const ErrorDetails& details) {
    json out = json::object();
    if (details.checkInFrom) out["check_in_from"] = rfc3339(*details.checkInFrom);
    if (details.opensAt) out["opens_at"] = rfc3339(*details.opensAt);
    if (details.closesAt) out["closes_at"] = rfc3339(*details.closesAt);
    if (details.ticketNumber) out["ticket_number"] = *details.ticketNumber;
    if (details.appointmentDay) out["appointment_date"] = core::formatDate(*details.appointmentDay);
    if (details.field) out["field"] = *details.field;
    return out;
}

json errorJson(const Error& error) {
    json body = {{"code", errorCodeName(error.code)}, {"message", error.message}};
    if (!error.details.empty()) body["details"] = errorDetailsJson(error.details);
    return json{{"error", std::move(body)}};
}

ApiErrorBody parseApiErrorBody(std::string_view body) {
    json doc = json::parse(body, nullptr, false);
    ApiErrorBody out;
    if (doc.is_discarded() || !doc.is_object()) return out;
    auto it = doc.find("error");
    if (it == doc.end() || !it->is_object()) return out;
    if (const std::string* code = stringField(*it, "code")) out.code = *code;
    if (const std::string* message = stringField(*it, "message")) out.message = *message;
    if (auto details = it->find("details"); details != it->end()) out.details = readDetails(*details);
    return out;
}

ErrorCode errorCodeFromName(std::string_view name) {
    for (int i = 0; i <= static_cast<int>(ErrorCode::Internal); ++i) {
        auto code = static_cast<ErrorCode>(i);
        if (name == errorCodeName(code)) return code;
    }
    // Specific 404s the server may add (`unknown_*`) still mean "not found" to a client.
    if (name.rfind("unknown_", 0) == 0) return ErrorCode::NotFound;
    return ErrorCode::Internal;
}

} // namespace loket::proto
