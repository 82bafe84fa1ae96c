#include "hall_clock.hpp"

#include <date/tz.h>

#include <chrono>

namespace loket::server {

HallClock::HallClock(const std::string& zone) : m_zone(date::locate_zone(zone)) {}

std::int32_t HallClock::utcOffsetAt(core::Seconds t) const {
    const date::sys_seconds at{std::chrono::seconds(t)};
    return static_cast<std::int32_t>(m_zone->get_info(at).offset.count());
}

core::Now HallClock::now() {
    using namespace std::chrono;
    core::Seconds wall = duration_cast<seconds>(system_clock::now().time_since_epoch()).count() + m_offsetS;
    core::Seconds last = m_last.load();
    while (wall > last && !m_last.compare_exchange_weak(last, wall)) {}
    core::Seconds t = std::max(wall, m_last.load());
    return core::Now{t, utcOffsetAt(t)};
}

core::Seconds HallClock::instantOf(core::LocalDay day, std::int32_t secondOfDay) const {
    const date::local_seconds local{date::days(day) + std::chrono::seconds(secondOfDay)};
    const date::local_info info = m_zone->get_info(local);
    // A local time that does not exist (the hour skipped in spring) is the moment the clocks jump.
    if (info.result == date::local_info::nonexistent) return info.second.begin.time_since_epoch().count();
    return m_zone->to_sys(local, date::choose::earliest).time_since_epoch().count();
}

} // namespace loket::server
