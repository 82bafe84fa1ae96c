#include "booking_code.hpp"

#include <algorithm>
#include <cctype>

namespace loket::core {

std::string normaliseBookingCode(std::string_view typed) {
    std::string out;
    out.reserve(typed.size());
    for (char ch : typed) {
        if (ch == ' ' || ch == '\t' || ch == '-' || ch == '.') continue;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return out;
}

bool validBookingCode(std::string_view code) {
    if (code.size() < kBookingCodeMinLength || code.size() > kBookingCodeMaxLength) return false;
    return std::all_of(code.begin(), code.end(),
                       [](char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= '2' && ch <= '9'); });
}

bool validBookingCode(std::string_view code, CodeSource source) {
    auto all = [&](auto pred) { return std::all_of(code.begin(), code.end(), pred); };
    auto digit = [](char ch) { return ch >= '0' && ch <= '9'; };
    switch (source) {
    case CodeSource::Loket: return validBookingCode(code);
    case CodeSource::Jcc: return code.size() >= 4 && code.size() <= 20 && all(digit);
    case CodeSource::Qmatic:
        return code.size() >= 16 && code.size() <= 64 && all([&](char ch) { return digit(ch) || (ch >= 'A' && ch <= 'F'); });
    case CodeSource::Calendar:
        return code.size() >= 4 && code.size() <= 64 && all([&](char ch) { return digit(ch) || (ch >= 'A' && ch <= 'Z'); });
    }
    return false;
}

bool validBookingCodeOfAnySource(std::string_view code) {
    for (CodeSource s : {CodeSource::Loket, CodeSource::Jcc, CodeSource::Qmatic, CodeSource::Calendar})
        if (validBookingCode(code, s)) return true;
    return false;
}

const char* bookingCodeRuleText(CodeSource source) {
    switch (source) {
    case CodeSource::Loket: return "6-10 of A-Z and 2-9";
    case CodeSource::Jcc: return "4-20 digits (a JCC appointment id)";
    case CodeSource::Qmatic: return "16-64 hexadecimal digits (a Qmatic public id)";
    case CodeSource::Calendar: return "4-64 of A-Z and 0-9 (a calendar event id)";
    }
    return "";
}

} // namespace loket::core
