#include "hall_config.hpp"

namespace {
const std::string kDutch = "nl";
const std::string kEnglish = "en";
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

bool OpeningHours::isOpen(Now now) const {
    if (alwaysOpen) return true;
    auto second = localSecondOfDay(now);
    for (auto [open, close] : periods[weekday(localDay(now))])
        if (second >= open && second < close) return true;
    return false;
}

std::optional<std::pair<std::int32_t, std::int32_t>> OpeningHours::dayRange(int day) const {
    if (alwaysOpen) return std::pair{0, 86400};
    const auto& list = periods[static_cast<std::size_t>(day)];
    if (list.empty()) return std::nullopt;
    std::int32_t first = list.front().first, last = list.front().second;
    for (auto [open, close] : list) {
        first = std::min(first, open);
        last = std::max(last, close);
    }
    return std::pair{first, last};
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

ServiceMask HallConfig::allServices() const {
    return services.size() >= 64 ? ~ServiceMask{0} : (ServiceMask{1} << services.size()) - 1;
}

} // namespace loket::core
