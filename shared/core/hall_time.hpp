// Hall time: the core has no clock. Every command carries `Now`, the instant it happens on the
// hall's timeline (seconds; the server uses Unix time, the simulator seconds of a trace day) and
// the hall's UTC offset at that instant, so that local dates and opening hours are pure arithmetic.
// Depends on the standard library only.
#pragma once

#include <cstdint>
#include <string>

namespace loket::core {

using Seconds = std::int64_t;

struct Now {
    Seconds t = 0;            // instant on the hall's timeline
    std::int32_t utcOffsetS = 0; // local time = t + utcOffsetS
};

// Days since 1970-01-01 in the hall's local calendar.
using LocalDay = std::int32_t;

LocalDay localDay(Now now);
// Seconds since local midnight, 0..86399.
std::int32_t localSecondOfDay(Now now);
// 0 = Monday … 6 = Sunday.
int weekday(LocalDay day);
// "2026-11-23"
std::string formatDate(LocalDay day);
// Parses "2026-11-23"; false when malformed or not a real date.
bool parseDate(const std::string& text, LocalDay& out);
// "09:05"
std::string formatClock(std::int32_t secondOfDay);
// The instant of a local date and time, given the offset in force then.
Seconds instantOf(LocalDay day, std::int32_t secondOfDay, std::int32_t utcOffsetS);

} // namespace loket::core
