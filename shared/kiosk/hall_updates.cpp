#include "hall_updates.hpp"

namespace loket::kiosk {

std::optional<HallUpdate> hallUpdateFor(const proto::HallEvent& event) {
    if (event.type == "reset") return HallUpdate{std::nullopt, true, true};
    if (event.type != "configuration.changed" || !event.configuration) return std::nullopt;
    const auto& c = *event.configuration;
    // Hours decide whether a service takes walk-ins now: the list says so, so it is loaded too.
    return HallUpdate{c.banner, c.servicesChanged || c.hoursChanged, false};
}

} // namespace loket::kiosk
