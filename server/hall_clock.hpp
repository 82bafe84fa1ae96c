// HallClock: the server's one source of time for the core. Wall-clock seconds that never go
// backwards (an NTP step back cannot reorder events or bend a wait), with the hall's UTC offset
// from the configured time zone (TZ), and local-time conversion for appointment imports.
#pragma once

#include "shared/core/hall_time.hpp"

#include <atomic>
#include <string>

namespace loket::server {

class HallClock {
public:
    // Sets the process time zone; call once at start-up, before threads.
    static void useTimeZone(const std::string& zone);

    core::Now now();
    std::int32_t utcOffsetAt(core::Seconds t) const;
    // A local date and time in the hall's zone → instant.
    core::Seconds instantOf(core::LocalDay day, std::int32_t secondOfDay) const;
    // Tests and demos may run the hall's clock ahead (LOKET_CLOCK_OFFSET_S); never in a real hall.
    void setOffset(core::Seconds offsetS) { m_offsetS = offsetS; }

private:
    std::atomic<core::Seconds> m_last{0};
    core::Seconds m_offsetS = 0;
};

} // namespace loket::server
