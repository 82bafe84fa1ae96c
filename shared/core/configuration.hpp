// Configuration commands: the hall manager's changes (configuration_changes.hpp) decided and
// folded. `decide` (command_handler.hpp) hands a `Configure` command here; it is checked field by
// field (an error names the field in `details.field`, like "bring.nl"), refused when it would
// break the day unless the command is confirmed (removing a service visitors wait for, removing a
// counter with a visitor at it, closing today while visitors wait), and answered with a
// `ConfigurationChanged` event (who, what, when) — after the events that keep the day whole (a
// visitor at a removed counter goes back to the queue first).
// Used by the command handler and the hall state's fold; the server seeds and exports through
// the same fold. Standard library only.
#pragma once

#include "commands.hpp"
#include "events.hpp"
#include "result.hpp"

#include <vector>

namespace loket::core {

class HallState;

// Limits of the page's fields (the file reader checks the same ranges).
constexpr std::size_t kMaxNameChars = 80;        // a service's name, per language
constexpr std::size_t kMaxLineChars = 200;       // description, what to bring, the banner, a note
constexpr std::size_t kMaxCounterNameChars = 20;
constexpr Seconds kMinDurationS = 30;
constexpr Seconds kMaxDurationS = 4 * 3600;

// A counter's location: empty or one of the display's arrows (left, right, up, down, up-left, …).
bool validCounterLocation(const std::string& location);

Result<std::vector<Event>> decideConfiguration(const HallState& state, const Configure& command, Now now);

// Checks a change against a configuration, without today's visitors (the file seeding and the
// command use it): a typed error with the field, or ok.
Status validateConfigChange(const HallConfig& config, const ConfigChange& change);

// Sets the configuration from an accepted change. Idempotent.
void applyConfigurationChange(HallConfig& config, const ConfigChange& change);

// The changes that turn `from` into `to` (services and counters by id, weekdays, exceptions, the
// banner); empty when they are the same. The server logs them at start-up when the file and the
// store differ, and applies them with --apply-config.
std::vector<ConfigChange> configurationDiff(const HallConfig& from, const HallConfig& to);

} // namespace loket::core
