#include "shared/proto/rfc3339.hpp"

#include <cctype>
#include <cstdio>

namespace loket::proto {
using namespace loket::core;
namespace {

bool digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
    if (pos + count > text.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}

} // namespace

std::string rfc3339(Seconds t, std::int32_t utcOffsetS) {
    // Every event and check-in answer writes several of these: digits appended by hand, not a
    // second snprintf. `two` writes what "%02d" writes, for any int.
    const Now now{t, utcOffsetS};
    std::string out = formatDate(localDay(now));
    out.reserve(out.size() + 15);
    auto two = [&out](std::int32_t v) {
        if (v >= 0 && v < 10) {
            out += '0';
            out += static_cast<char>('0' + v);
        } else {
            out += std::to_string(v);
        }
    };
    const std::int32_t s = localSecondOfDay(now);
    const std::int32_t off = utcOffsetS < 0 ? -utcOffsetS : utcOffsetS;
    out += 'T';
    two(s / 3600);
    out += ':';
    two((s / 60) % 60);
    out += ':';
    two(s % 60);
    out += utcOffsetS < 0 ? '-' : '+';
    two(off / 3600);
    out += ':';
    two((off / 60) % 60);
    return out;
}

namespace {

// The one scanner behind both readers; `strict` is RFC 3339 (seconds and a colon offset required).
std::optional<IsoDateTime> scan(std::string_view text, bool strict) {
    LocalDay day = 0;
    if (text.size() < 16 || !parseDate(std::string(text.substr(0, 10)), day)) return std::nullopt;
    int hour = 0, minute = 0, second = 0;
    if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2, hour) || text[13] != ':' ||
        !digits(text, 14, 2, minute))
        return std::nullopt;
    std::size_t pos = 16;
    if (pos < text.size() && text[pos] == ':') {
        if (!digits(text, pos + 1, 2, second)) return std::nullopt;
        pos += 3;
        if (pos < text.size() && text[pos] == '.') { // fractional seconds are ignored
            ++pos;
            while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
        }
    } else if (strict) {
        return std::nullopt;
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    IsoDateTime out{day, hour * 3600 + minute * 60 + second, std::nullopt};
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        out.utcOffsetS = 0;
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        int oh = 0, om = 0;
        std::size_t m = pos + 3;
        const bool colon = m < text.size() && text[m] == ':';
        if (colon) ++m;
        if (!digits(text, pos + 1, 2, oh) || (strict && !colon) || !digits(text, m, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        out.utcOffsetS = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
        pos = m + 2;
    } else if (strict) {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
    return out;
}

} // namespace

std::optional<IsoDateTime> parseIso8601(std::string_view text) { return scan(text, false); }

std::optional<Now> parseRfc3339(std::string_view text) {
    auto at = scan(text, true);
    if (!at) return std::nullopt;
    return Now{instantOf(at->day, at->secondOfDay, *at->utcOffsetS), *at->utcOffsetS};
}

bool parseRfc3339(const std::string& text, Seconds& out) {
    auto at = parseRfc3339(std::string_view(text));
    if (!at) return false;
    out = at->t;
    return true;
}

std::string localClockText(std::string_view text) {
    auto at = parseRfc3339(text);
    return at ? formatClock(localSecondOfDay(*at)) : std::string();
}

std::string localDateText(std::string_view text) {
    auto at = parseRfc3339(text);
    return at ? formatDate(localDay(*at)) : std::string();
}

} // namespace loket::proto
