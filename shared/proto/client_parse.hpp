// Parsing of the hall server's wire JSON into the client structs of client_types.hpp.
// Used by shared/net callers (display, kiosk, simulator, tests). Every function takes the raw
// body text and returns a Result: malformed JSON is `invalid_json`, a missing field is
// `missing_field` and a wrong type is `invalid_value`, each with the JSON path in the message
// ("hall.counters[2].name: missing"). Unknown extra fields are ignored so the server may grow.
#pragma once

#include "shared/core/result.hpp"
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
// One event-stream event: `id`, `type` from the SSE fields and `data` (JSON, may be empty for
// `reset`). The payload must match its type: ticket.* carries a ticket, ticket.called and
// ticket.recalled also a call, counter.updated a counter.
Result<HallEvent> parseHallEvent(std::int64_t id, std::string_view type, std::string_view data);

// The API's error body `{"error": {"code", "message"}}`; empty strings when the body is not one.
struct ApiErrorBody {
    std::string code;
    std::string message;
};
ApiErrorBody parseApiErrorBody(std::string_view body);
// The ErrorCode for an API error code string (`counter_busy` → CounterBusy); Internal if unknown.
ErrorCode errorCodeFromName(std::string_view name);

} // namespace loket::proto
