// RFC 3339 timestamps as the API sends them ("2026-11-23T09:15:00+01:00"): seconds since the
// epoch for comparing ages, and the hall's local "HH:MM" for the screen. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loket::signage {

// Seconds since 1970-01-01T00:00:00Z; nullopt when the text is not RFC 3339.
std::optional<std::int64_t> parseRfc3339(std::string_view text);
// "09:15" from the local time part of the timestamp (the hall's offset, as sent); "" if malformed.
std::string localClockText(std::string_view text);

} // namespace loket::signage
