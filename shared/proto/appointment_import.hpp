// Appointment import: CSV and iCalendar (RFC 5545) files from a booking system or a calendar
// program, parsed into BookAppointment commands with the line each came from, and a line-numbered
// error for every row that cannot be used. Storing them is the server's job, all or nothing
// (through the command handler, so a re-import of the same file changes nothing).
// The text must be UTF-8: a line with another encoding's bytes (a Latin-1 "M\xFCller") is
// refused with its line, and then no row of the file is returned. Depends on the core and, in
// the .cpp, libical.
//
// CSV: a header line naming the columns (any order; `,` or `;` separated, RFC 4180 quoting):
//   code,date,time,services,duration_min,persons,name      (services joined with '+')
// iCalendar (read with libical): one VEVENT per appointment; cancelled events are left out. The
// code is X-LOKET-CODE, else the UID up to '@' when that is a booking code, else the last word of
// SUMMARY; services are the CATEGORIES values (service ids), else SUMMARY's first word with
// services joined by '+' ("paspoort+ophalen K7Q2MX", for calendars without categories); DTSTART
// in UTC (Z), floating or the hall's TZID (hall time), a zone the file defines in a VTIMEZONE
// (Outlook's "W. Europe Standard Time") or a tz-database name; DTEND or DURATION; the name from
// X-LOKET-NAME or ATTENDEE;CN= (with the escapes calendar programs put there removed).
#pragma once

#include "shared/core/commands.hpp"
#include "shared/core/utf8.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace loket::proto {

struct ImportRow { int line = 0; core::BookAppointment command; };
struct ImportLineError { int line = 0; std::string message; };
struct ParsedImport {
    std::vector<ImportRow> rows;
    std::vector<ImportLineError> errors;
};

// Local date and time in the hall → instant (the server knows the time zone rules).
using LocalToInstant = std::function<core::Seconds(core::LocalDay, std::int32_t secondOfDay)>;

ParsedImport parseAppointmentsCsv(std::string_view text, const LocalToInstant& toInstant);
ParsedImport parseAppointmentsIcs(std::string_view text, const LocalToInstant& toInstant, const std::string& hallTimeZone);

} // namespace loket::proto
