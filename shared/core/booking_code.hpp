// The booking code: what a visitor types on a kiosk (or a scanner reads from their confirmation)
// to check in for an appointment, and what an import or the admin API books under. One format for
// the whole system, decided here: 6–10 characters of A–Z and 2–9, upper case. Spaces, tabs, dashes
// and dots people (and booking systems) put in to group characters are not part of it.
// Used by the command handler, the server's import, the kiosk's recogniser and the simulator.
// Standard library only.
#pragma once

#include <string>
#include <string_view>

#include "commands.hpp"

namespace loket::core {

inline constexpr std::size_t kBookingCodeMinLength = 6;
inline constexpr std::size_t kBookingCodeMaxLength = 10;
// The symbols Loket itself hands out: the valid ones without O and I, which read as 0 and 1.
inline constexpr std::string_view kBookingCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

// Upper-cases ASCII letters and drops spaces, tabs, dashes and dots ("k7q-2mx" → "K7Q2MX").
std::string normaliseBookingCode(std::string_view typed);
// True when `code` (already normalised) is 6–10 of A–Z and 2–9.
bool validBookingCode(std::string_view code);
// The code rule per source. A booking system's appointments keep that system's own id as their
// code, so residents can show the confirmation they already have: JCC ids are 4–20 digits,
// Qmatic public ids 16–64 hex digits (upper-cased), calendar feeds 4–64 of A–Z and 0–9.
bool validBookingCode(std::string_view code, CodeSource source);
// True when the (normalised) code fits the rule of any source: what a kiosk may send.
bool validBookingCodeOfAnySource(std::string_view code);
// The rule in words, for error messages ("6-10 of A-Z and 2-9").
const char* bookingCodeRuleText(CodeSource source);

} // namespace loket::core
