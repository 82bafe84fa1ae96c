// Qmatic Orchestra Calendar (calendar-backend REST API v1): JSON with a `meta` block. An
// appointment has a hex `publicId` (kept as the code, upper-cased), `start`/`end` with an offset,
// `services` (each with its own publicId: Qmatic's products), `customers` (one per person) and a
// numeric `status`: 20 is a confirmed booking; 10 is a reservation still being made, and any
// other status no longer takes place — both are treated as cancelled. Only a customer's name is
// read; date of birth, address, phone, e-mail and identification number never are.
// Used by server/booking. Depends on the core.
#pragma once

#include "foreign_appointment.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace loket::booking::qmatic {

inline constexpr int kStatusConfirmed = 20;

// `{"appointmentList": [...]}` — the branch's appointments in a date range.
Result<std::vector<ForeignAppointment>> parseAppointments(std::string_view json, const HallZone& zone);
// `{"appointment": {...}}` — one appointment; nullopt when the answer holds none.
Result<std::optional<ForeignAppointment>> parseAppointment(std::string_view json, const HallZone& zone);

} // namespace loket::booking::qmatic
