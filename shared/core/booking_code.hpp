// The booking code: what a visitor types on a kiosk (or a scanner reads from their confirmation)
// to check in for an appointment, and what an import or the admin API books under. One format for
// the whole system, decided here: 6–10 characters of A–Z and 2–9, upper case. Spaces, tabs, dashes
// and dots people (and booking systems) put in to group characters are not part of it.
// Used by the command handler, the server's import, the kiosk's recogniser and the simulator.
// Standard library only.
#pragma once

#include <string>
#include <string_view>

namespace loket::core {

inline constexpr std::size_t kBookingCodeMinLength = 6;
inline constexpr std::size_t kBookingCodeMaxLength = 10;
// The symbols Loket itself hands out: the valid ones without O and I, which read as 0 and 1.
inline constexpr std::string_view kBookingCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

// Upper-cases ASCII letters and drops spaces, tabs, dashes and dots ("k7q-2mx" → "K7Q2MX").
std::string normaliseBookingCode(std::string_view typed);
// True when `code` (already normalised) is 6–10 of A–Z and 2–9.
bool validBookingCode(std::string_view code);

} // namespace loket::core
