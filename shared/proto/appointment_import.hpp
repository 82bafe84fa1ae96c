// Appointment import: CSV and iCalendar (RFC 5545) files from a booking system, parsed into
// BookAppointment commands with the line each came from, and a line-numbered error for every
// row that cannot be used. Storing them is the server's job (through the command handler, so a
// re-import of the same file changes nothing). Depends on the core.
//
// CSV: a header line naming the columns (any order; `,` or `;` separated, RFC 4180 quoting):
//   code,date,time,services,duration_min,persons,name      (services joined with '+')
// iCalendar: one VEVENT per appointment. The code is X-LOKET-CODE or, failing that, the UID up
// to '@'; services come from CATEGORIES (service ids); DTSTART in UTC (Z), floating (hall time)
// or with the hall's own TZID; DTEND or DURATION; the name from X-LOKET-NAME or ATTENDEE;CN=.
#pragma once

#include "shared/core/commands.hpp"

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
