#include "qmatic.hpp"

#include "shared/core/booking_code.hpp"
#include "shared/core/command_handler.hpp"

#include "json_text.hpp"

#include <nlohmann/json.hpp>

namespace loket::booking::qmatic {
namespace {

using Json = nlohmann::json;

std::string str(const Json& j, const char* key) { return jsonText(j, key); }

Result<ForeignAppointment> fromJson(const Json& j, const HallZone& zone) {
    if (!j.is_object()) return makeError(ErrorCode::InvalidValue, "Qmatic: an appointment is not a JSON object");
    ForeignAppointment a;
    a.code = core::normaliseBookingCode(str(j, "publicId"));
    if (!core::validBookingCode(a.code, core::CodeSource::Qmatic))
        return makeError(ErrorCode::InvalidValue, "Qmatic: an appointment has no hexadecimal 'publicId' ('" + a.code + "')");
    const std::string where = "Qmatic appointment " + a.code;
    auto status = j.find("status");
    if (status == j.end() || !status->is_number_integer()) return makeError(ErrorCode::InvalidValue, where + " has no numeric 'status'");
    a.cancelled = status->get<int>() != kStatusConfirmed;
    auto start = parseDateTime(str(j, "start"), zone);
    if (!start) return makeError(ErrorCode::InvalidValue, where + ": start " + start.error().message);
    a.startsAt = *start;
    if (!str(j, "end").empty()) {
        auto end = parseDateTime(str(j, "end"), zone);
        if (!end) return makeError(ErrorCode::InvalidValue, where + ": end " + end.error().message);
        a.endsAt = *end;
    }
    a.day = zone.dayOf(a.startsAt);
    if (auto branch = j.find("branch"); branch != j.end() && branch->is_object()) a.location = str(*branch, "publicId");
    auto services = j.find("services");
    if (services == j.end() || !services->is_array()) return makeError(ErrorCode::InvalidValue, where + " has no 'services' list");
    for (const Json& s : *services) {
        const std::string id = s.is_object() ? str(s, "publicId") : std::string();
        if (id.empty()) return makeError(ErrorCode::InvalidValue, where + ": a service has no 'publicId'");
        a.products.push_back(id);
    }
    if (a.products.empty() && !a.cancelled) return makeError(ErrorCode::InvalidValue, where + " has no services");
    if (auto customers = j.find("customers"); customers != j.end() && customers->is_array() && !customers->empty()) {
        a.persons = static_cast<int>(customers->size());
        const Json& first = customers->front();
        // Only the name; the rest of a customer record is never read.
        if (first.is_object()) {
            const std::string name = str(first, "name");
            a.name = name.empty() ? staffName({str(first, "firstName"), str(first, "lastName")}) : staffName({name});
        }
    }
    return a;
}

Result<Json> parse(std::string_view text) {
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return makeError(ErrorCode::InvalidValue, "Qmatic sent malformed JSON");
    return j;
}

} // namespace

Result<std::vector<ForeignAppointment>> parseAppointments(std::string_view json, const HallZone& zone) {
    auto j = parse(json);
    if (!j) return j.error();
    auto list = j->find("appointmentList");
    if (list == j->end() || !list->is_array()) return makeError(ErrorCode::InvalidValue, "Qmatic's answer has no 'appointmentList'");
    std::vector<ForeignAppointment> out;
    for (const Json& item : *list) {
        auto a = fromJson(item, zone);
        if (!a) return a.error();
        out.push_back(std::move(*a));
    }
    return out;
}

Result<std::optional<ForeignAppointment>> parseAppointment(std::string_view json, const HallZone& zone) {
    auto j = parse(json);
    if (!j) return j.error();
    auto item = j->find("appointment");
    if (item == j->end() || item->is_null()) return std::optional<ForeignAppointment>{};
    auto a = fromJson(*item, zone);
    if (!a) return a.error();
    return std::optional<ForeignAppointment>{std::move(*a)};
}

} // namespace loket::booking::qmatic
