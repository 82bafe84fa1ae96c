// RFC 3339 timestamps as the API writes them ("2026-11-23T09:15:00+01:00"): the one reader and
// writer of the whole system. The server writes every time in the hall's offset; a client reads
// the instant and that offset back, so it can show the hall's local clock without any time-zone
// rules of its own. Dates and clocks come from the core's civil calendar (hall_time.hpp).
// Used by the server, the kiosk, the display and the tests. Depends on loket::core only.
#pragma once

#include "shared/core/hall_time.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace loket::proto {

// "2026-11-23T09:15:00+01:00" for the instant `t` shown with `utcOffsetS`.
std::string rfc3339(core::Seconds t, std::int32_t utcOffsetS);
inline std::string rfc3339(core::Now at) { return rfc3339(at.t, at.utcOffsetS); }

// The instant and the offset it was written with; nullopt when the text is not RFC 3339 (a date,
// 'T' (or a space), a time with optional fraction — ignored — and 'Z' or ±HH:MM, nothing after).
std::optional<core::Now> parseRfc3339(std::string_view text);
// The same, for callers that only compare instants; false when malformed.
bool parseRfc3339(const std::string& text, core::Seconds& out);

// An ISO 8601 date and time as other systems write it (booking systems, calendar exports):
// a date, 'T' or a space, HH:MM with optional :SS and fraction (ignored), then 'Z', ±HH:MM,
// ±HHMM, or nothing: a local time without offset (`utcOffsetS` empty; the caller knows the zone).
// RFC 3339 is the strict subset of it: seconds and an offset with a colon required.
struct IsoDateTime {
    core::LocalDay day = 0;
    std::int32_t secondOfDay = 0;
    std::optional<std::int32_t> utcOffsetS;
};
std::optional<IsoDateTime> parseIso8601(std::string_view text);

// The hall's local "HH:MM" / "YYYY-MM-DD" of a timestamp; "" when it is not RFC 3339.
std::string localClockText(std::string_view text);
std::string localDateText(std::string_view text);

} // namespace loket::proto
