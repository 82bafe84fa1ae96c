// Booking-code recognition: what the visitor typed on the on-screen keyboard, or what a USB
// scanner "typed" from the QR code or barcode on their confirmation, turned into the code the
// hall server knows. A scanner reads the whole QR content (often a URL of another booking
// system), so each pattern is a regular expression with one capture group that holds the code.
// The patterns come from the kiosk's config; what a pattern captures must fit the code rule of
// some source (core: validBookingCodeOfAnySource — a JCC or Qmatic id is kept as the code).
// Loket's own format (6–10 of A–Z and 2–9) is always tried last.
// Used by the kiosk flow. Standard library only.
#pragma once

#include "shared/core/booking_code.hpp"
#include "shared/core/result.hpp"

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace loket::kiosk {

// One configured pattern, as written in kiosk.toml.
struct BookingCodePattern {
    std::string name;   // "jcc", for logs and error messages
    std::string regex;  // ECMAScript syntax; matched against the whole (trimmed) input
    int group = 1;      // the capture group that holds the code; 0 = the whole match
};

// The longest input kept from a keyboard or scanner (a booking-system URL fits easily).
inline constexpr std::size_t kMaxCodeInput = 200;

class BookingCodeRecognizer {
public:
    // Fails with `invalid_value` naming the pattern when a regex does not compile or has too
    // few capture groups.
    static Result<BookingCodeRecognizer> create(const std::vector<BookingCodePattern>& patterns);

    // The code in `input` (upper-cased, spaces and dashes dropped), or nullopt when no pattern
    // fits. The configured patterns are tried in order on the raw trimmed input, then Loket's
    // own format on the cleaned input.
    std::optional<std::string> recognise(std::string_view input) const;

private:
    struct Compiled {
        std::string name;
        std::regex regex;
        int group = 1;
    };
    std::vector<Compiled> m_patterns;
};

} // namespace loket::kiosk
