#include "hall_clock.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>

namespace loket::server {

void HallClock::useTimeZone(const std::string& zone) {
    setenv("TZ", zone.c_str(), 1);
    tzset();
}

std::int32_t HallClock::utcOffsetAt(core::Seconds t) const {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm local{};
    localtime_r(&tt, &local);
    return static_cast<std::int32_t>(local.tm_gmtoff);
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
    // First guess with the offset at noon that day, then correct once for a DST change.
    core::Seconds guess = core::instantOf(day, secondOfDay, utcOffsetAt(core::instantOf(day, 12 * 3600, 0)));
    return core::instantOf(day, secondOfDay, utcOffsetAt(guess));
}

} // namespace loket::server
