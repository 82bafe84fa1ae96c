// Parsing of the hall server's wire JSON into the client structs of client_types.hpp.
// The one set of client-side parsers: used by the kiosk, the display, shared/net and the tests. Every function takes the raw
// body text and returns a Result: malformed JSON is `invalid_json`, a missing field is
// `missing_field` and a wrong type is `invalid_value`, each with the JSON path in the message
// ("hall.counters[2].name: missing"). Unknown extra fields are ignored so the server may grow.
#pragma once

#include "shared/core/result.hpp"
#include "shared/core/visit_needs.hpp"
#include "shared/proto/api_error.hpp"
#include "shared/proto/client_types.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loket::proto {

Result<HallSnapshot> parseHallSnapshot(std::string_view body);
Result<std::vector<ClientService>> parseServiceList(std::string_view body);
Result<ClientTicket> parseTicket(std::string_view body);
Result<ClientCounter> parseCounter(std::string_view body);
Result<IssuedTicket> parseIssuedTicket(std::string_view body);
Result<std::vector<ClientDevice>> parseDeviceList(std::string_view body);

// The body of a check-in request (POST /api/v1/tickets): walk-in or appointment, with the
// visitor's language; a walk-in with the needs the visitor chose on the kiosk's optional step
// (none: no `needs` field).
std::string walkInRequestBody(const std::string& serviceId, const std::string& language, const core::VisitNeeds& needs = {});
std::string appointmentRequestBody(const std::string& code, const std::string& language);
// One event-stream event: `id`, `type` from the SSE fields and `data` (JSON, may be empty for
// `reset`). The payload must match its type: ticket.* carries a ticket, ticket.called and
// ticket.recalled also a call, counter.updated a counter.
Result<HallEvent> parseHallEvent(std::int64_t id, std::string_view type, std::string_view data);

} // namespace loket::proto
