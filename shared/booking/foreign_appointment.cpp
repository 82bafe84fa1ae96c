#include "foreign_appointment.hpp"

#include "shared/core/booking_code.hpp"
#include "shared/core/command_handler.hpp"

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

namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

} // namespace

Result<core::Seconds> parseDateTime(std::string_view text, const HallZone& zone) {
    auto bad = [&] {
        // Appended, not `"'" + std::string(text)`: GCC 12 at -O3 warns falsely on that
        // operator+ (-Wstringop-overflow, GCC bug 105651).
        std::string message(1, '\'');
        message.append(text).append("' is not an ISO 8601 date and time");
        return makeError(ErrorCode::InvalidValue, message);
    };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (text.size() < 16 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, mo) || text[7] != '-' ||
        !digits(text, 8, 2, d) || (text[10] != 'T' && text[10] != ' ') || !digits(text, 11, 2, h) || text[13] != ':' ||
        !digits(text, 14, 2, mi))
        return bad();
    std::size_t at = 16;
    if (at < text.size() && text[at] == ':') {
        if (!digits(text, at + 1, 2, s)) return bad();
        at += 3;
        if (at < text.size() && text[at] == '.') {
            ++at;
            while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
        }
    }
    core::LocalDay day = 0;
    char date[11];
    std::copy(text.begin(), text.begin() + 10, date);
    date[10] = '\0';
    if (!core::parseDate(date, day) || h > 23 || mi > 59 || s > 59) return bad();
    const std::int32_t second = h * 3600 + mi * 60 + s;
    if (at == text.size()) return zone.toInstant(day, second); // local time of the hall
    if (text[at] == 'Z' && at + 1 == text.size()) return core::instantOf(day, second, 0);
    int oh = 0, om = 0;
    if ((text[at] == '+' || text[at] == '-') && digits(text, at + 1, 2, oh)) {
        std::size_t m = at + 3;
        if (m < text.size() && text[m] == ':') ++m;
        if (digits(text, m, 2, om) && m + 2 == text.size() && oh <= 14 && om <= 59) {
            const std::int32_t offset = (text[at] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
            return core::instantOf(day, second, offset);
        }
    }
    return bad();
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
