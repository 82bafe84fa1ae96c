// The command handler: the one place where the hall's rules are decided. Every change — kiosk
// check-in, counter actions, appointment import, feedback, day rollover — passes through
// `decide`, which either fails with a typed error or returns the events that happened; the caller
// stores them and folds them into the state (hall_state.hpp). Pure: the time comes in `now`,
// random visitor codes come in the command.
//
// Day rollover: a command at a new local day first yields `DayStarted` (yesterday's tickets and
// personal data go), then the command's own events, decided on the new day.
#pragma once

#include "commands.hpp"
#include "hall_state.hpp"
#include "result.hpp"

#include <vector>

namespace loket::core {

Result<std::vector<Event>> decide(const HallState& state, const Command& command, Now now);

// decide + apply in one step, for the simulator and tests.
Result<std::vector<Event>> execute(HallState& state, const Command& command, Now now);

// Booking codes are typed on a kiosk: upper case, only A–Z and 2–9 (no 0/O, 1/I), 6–10 long.
bool validBookingCode(const std::string& code);
// The code rule per source. A booking system's appointments keep that system's own id as their
// code, so residents can show the confirmation they already have: JCC ids are 4–20 digits,
// Qmatic public ids 16–64 hex digits (upper-cased), calendar feeds 4–64 of A–Z and 0–9.
bool validBookingCode(const std::string& code, CodeSource source);
// True when the (normalised) code fits the rule of any source: what a kiosk may send.
bool validBookingCodeOfAnySource(const std::string& code);
// "6-10 of A-Z and 2-9", for error messages.
const char* bookingCodeRuleText(CodeSource source);
std::string normaliseBookingCode(const std::string& typed);

} // namespace loket::core
