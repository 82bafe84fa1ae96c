// The facts a kiosk screen needs from the server's error messages and times. The server answers
// in English ("Too early: check in from 10:25."); the kiosk shows its own B1 text in the
// visitor's language, chosen by the error code, and takes only the time, number or date from the
// message. Also: the hall-local clock and date out of an RFC 3339 time the server sent.
// Used by the kiosk flow and the ticket mapping. Standard library only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace loket::kiosk {

// The first "H:MM" or "HH:MM" in the text, as "HH:MM" ("check in from 9:05." → "09:05").
std::optional<std::string> findClock(std::string_view text);
// Both times of "from 08:30 to 17:00" (the first two clocks in the text).
std::optional<std::pair<std::string, std::string>> findClockRange(std::string_view text);
// A ticket number: one capital letter and three digits ("A012").
std::optional<std::string> findTicketNumber(std::string_view text);
// The first "YYYY-MM-DD" date.
std::optional<std::string> findIsoDate(std::string_view text);

// "2026-11-23T09:15:00+01:00" → "09:15" / "23-11-2026"; nullopt when it is not such a time.
// The server already sends the hall's local offset, so no time-zone arithmetic happens here.
std::optional<std::string> localClock(std::string_view rfc3339);
std::optional<std::string> localDate(std::string_view rfc3339);

} // namespace loket::kiosk
