#include "jcc_rest.hpp"

#include "shared/core/command_handler.hpp"

#include "json_text.hpp"

#include <nlohmann/json.hpp>

namespace loket::booking::jcc_rest {
namespace {

using Json = nlohmann::json;

std::string str(const Json& j, const char* key) { return jsonText(j, key); }

Result<ForeignAppointment> fromJson(const Json& j, const HallZone& zone) {
    if (!j.is_object()) return makeError(ErrorCode::InvalidValue, "JCC REST: an appointment is not a JSON object");
    auto number = j.find("number");
    if (number == j.end() || !number->is_number_integer() || number->get<std::int64_t>() <= 0)
        return makeError(ErrorCode::InvalidValue, "JCC REST: an appointment has no positive 'number'");
    ForeignAppointment a;
    a.code = std::to_string(number->get<std::int64_t>());
    const std::string where = "JCC REST appointment " + a.code;
    auto start = parseDateTime(str(j, "startDateTime"), zone);
    if (!start) return makeError(ErrorCode::InvalidValue, where + ": startDateTime " + start.error().message);
    a.startsAt = *start;
    if (j.contains("endDateTime")) {
        auto end = parseDateTime(str(j, "endDateTime"), zone);
        if (!end) return makeError(ErrorCode::InvalidValue, where + ": endDateTime " + end.error().message);
        a.endsAt = *end;
    }
    a.day = zone.dayOf(a.startsAt);
    if (auto loc = j.find("location"); loc != j.end() && loc->is_object()) a.location = str(*loc, "id");
    const Json* activities = nullptr;
    for (const char* key : {"acitivityList", "activityList"})
        if (auto it = j.find(key); it != j.end()) activities = &*it;
    if (!activities || !activities->is_array() || activities->empty())
        return makeError(ErrorCode::InvalidValue, where + " has no activities");
    for (const Json& act : *activities) {
        const std::string id = act.is_object() ? str(act, "id") : std::string();
        if (id.empty()) return makeError(ErrorCode::InvalidValue, where + ": an activity has no 'id'");
        const int amount = act.contains("amount") && act["amount"].is_number_integer() ? act["amount"].get<int>() : 1;
        for (int i = 0; i < std::max(1, std::min(amount, 20)); ++i) a.products.push_back(id);
    }
    if (auto customers = j.find("customerList"); customers != j.end() && customers->is_array()) {
        a.persons = std::max(1, static_cast<int>(customers->size()));
        const Json* main = nullptr;
        for (const Json& c : *customers)
            if (c.is_object() && (!main || c.value("isMainCustomer", false))) main = &c;
        // Only the name; birth date, address, phone, e-mail and social security number stay unread.
        if (main) {
            const std::string first = str(*main, "firstName");
            a.name = staffName({first.empty() ? str(*main, "initials") : first, str(*main, "lastNamePrefix"),
                                str(*main, "lastName")});
        }
    }
    return a;
}

Result<Json> parse(std::string_view text) {
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) return makeError(ErrorCode::InvalidValue, "JCC REST sent malformed JSON");
    return j;
}

} // namespace

std::string tokenRequestBody() { return "grant_type=client_credentials&scope=warp-api"; }

Result<std::string> parseToken(std::string_view json) {
    auto j = parse(json);
    if (!j) return j.error();
    const std::string token = j->is_object() ? str(*j, "access_token") : std::string();
    if (token.empty()) return makeError(ErrorCode::Unauthorized, "JCC REST's token answer has no access_token");
    return token;
}

Result<std::vector<ForeignAppointment>> parseAppointments(std::string_view json, const HallZone& zone) {
    auto j = parse(json);
    if (!j) return j.error();
    if (!j->is_array()) return makeError(ErrorCode::InvalidValue, "JCC REST: the appointment list is not a JSON array");
    std::vector<ForeignAppointment> out;
    for (const Json& item : *j) {
        auto a = fromJson(item, zone);
        if (!a) return a.error();
        out.push_back(std::move(*a));
    }
    return out;
}

Result<ForeignAppointment> parseAppointment(std::string_view json, const HallZone& zone) {
    auto j = parse(json);
    if (!j) return j.error();
    return fromJson(*j, zone);
}

} // namespace loket::booking::jcc_rest
