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

namespace loket::server {

using Json = nlohmann::json;

int httpStatusOf(ErrorCode code);
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
