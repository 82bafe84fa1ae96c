// What a kiosk does with one event of the hall's stream (/api/v1/events): the admin page's
// changes reach it live. A `configuration.changed` event carries the banner as it is now (shown
// from the next frame) and says whether the services changed (names, what to bring, walk-in on
// or off, hours): then the kiosk loads the list again. After a `reset` (the server could not
// replay what the kiosk missed) it loads both again. Every other event is not the kiosk's.
// Pure: no network, no clock; the kiosk's worker applies the answer. Used by kiosk/worker.cpp
// and the tests.
#pragma once

#include "shared/proto/client_types.hpp"

#include <optional>

namespace loket::kiosk {

struct HallUpdate {
    std::optional<proto::LocalText> banner; // the new banner (empty text: none); nullopt: unknown, load it
    bool reloadServices = false;
    bool reloadBanner = false;
};

std::optional<HallUpdate> hallUpdateFor(const proto::HallEvent& event);

} // namespace loket::kiosk
