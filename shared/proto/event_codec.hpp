// The stored form of core events: how the server writes its event log to SQLite and reads it
// back after a restart. Services and counters are stored by id (not index), so a config that
// reorders them still replays; an id the config no longer knows is an error naming it.
// Depends on the core and nlohmann-json.
#pragma once

#include "shared/core/events.hpp"
#include "shared/core/result.hpp"

#include <nlohmann/json.hpp>

namespace loket::proto {

nlohmann::json eventToJson(const core::HallConfig& config, const core::Event& event);
Result<core::Event> eventFromJson(const core::HallConfig& config, const std::string& type, const nlohmann::json& body);

} // namespace loket::proto
