// Small helpers at the HTTP border: JSON bodies checked field by field (unknown fields are an
// error, so a typo never silently does nothing), errors as the API's JSON, status codes from
// the core's ErrorCode.
#pragma once

#include "shared/core/result.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace loket::server {

using Json = nlohmann::json;

int httpStatusOf(ErrorCode code);

// The first header called `name` (ASCII case-insensitive, as cpp-httplib compares names), or
// nullptr: the same header `get_header_value(name)` gives. A scan that compares lengths first
// instead of cpp-httplib's map search, which lowers every character of every name it passes
// (tolower per character, a std::string built for the name): the check-in path makes eight
// lookups, and that search was ~1,500 instructions each (docs/benchmarks.md).
const std::string* findHeader(const httplib::Headers& headers, std::string_view name);
// Its value, or "" when the header is missing (get_header_value's answer).
std::string_view headerValue(const httplib::Request& req, std::string_view name);
// Replaces every `name` header of the answer by one with `value` (set_header adds a second one).
// For the server's own fixed headers: unlike set_header it does not scan `value` for CR/LF on
// every answer, so never pass it text that came from a request.
void replaceHeader(httplib::Headers& headers, const std::string& name, const std::string& value);

void sendJson(httplib::Response& res, int status, const Json& body);
// The same with the body already JSON text (written with proto::JsonWriter).
void sendJsonText(httplib::Response& res, int status, std::string body);
void sendError(httplib::Response& res, const Error& error);
void sendError(httplib::Response& res, ErrorCode code, const std::string& message);

// No request of the API nests deeper than a few levels.
constexpr int kMaxJsonDepth = 16;

// The request body as a JSON object whose fields are all among `allowed`. An empty body is an
// empty object when `emptyOk`.
Result<Json> jsonBody(const httplib::Request& req, std::initializer_list<const char*> allowed, bool emptyOk = false);

Result<std::string> requiredString(const Json& body, const char* field, std::size_t maxLength = 200);
Result<std::optional<std::string>> optionalString(const Json& body, const char* field, std::size_t maxLength = 2000);
Result<std::optional<std::int64_t>> optionalInteger(const Json& body, const char* field, std::int64_t lo, std::int64_t hi);
Result<std::optional<std::vector<std::string>>> optionalStringList(const Json& body, const char* field);

} // namespace loket::server
