// The hall's live configuration between the file and the store. The store holds the live
// configuration (the admin page changes it through the command handler, configuration.hpp); the
// configuration file seeds an empty store only. At start-up a file that differs from the store is
// logged as a list of changes ("config_diff" lines) and applied — through the command handler, as
// the configuration file's changes — only when the server is started with --apply-config.
// The export writes the live configuration as a hall file in the format server_config.cpp reads.
// Settings that belong to IT (listen address, TLS, store, directory, booking systems, devices and
// staff) are file-only: they are neither stored nor exported.
// Used by main.cpp and the admin routes (api_beheer.cpp).
#pragma once

#include "command_executor.hpp"
#include "event_store.hpp"
#include "live_state.hpp"
#include "server_config.hpp"

#include <string>

namespace loket::server {

class AuditLog;

// The configuration to start the hall with: the store's, over the file's IT and policy settings;
// an empty store is seeded with the file's (in one commit).
Result<core::HallConfig> startConfiguration(EventStore& store, const core::HallConfig& file, core::Seconds at);

// After the replay: logs how the file differs from the live configuration and, with `apply`,
// runs each difference as a confirmed change by "config-file". Returns how many differences
// there were; an error when one that was to be applied was refused.
Result<std::size_t> reconcileConfiguration(CommandExecutor& commands, const LiveState& state, AuditLog* audit, HallClock& clock,
                                           const core::HallConfig& file, bool apply);

// The live configuration as a hall file (TOML), readable by loadServerConfig.
std::string exportConfigurationToml(const ServerConfig& server, const core::HallConfig& live);

} // namespace loket::server
