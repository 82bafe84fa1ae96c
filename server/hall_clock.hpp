// HallClock: the server's one source of time for the core. Wall-clock seconds that never go
// backwards (an NTP step back cannot reorder events or bend a wait), with the hall's UTC offset
// from its time zone, and local-time conversion for appointment imports. Time-zone rules come
// from the tz database through Howard Hinnant's date library (date::date-tz), not from the
// process's TZ variable: nothing global changes, and the core stays free of time zones.
#pragma once

#include "shared/core/hall_time.hpp"

#include <atomic>
#include <string>

namespace date {
class time_zone;
} // namespace date

namespace loket::server {

class HallClock {
public:
    // `zone` is a tz-database name ("Europe/Amsterdam"), checked when the config is read; an
    // unknown one throws std::runtime_error here.
    explicit HallClock(const std::string& zone = "Europe/Amsterdam");

    core::Now now();
    std::int32_t utcOffsetAt(core::Seconds t) const;
    // A local date and time in the hall's zone → instant (in a DST gap: the moment the clocks
    // jump; in the repeated hour: the first time).
    core::Seconds instantOf(core::LocalDay day, std::int32_t secondOfDay) const;
    // Tests and demos may run the hall's clock ahead (LOKET_CLOCK_OFFSET_S); never in a real hall.
    void setOffset(core::Seconds offsetS) { m_offsetS = offsetS; }

private:
    const date::time_zone* m_zone;
    std::atomic<core::Seconds> m_last{0};
    core::Seconds m_offsetS = 0;
};

} // namespace loket::server
