#include "booking_code.hpp"

#include "shared/core/command_handler.hpp"

#include <cctype>

namespace loket::kiosk {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

} // namespace

Result<BookingCodeRecognizer> BookingCodeRecognizer::create(const std::vector<BookingCodePattern>& patterns) {
    BookingCodeRecognizer recognizer;
    for (const auto& p : patterns) {
        if (p.group < 0)
            return makeError(ErrorCode::InvalidValue, "booking code pattern '" + p.name + "': group must be 0 or more");
        Compiled compiled;
        compiled.name = p.name;
        compiled.group = p.group;
        try {
            compiled.regex = std::regex(p.regex, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            return makeError(ErrorCode::InvalidValue,
                             "booking code pattern '" + p.name + "' is not a valid regular expression: " + e.what());
        }
        if (compiled.regex.mark_count() < static_cast<unsigned>(p.group))
            return makeError(ErrorCode::InvalidValue, "booking code pattern '" + p.name + "' has no capture group " +
                                                          std::to_string(p.group));
        recognizer.m_patterns.push_back(std::move(compiled));
    }
    return recognizer;
}

std::optional<std::string> BookingCodeRecognizer::recognise(std::string_view input) const {
    const std::string_view raw = trim(input);
    if (raw.empty() || raw.size() > kMaxCodeInput) return std::nullopt;
    const std::string text(raw);
    for (const auto& p : m_patterns) {
        std::smatch match;
        if (!std::regex_match(text, match, p.regex)) continue;
        std::string code = core::normaliseBookingCode(match.str(static_cast<std::size_t>(p.group)));
        // A code no source's rule allows is still no code: say so now, not after a round trip.
        // A pattern may capture a booking system's own id (JCC digits, Qmatic hex).
        if (core::validBookingCodeOfAnySource(code)) return code;
    }
    std::string cleaned = core::normaliseBookingCode(text);
    if (core::validBookingCode(cleaned)) return cleaned;
    return std::nullopt;
}

} // namespace loket::kiosk
