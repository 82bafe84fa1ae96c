#include "http_util.hpp"

#include "shared/proto/api_error.hpp"

namespace loket::server {

int httpStatusOf(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidJson:
    case ErrorCode::MissingField:
    case ErrorCode::UnknownField:
    case ErrorCode::InvalidValue:
    case ErrorCode::MissingIdempotencyKey: return 400;
    case ErrorCode::Unauthorized: return 401;
    case ErrorCode::Forbidden: return 403;
    case ErrorCode::NotFound:
    case ErrorCode::UnknownService:
    case ErrorCode::UnknownCounter:
    case ErrorCode::UnknownTicket:
    case ErrorCode::UnknownAppointment:
    case ErrorCode::UnknownVisit: return 404;
    case ErrorCode::PayloadTooLarge: return 413;
    case ErrorCode::TooManyRequests: return 429;
    case ErrorCode::AlreadyCheckedIn:
    case ErrorCode::IdempotencyConflict:
    case ErrorCode::CounterBusy:
    case ErrorCode::ConfirmationNeeded:
    case ErrorCode::AlreadyExists:
    case ErrorCode::CounterClosed:
    case ErrorCode::InvalidTransition:
    case ErrorCode::FeedbackNotAllowed: return 409;
    case ErrorCode::WalkInNotOffered:
    case ErrorCode::AppointmentNotToday:
    case ErrorCode::TooEarly: return 422;
    case ErrorCode::HallClosed:
    case ErrorCode::NumbersExhausted:
    case ErrorCode::StoreFailed:
    case ErrorCode::Unavailable:
    case ErrorCode::BookingUnavailable:
    case ErrorCode::DirectoryUnavailable:
    case ErrorCode::Timeout: return 503;
    case ErrorCode::TlsVerificationFailed: return 502;
    case ErrorCode::ConfigError:
    case ErrorCode::Io:
    case ErrorCode::Internal: return 500;
    }
    return 500;
}

namespace {
bool sameNameIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
        if (x == y) continue;
        // Only letters may differ, and only in case (setting bit 0x20 lowers an ASCII letter).
        const unsigned lowered = x | 0x20u;
        if (lowered != (y | 0x20u) || lowered < 'a' || lowered > 'z') return false;
    }
    return true;
}
} // namespace

const std::string* findHeader(const httplib::Headers& headers, std::string_view name) {
    for (const auto& [key, value] : headers)
        if (sameNameIgnoringCase(key, name)) return &value;
    return nullptr;
}

std::string_view headerValue(const httplib::Request& req, std::string_view name) {
    const std::string* value = findHeader(req.headers, name);
    return value ? std::string_view(*value) : std::string_view();
}

void replaceHeader(httplib::Headers& headers, const std::string& name, const std::string& value) {
    for (auto it = headers.begin(); it != headers.end();)
        it = sameNameIgnoringCase(it->first, name) ? headers.erase(it) : std::next(it);
    headers.emplace(name, value);
}

void sendJson(httplib::Response& res, int status, const Json& body) { sendJsonText(res, status, body.dump()); }

void sendJsonText(httplib::Response& res, int status, std::string body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(std::move(body), "application/json; charset=utf-8");
}

void sendError(httplib::Response& res, const Error& error) {
    sendJson(res, httpStatusOf(error.code), proto::errorJson(error));
}

void sendError(httplib::Response& res, ErrorCode code, const std::string& message) { sendError(res, makeError(code, message)); }

namespace {
// How deep arrays and objects nest, outside strings: checked before parsing, so a body of a
// million '[' costs a scan, not a tree of a million nodes (or the stack).
bool nestsDeeperThan(const std::string& text, int limit) {
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') ++i;
            else if (c == '"') inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}
// The media type of a Content-Type value: before any parameter (";charset=utf-8"), without
// spaces, lower case. "application/jsonx" is not "application/json".
std::string mediaType(const std::string& contentType) {
    std::string type = contentType.substr(0, contentType.find(';'));
    const auto first = type.find_first_not_of(" \t");
    const auto last = type.find_last_not_of(" \t");
    type = first == std::string::npos ? std::string() : type.substr(first, last - first + 1);
    for (char& c : type) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return type;
}

} // namespace

