#include "hall_time.hpp"

#include <cstdio>

namespace loket::core {
namespace {

// Howard Hinnant's civil-calendar algorithms (public domain), proleptic Gregorian.
LocalDay daysFromCivil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int>(doe) - 719468;
}

void civilFromDays(LocalDay z, int& y, unsigned& m, unsigned& d) {
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

Seconds floorDiv(Seconds a, Seconds b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

} // namespace

LocalDay localDay(Now now) { return static_cast<LocalDay>(floorDiv(now.t + now.utcOffsetS, 86400)); }

std::int32_t localSecondOfDay(Now now) {
    Seconds local = now.t + now.utcOffsetS;
    return static_cast<std::int32_t>(local - floorDiv(local, 86400) * 86400);
}

int weekday(LocalDay day) {
    // 1970-01-01 was a Thursday (3 when Monday is 0).
    int w = static_cast<int>((day + 3) % 7);
    return w < 0 ? w + 7 : w;
}

std::string formatDate(LocalDay day) {
    int y; unsigned m, d;
    civilFromDays(day, y, m, d);
    char buf[32]; // room for any int year, so the output can never be cut (-Wformat-truncation)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    return buf;
}

bool parseDate(const std::string& text, LocalDay& out) {
    int y = 0; unsigned m = 0, d = 0;
    char tail = 0;
    if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return false;
    if (m < 1 || m > 12 || d < 1 || d > 31) return false;
    LocalDay day = daysFromCivil(y, m, d);
    int y2; unsigned m2, d2;
    civilFromDays(day, y2, m2, d2);
    if (y2 != y || m2 != m || d2 != d) return false; // 2026-02-30
    out = day;
    return true;
}

std::string formatClock(std::int32_t secondOfDay) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", (secondOfDay / 3600) % 24, (secondOfDay / 60) % 60);
    return buf;
}

Seconds instantOf(LocalDay day, std::int32_t secondOfDay, std::int32_t utcOffsetS) {
    return static_cast<Seconds>(day) * 86400 + secondOfDay - utcOffsetS;
}

} // namespace loket::core
