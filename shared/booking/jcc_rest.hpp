// JCC-Afspraken REST (G-Plan "WARP" API, v1): OAuth2 client credentials at connect/token, then
// JSON. An appointment has a GUID `id` and the numeric `number` residents find in their
// confirmation — Loket keeps the number as the code. Times are local without an offset.
// Activities (JCC's products) come in `acitivityList` (sic, as JCC spells it) or `activityList`;
// a repeated activity or several customers mean several persons. Only the main customer's name
// is read; birth date, address, phone, e-mail and BSN never are.
// Used by server/booking. Depends on the core.
#pragma once

#include "foreign_appointment.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace loket::booking::jcc_rest {

// The form body of the token request and the token in its answer.
std::string tokenRequestBody();
Result<std::string> parseToken(std::string_view json);

// The day's appointments at the location (a JSON array of appointments) and one appointment.
// Malformed JSON or a missing required field fails with invalid_value naming it.
Result<std::vector<ForeignAppointment>> parseAppointments(std::string_view json, const HallZone& zone);
Result<ForeignAppointment> parseAppointment(std::string_view json, const HallZone& zone);

} // namespace loket::booking::jcc_rest