Result<Json> jsonBody(const httplib::Request& req, std::initializer_list<const char*> allowed, bool emptyOk) {
    if (req.body.empty()) {
        if (emptyOk) return Json::object();
        return makeError(ErrorCode::InvalidJson, "The request needs a JSON body.");
    }
    // A body without a type is read as JSON (older clients), and so is curl's default for `-d`
    // (application/x-www-form-urlencoded: IT's walk-through in the README types it so); one that
    // says it is something else is refused.
    const std::string type(headerValue(req, "Content-Type"));
    const std::string media = mediaType(type);
    if (!type.empty() && media != "application/json" && media != "application/x-www-form-urlencoded")
        return makeError(ErrorCode::InvalidJson, "The body must be JSON (Content-Type: application/json), not '" + type.substr(0, 60) + "'.");
    if (nestsDeeperThan(req.body, kMaxJsonDepth))
        return makeError(ErrorCode::InvalidJson, "The JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels.");
    Json body = Json::parse(req.body, nullptr, false);
    if (body.is_discarded()) return makeError(ErrorCode::InvalidJson, "The body is not valid JSON.");
    if (!body.is_object()) return makeError(ErrorCode::InvalidJson, "The body must be a JSON object.");
    for (auto& [key, value] : body.items()) {
        bool known = false;
        for (const char* a : allowed) known |= key == a;
        if (!known) return makeError(ErrorCode::UnknownField, "Unknown field '" + key + "'.");
    }
    return body;
}

Result<std::string> requiredString(const Json& body, const char* field, std::size_t maxLength) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return makeError(ErrorCode::MissingField, std::string("Field '") + field + "' is required.");
    if (!it->is_string()) return makeError(ErrorCode::InvalidValue, std::string("Field '") + field + "' must be a string.");
    std::string v = it->get<std::string>();
    if (v.empty() || v.size() > maxLength)
        return makeError(ErrorCode::InvalidValue, std::string("Field '") + field + "' must be 1 to " + std::to_string(maxLength) + " characters.");
    return v;
}

Result<std::optional<std::string>> optionalString(const Json& body, const char* field, std::size_t maxLength) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string()) return makeError(ErrorCode::InvalidValue, std::string("Field '") + field + "' must be a string.");
    std::string v = it->get<std::string>();
    if (v.size() > maxLength)
        return makeError(ErrorCode::InvalidValue, std::string("Field '") + field + "' is longer than " + std::to_string(maxLength) + " characters.");
    return std::optional<std::string>{v};
}

Result<std::optional<std::int64_t>> optionalInteger(const Json& body, const char* field, std::int64_t lo, std::int64_t hi) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::optional<std::int64_t>{};
    if (!it->is_number_integer())
        return makeError(ErrorCode::InvalidValue, std::string("Field '") + field + "' must be a whole number.");
    auto v = it->get<std::int64_t>();
    if (v < lo || v > hi)
        return makeError(ErrorCode::InvalidValue, std::string("Field '") + field + "' must be from " + std::to_string(lo) + " to " + std::to_string(hi) + ".");
    return std::optional<std::int64_t>{v};
}

Result<std::optional<std::vector<std::string>>> optionalStringList(const Json& body, const char* field) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::optional<std::vector<std::string>>{};
    if (!it->is_array()) return makeError(ErrorCode::InvalidValue, std::string("Field '") + field + "' must be a list of strings.");
    std::vector<std::string> out;
    for (const auto& v : *it) {
        if (!v.is_string()) return makeError(ErrorCode::InvalidValue, std::string("Field '") + field + "' must be a list of strings.");
        out.push_back(v.get<std::string>());
    }
    return std::optional<std::vector<std::string>>{out};
}

} // namespace loket::server
