// Foreign appointments: one appointment as a booking system sent it, reduced to what the hall
// needs (code, products, time, persons, the name for staff) — never date of birth, address, phone,
// e-mail or BSN, even when the system sends them: the parsers do not read those fields at all.
// Also: the hall's time zone as two functions, ISO 8601 date-time parsing (JCC sends local times
// without an offset), and the product → service map that turns an appointment into the core's
// BookAppointment command with the code rule of its source.
// Used by server/booking and the tests. Depends on the core only.
#pragma once

#include "shared/core/commands.hpp"
#include "shared/core/hall_time.hpp"
#include "shared/core/result.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loket::booking {

enum class System { JccSoap, JccRest, Qmatic, Ics };
// "jcc", "jcc_rest", "qmatic", "ics" — as written in the hall TOML.
const char* systemName(System system);
std::optional<System> systemFromName(std::string_view name);
core::CodeSource codeSourceOf(System system);

struct ForeignAppointment {
    std::string code;                  // the system's own id, normalised (upper case)
    std::vector<std::string> products; // the system's product ids, one per person and product
    core::Seconds startsAt = 0;
    core::Seconds endsAt = 0;          // 0: unknown (the services' expected durations apply)
    core::LocalDay day = 0;            // the hall's local day of startsAt
    int persons = 1;
    std::string name;                  // for staff at the counter; may be empty
    bool cancelled = false;            // the system says it no longer takes place
    std::string qrText;                // JCC: the text of the confirmation's QR code, when known
    std::string location;              // the system's location / branch id, when it says
};

// The hall's clock rules, passed in (the server knows the zone; tests use a fixed rule).
struct HallZone {
    std::function<core::Seconds(core::LocalDay, std::int32_t secondOfDay)> toInstant;
    std::function<std::int32_t(core::Seconds)> offsetAt;
    core::LocalDay dayOf(core::Seconds t) const { return core::localDay(core::Now{t, offsetAt(t)}); }
};

// "2026-12-01T09:30:00", "2026-12-01T09:30:00.000+01:00", "2026-12-01T08:30:00Z" → instant. Without
// an offset the time is the hall's local time. Fails with invalid_value naming the text.
Result<core::Seconds> parseDateTime(std::string_view text, const HallZone& zone);

// The hall's map from a system's product (or service) ids to Loket service ids.
using ProductMap = std::map<std::string, std::string>;

struct MappedAppointment {
    std::optional<core::BookAppointment> command; // nullopt: no product maps to a service
    std::vector<std::string> unknownProducts;     // named in an alert, never dropped silently
};

// Services in the order of first appearance, each once; persons = the most times one product was
// booked (JCC and Qmatic repeat a product per person), at least the appointment's own count.
// The duration is the booking system's (end − start) when known. `keepName` false drops the name.
MappedAppointment toBookCommand(const ForeignAppointment& appointment, const ProductMap& products, System system,
                                bool keepName);

// The name as staff see it: initials or first name, prefix, last name, joined by single spaces.
std::string staffName(std::initializer_list<std::string_view> parts);

} // namespace loket::booking
