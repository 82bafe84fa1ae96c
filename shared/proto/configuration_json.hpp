// The JSON form of configuration changes (core/configuration_changes.hpp): the admin API's request
// bodies, the stored `configuration.changed` events, and the store's copy of the live
// configuration (a list of changes that builds it). One writer and one reader for all three.
// Reading is strict: an unknown key, a wrong type or a malformed time is an error that names the
// field (`details.field`), so the admin page can show it beside that field.
// Depends on the core and nlohmann-json.
#pragma once

#include "shared/core/configuration_changes.hpp"
#include "shared/core/result.hpp"

#include <nlohmann/json.hpp>

namespace loket::proto {

// {"type": "service.set", "service": {...}} and so on (api.md, "Configuration").
nlohmann::json configChangeToJson(const core::ConfigChange& change);
// `current` fills what a "service.set" body leaves out (a field the page does not show keeps its
// value) and names the services a counter's skills refer to.
Result<core::ConfigChange> configChangeFromJson(const nlohmann::json& body, const core::HallConfig& current);

// A service, a counter, a day's periods as the API shows them.
nlohmann::json serviceConfigJson(const core::ServiceConfig& service);
nlohmann::json counterConfigJson(const core::HallConfig& config, const core::CounterConfig& counter);
nlohmann::json periodsJson(const core::OpenPeriods& periods); // ["08:30-12:30", …]

// The page-managed part of a configuration (services, counters, weekly hours, exceptions, the
// banner) as the list of changes that builds it from nothing, retired services and counters
// included (today's tickets may still name them).
nlohmann::json configurationDocument(const core::HallConfig& config);
// Replaces the page-managed part of `config` with the document's.
Status applyConfigurationDocument(const nlohmann::json& document, core::HallConfig& config);

} // namespace loket::proto
