#include "server_messages.hpp"

#include <cctype>
#include <vector>

namespace loket::kiosk {
namespace {

bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Every clock in the text in order, normalised to HH:MM.
std::vector<std::string> clocks(std::string_view t) {
    std::vector<std::string> out;
    for (std::size_t i = 1; i + 2 < t.size(); ++i) {
        if (t[i] != ':' || !digit(t[i - 1]) || !digit(t[i + 1]) || !digit(t[i + 2])) continue;
        if (i + 3 < t.size() && digit(t[i + 3])) continue;
        std::size_t start = i - 1;
        if (start > 0 && digit(t[start - 1])) --start;
        if (start > 0 && digit(t[start - 1])) continue; // "123:45" is no clock
        const int hours = std::stoi(std::string(t.substr(start, i - start)));
        const int minutes = (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
        if (hours > 23 || minutes > 59) continue;
        std::string hh = (hours < 10 ? "0" : "") + std::to_string(hours);
        out.push_back(hh + ":" + std::string(t.substr(i + 1, 2)));
    }
    return out;
}

} // namespace

std::optional<std::string> findClock(std::string_view text) {
    auto all = clocks(text);
    if (all.empty()) return std::nullopt;
    return all.front();
}

std::optional<std::pair<std::string, std::string>> findClockRange(std::string_view text) {
    auto all = clocks(text);
    if (all.size() < 2) return std::nullopt;
    return std::make_pair(all[0], all[1]);
}

std::optional<std::string> findTicketNumber(std::string_view t) {
    for (std::size_t i = 0; i + 4 <= t.size(); ++i) {
        if (t[i] < 'A' || t[i] > 'Z' || !digit(t[i + 1]) || !digit(t[i + 2]) || !digit(t[i + 3])) continue;
        if (i > 0 && std::isalnum(static_cast<unsigned char>(t[i - 1]))) continue;
        if (i + 4 < t.size() && std::isalnum(static_cast<unsigned char>(t[i + 4]))) continue;
        return std::string(t.substr(i, 4));
    }
    return std::nullopt;
}

std::optional<std::string> findIsoDate(std::string_view t) {
    for (std::size_t i = 0; i + 10 <= t.size(); ++i) {
        bool ok = t[i + 4] == '-' && t[i + 7] == '-';
        for (std::size_t k : {0, 1, 2, 3, 5, 6, 8, 9}) ok = ok && digit(t[i + k]);
        if (!ok) continue;
        if (i > 0 && digit(t[i - 1])) continue;
        return std::string(t.substr(i, 10));
    }
    return std::nullopt;
}

std::optional<std::string> localClock(std::string_view t) {
    if (t.size() < 16 || t[10] != 'T' || !findIsoDate(t.substr(0, 10))) return std::nullopt;
    auto clock = findClock(t.substr(11, 5));
    if (!clock || clock->size() != 5) return std::nullopt;
    return clock;
}

std::optional<std::string> localDate(std::string_view t) {
    auto date = findIsoDate(t.substr(0, std::min<std::size_t>(t.size(), 10)));
    if (!date) return std::nullopt;
    return date->substr(8, 2) + "-" + date->substr(5, 2) + "-" + date->substr(0, 4);
}

} // namespace loket::kiosk
