// iCalendar feeds (RFC 5545), polled from an ICS URL (a CalDAV collection through its .ics export),
// parsed with libical.
// One VEVENT is one appointment: the code is X-LOKET-CODE or else the UID up to '@' (4–64 of A–Z
// and 0–9 after dropping dashes); products come from CATEGORIES; DTSTART in UTC, floating (hall
// time), with the hall's TZID or any other known TZID; DTEND or DURATION; STATUS:CANCELLED
// withdraws; persons from X-LOKET-PERSONS or the number of ATTENDEEs; the name from X-LOKET-NAME
// or the first ATTENDEE's CN. Nothing else of an event is read.
// (The hall's own file import, shared/proto/appointment_import, reads the same fields from an
// uploaded file; this reader is for a system's feed with a product map and cancellations.)
// Used by server/booking. Depends on the core and libical.
#pragma once

#include "foreign_appointment.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace loket::booking::ics {

// Fails with invalid_value (naming the event's UID where there is one) when the text is not an
// iCalendar object or an event cannot be read; then nothing of the feed is used.
Result<std::vector<ForeignAppointment>> parseFeed(std::string_view text, const HallZone& zone,
                                                  const std::string& hallTimeZone);

} // namespace loket::booking::ics
