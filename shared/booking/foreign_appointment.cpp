#include "foreign_appointment.hpp"

#include "shared/core/booking_code.hpp"
#include "shared/core/command_handler.hpp"
#include "shared/proto/rfc3339.hpp"

#include <algorithm>
#include <cctype>

namespace loket::booking {

const char* systemName(System system) {
    switch (system) {
    case System::JccSoap: return "jcc";
    case System::JccRest: return "jcc_rest";
    case System::Qmatic: return "qmatic";
    case System::Ics: return "ics";
    }
    return "?";
}

std::optional<System> systemFromName(std::string_view name) {
    for (System s : {System::JccSoap, System::JccRest, System::Qmatic, System::Ics})
        if (name == systemName(s)) return s;
    return std::nullopt;
}

core::CodeSource codeSourceOf(System system) {
    switch (system) {
    case System::JccSoap:
    case System::JccRest: return core::CodeSource::Jcc;
    case System::Qmatic: return core::CodeSource::Qmatic;
    case System::Ics: return core::CodeSource::Calendar;
    }
    return core::CodeSource::Loket;
}

Result<core::Seconds> parseDateTime(std::string_view text, const HallZone& zone) {
    auto bad = [&] {
        // Appended, not `"'" + std::string(text)`: GCC 12 at -O3 warns falsely on that
        // operator+ (-Wstringop-overflow, GCC bug 105651).
        std::string message(1, '\'');
        message.append(text).append("' is not an ISO 8601 date and time");
        return makeError(ErrorCode::InvalidValue, message);
    };
    auto at = proto::parseIso8601(text);
    if (!at || at->secondOfDay >= 86400) return bad();
    if (!at->utcOffsetS) return zone.toInstant(at->day, at->secondOfDay); // local time of the hall
    return core::instantOf(at->day, at->secondOfDay, *at->utcOffsetS);
}

std::string staffName(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (std::string_view p : parts) {
        while (!p.empty() && std::isspace(static_cast<unsigned char>(p.front()))) p.remove_prefix(1);
        while (!p.empty() && std::isspace(static_cast<unsigned char>(p.back()))) p.remove_suffix(1);
        if (p.empty()) continue;
        if (!out.empty()) out += ' ';
        out += p;
    }
    if (out.size() > 200) out.resize(200);
    return out;
}

MappedAppointment toBookCommand(const ForeignAppointment& a, const ProductMap& products, System system, bool keepName) {
    MappedAppointment out;
    std::vector<std::string> services;
    std::map<std::string, int> timesBooked;
    int persons = std::max(1, a.persons);
    for (const auto& product : a.products) {
        persons = std::max(persons, ++timesBooked[product]);
        auto it = products.find(product);
        if (it == products.end()) {
            if (std::find(out.unknownProducts.begin(), out.unknownProducts.end(), product) == out.unknownProducts.end())
                out.unknownProducts.push_back(product);
            continue;
        }
        if (std::find(services.begin(), services.end(), it->second) == services.end()) services.push_back(it->second);
    }
    if (services.empty()) return out;
    core::BookAppointment cmd;
    cmd.code = core::normaliseBookingCode(a.code);
    cmd.codeSource = codeSourceOf(system);
    cmd.services = std::move(services);
    cmd.startsAt = a.startsAt;
    cmd.day = a.day;
    const core::Seconds length = a.endsAt - a.startsAt;
    cmd.durationS = a.endsAt > 0 && length > 0 && length <= 8 * 3600 ? length : 0;
    cmd.persons = std::min(persons, 20);
    if (keepName) cmd.name = a.name;
    out.command = std::move(cmd);
    return out;
}

} // namespace loket::booking
