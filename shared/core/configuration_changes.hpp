// Configuration changes: what a hall manager changes on the admin page (/beheer) — services,
// counters, opening hours and their dated exceptions, the banner — as plain data with wire-level
// ids. The same value is the command's payload (`Configure`, commands.hpp) and, once the command
// handler accepted it, the event's (`ConfigurationChanged`, events.hpp): the fold
// (`applyConfigurationChange`, configuration.hpp) sets the hall's configuration from it, and
// applying it twice gives the same configuration (the server replays today's events over the
// configuration it stored). Standard library only.
#pragma once

#include "hall_config.hpp"

#include <string>
#include <variant>
#include <vector>

namespace loket::core {

// Adds a service or replaces the one with this id (a retired one comes back).
struct SetService { ServiceConfig service; };
// The service is no longer offered; visitors already waiting for it are still served.
struct RemoveService { std::string id; };
// Adds a counter or replaces the one with this id; skills are service ids.
struct SetCounter {
    std::string id;
    std::string name;
    std::vector<std::string> skills;
    std::string location;
    bool sittingDesk = false;
};
struct RemoveCounter { std::string id; };
// One weekday's periods (0 = Monday): when the hall takes check-ins, and when walk-ins.
struct SetWeekHours { int weekday = 0; OpenPeriods periods; OpenPeriods walkInPeriods; };
// A dated exception replaces that day's periods for check-ins and walk-ins alike.
struct SetDayException { LocalDay day = 0; DayException exception; };
struct ClearDayException { LocalDay day = 0; };
// An empty text (no language with a line) removes the banner.
struct SetBanner { LocalText text; };

using ConfigChange = std::variant<SetService, RemoveService, SetCounter, RemoveCounter, SetWeekHours,
                                  SetDayException, ClearDayException, SetBanner>;

// "service.set": the name of a change in events, the audit trail and the API.
const char* configChangeName(const ConfigChange& change);
// What it is about: a service or counter id, a weekday number, a date; empty for the banner.
std::string configChangeTarget(const ConfigChange& change);

} // namespace loket::core
