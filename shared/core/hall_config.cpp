#include "hall_config.hpp"

#include <algorithm>

namespace {
const std::string kDutch = "nl";
const std::string kEnglish = "en";

// A day's first opening and last closing; nullopt when it has no periods.
std::optional<std::pair<std::int32_t, std::int32_t>> firstAndLast(const loket::core::OpenPeriods& list) {
    if (list.empty()) return std::nullopt;
    std::int32_t first = list.front().first, last = list.front().second;
    for (auto [open, close] : list) {
        first = std::min(first, open);
        last = std::max(last, close);
    }
    return std::pair{first, last};
}
} // namespace

namespace loket::core {

const std::string& textIn(const LocalText& text, const std::string& language) {
    static const std::string kNone;
    for (const std::string* code : {&language, &kDutch, &kEnglish}) {
        auto it = text.find(*code);
        if (it != text.end() && !it->second.empty()) return it->second;
    }
    for (const auto& [code, value] : text)
        if (!value.empty()) return value;
    return kNone;
}

const char* policyName(PolicyKind kind) {
    switch (kind) {
    case PolicyKind::Fifo: return "fifo";
    case PolicyKind::AppointmentsFirst: return "appointments_first";
    case PolicyKind::Edf: return "edf";
    case PolicyKind::Norm: return "norm";
    case PolicyKind::NormV1: return "norm_v1";
    }
    return "norm";
}

std::optional<PolicyKind> parsePolicy(const std::string& name) {
    for (auto kind : {PolicyKind::Fifo, PolicyKind::AppointmentsFirst, PolicyKind::Edf, PolicyKind::Norm, PolicyKind::NormV1})
        if (name == policyName(kind)) return kind;
    return std::nullopt;
}

const char* dayExceptionKindName(DayExceptionKind kind) {
    switch (kind) {
    case DayExceptionKind::Closed: return "closed";
    case DayExceptionKind::Short: return "short";
    case DayExceptionKind::Evening: return "evening";
    }
    return "closed";
}

std::optional<DayExceptionKind> parseDayExceptionKind(const std::string& name) {
    for (auto kind : {DayExceptionKind::Closed, DayExceptionKind::Short, DayExceptionKind::Evening})
        if (name == dayExceptionKindName(kind)) return kind;
    return std::nullopt;
}

const OpenPeriods& OpeningHours::periodsOn(LocalDay day) const {
    if (auto it = exceptions.find(day); it != exceptions.end()) return it->second;
    return periods[static_cast<std::size_t>(weekday(day))];
}

bool OpeningHours::isOpen(Now now) const {
    const LocalDay day = localDay(now);
    if (alwaysOpen && !exceptions.count(day)) return true;
    auto second = localSecondOfDay(now);
    for (auto [open, close] : periodsOn(day))
        if (second >= open && second < close) return true;
    return false;
}

std::optional<std::pair<std::int32_t, std::int32_t>> OpeningHours::dayRangeOn(LocalDay day) const {
    if (!exceptions.count(day)) return dayRange(weekday(day));
    return firstAndLast(periodsOn(day));
}

std::optional<std::pair<std::int32_t, std::int32_t>> OpeningHours::dayRange(int day) const {
    if (alwaysOpen) return std::pair{0, 86400};
    return firstAndLast(periods[static_cast<std::size_t>(day)]);
}

std::optional<ServiceIndex> HallConfig::serviceIndex(const std::string& id) const {
    for (std::size_t i = 0; i < services.size(); ++i)
        if (services[i].id == id) return static_cast<ServiceIndex>(i);
    return std::nullopt;
}

std::optional<CounterIndex> HallConfig::counterIndex(const std::string& id) const {
    for (std::size_t i = 0; i < counters.size(); ++i)
        if (counters[i].id == id) return static_cast<CounterIndex>(i);
    return std::nullopt;
}

std::optional<ServiceIndex> HallConfig::offeredServiceIndex(const std::string& id) const {
    auto i = serviceIndex(id);
    if (i && services[*i].retired) return std::nullopt;
    return i;
}

std::optional<CounterIndex> HallConfig::activeCounterIndex(const std::string& id) const {
    auto i = counterIndex(id);
    if (i && counters[*i].retired) return std::nullopt;
    return i;
}

ServiceMask HallConfig::allServices() const {
    return services.size() >= 64 ? ~ServiceMask{0} : (ServiceMask{1} << services.size()) - 1;
}

} // namespace loket::core
