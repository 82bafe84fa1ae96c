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

} // namespace loket::core
