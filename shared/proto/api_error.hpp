// The API's error body, written by the server and read by every client, in one place:
//   {"error": {"code": "too_early", "message": "Too early: …", "details": {"check_in_from": "…"}}}
// `code` is ErrorCode's snake_case name; `message` is English for people and logs — no client
// reads facts out of it; `details` (only when the error has facts, see result.hpp's ErrorDetails
// and api.md) carries them typed: check_in_from, opens_at, closes_at (RFC 3339 in the hall's
// offset), ticket_number, appointment_date (YYYY-MM-DD).
// Used by the server's error responses and shared/net's HTTP client. Depends on the core and
// nlohmann-json.
#pragma once

#include "shared/core/result.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace loket::proto {

// `{"error": {…}}` for an error.
nlohmann::json errorJson(const Error& error);
// Just the `details` object (empty object when the error has none).
nlohmann::json errorDetailsJson(const ErrorDetails& details);

// The error of a body the server sent; `code` empty when the body is not an API error. A detail
// of the wrong shape is left out (the client then shows its text without that fact).
struct ApiErrorBody {
    std::string code;
    std::string message;
    ErrorDetails details;
};
ApiErrorBody parseApiErrorBody(std::string_view body);
// The ErrorCode for an API error code string (`counter_busy` → CounterBusy); an unknown
// `unknown_*` is NotFound, anything else unknown Internal.
ErrorCode errorCodeFromName(std::string_view name);

} // namespace loket::proto
