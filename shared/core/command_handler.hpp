// The command handler: the one place where the hall's rules are decided. Every change — kiosk
// check-in, counter actions, appointment import, feedback, day rollover — passes through
// `decide`, which either fails with a typed error or returns the events that happened; the caller
// stores them and folds them into the state (hall_state.hpp). Pure: the time comes in `now`,
// random visitor codes come in the command.
//
// Day rollover: a command at a new local day first yields `DayStarted` (yesterday's tickets and
// personal data go), then the command's own events, decided on the new day.
#pragma once

#include "booking_code.hpp"
#include "commands.hpp"
#include "hall_state.hpp"
#include "result.hpp"

#include <vector>

namespace loket::core {

Result<std::vector<Event>> decide(const HallState& state, const Command& command, Now now);

// Bounds on one appointment: a visit is a handful of services and at most a working day.
constexpr std::size_t kMaxServicesPerVisit = 8;
constexpr Seconds kMaxVisitS = 8 * 3600;

// decide + apply in one step, for the simulator and tests.
Result<std::vector<Event>> execute(HallState& state, const Command& command, Now now);

} // namespace loket::core
