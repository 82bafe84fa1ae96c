#include "api.hpp"

#include "http_listener.hpp"
#include "log.hpp"
#include "security_headers.hpp"

#include "shared/proto/rfc3339.hpp"

#include <charconv>
#include <chrono>
#include <regex>

namespace loket::server {

namespace {
thread_local std::chrono::steady_clock::time_point t_requestStart;
constexpr std::size_t kMaxJsonBody = 64 * 1024;
constexpr std::size_t kMaxImportBody = 4 * 1024 * 1024;
const char* kImportPath = "/api/v1/appointments/import";

// Request paths carry visitor codes (/v/<code>, /api/v1/visits/<code>): never in a log.
std::string redactedPath(const std::string& path) {
    static const std::regex visitor("^(/v/|/api/v1/visits/)[^/]+");
    return std::regex_replace(path, visitor, "$1:code");
}

bool hasDotSegment(const std::string& path) {
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view segment(path.data() + start, end - start);
        if (segment == "." || segment == "..") return true;
        start = end + 1;
    }
    return false;
}

// Before routing (and before cpp-httplib reads a body): the clock for the request's latency, state
// changes from other sites refused, and
// every body held to a known length — JSON to 64 KiB, imports to the payload limit. A chunked
// body has no length to check in advance (the library would read it whole), so it is refused; a
// POST without a length would wait for a body that never comes.
httplib::Server::HandlerResponse beforeRouting(const httplib::Request& req, httplib::Response& res) {
    t_requestStart = std::chrono::steady_clock::now();
    if (refuseForeignOrigin(req, res)) return httplib::Server::HandlerResponse::Handled;
    auto refuse = [&res](int status, ErrorCode code, const std::string& message) {
        sendError(res, code, message);
        res.status = status;
        res.set_header("Connection", "close");
        closeConnectionAfterThisRequest();
        return httplib::Server::HandlerResponse::Handled;
    };
    if (findHeader(req.headers, "Transfer-Encoding"))
        return refuse(411, ErrorCode::InvalidValue, "Send the body with a Content-Length (chunked bodies are not accepted).");
    const bool sendsBody = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
    const std::string* contentLength = findHeader(req.headers, "Content-Length");
    if (sendsBody && !contentLength)
        return refuse(411, ErrorCode::InvalidValue, "A " + req.method + " needs a Content-Length (0 for no body).");
    if (hasDotSegment(req.path)) return refuse(404, ErrorCode::NotFound, "There is nothing at this address.");
    const std::string_view length = contentLength ? std::string_view(*contentLength) : std::string_view();
    std::size_t bytes = 0;
    if (length.empty() || length.size() > 12 || length.find_first_not_of("0123456789") != std::string_view::npos)
        bytes = length.empty() ? 0 : kMaxImportBody + 1;
    else
        std::from_chars(length.data(), length.data() + length.size(), bytes); // at most 12 digits: no overflow
    if (bytes > kMaxImportBody || (bytes > kMaxJsonBody && req.path != kImportPath)) {
        sendError(res, ErrorCode::PayloadTooLarge,
                  req.path == kImportPath ? "The import is larger than 4 MiB." : "The body is larger than 64 KiB.");
        res.set_header("Connection", "close");
        closeConnectionAfterThisRequest();
        return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
}

// Every error has the API's JSON shape, also those cpp-httplib answers itself (404, 413, …).
httplib::Server::HandlerResponse answerLibraryError(const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    ErrorCode code = res.status == 404   ? ErrorCode::NotFound
                     : res.status == 413 ? ErrorCode::PayloadTooLarge
                     : res.status == 405 ? ErrorCode::NotFound
                     : res.status < 500  ? ErrorCode::InvalidValue
                                         : ErrorCode::Internal;
    const int status = res.status;
    // What follows a request that could not be read is not a request either.
    if (status == 400 || status == 414) closeConnectionAfterThisRequest();
    sendError(res, code, status == 404   ? "There is nothing at this address."
                         : status == 400 ? "The request could not be read as HTTP."
                         : status == 414 ? "The address is too long."
                                         : "The request could not be handled.");
    res.status = status;
    return httplib::Server::HandlerResponse::Handled;
}

void answerException(const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
        std::rethrow_exception(ep);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
    }
    logLine("error", {{"exception", what}});
    sendError(res, ErrorCode::Internal, "Something went wrong on the server.");
}

} // namespace

// HSTS only when this server answers HTTPS itself ([tls] in the config) and it is not switched off.
SecurityHeaders securityHeadersFor(const ServerConfig& config) {
    SecurityHeaders headers;
    if (config.tls && config.tls->hstsMaxAgeS > 0) {
        headers.hsts = true;
        headers.hstsMaxAge = std::chrono::seconds(config.tls->hstsMaxAgeS);
    }
    return headers;
}

const ServerParts& partsForRequest(const ServerParts& parts, const httplib::Request& req) {
    if (!parts.locations) return parts;
    std::optional<std::string> location;
    if (auto who = parts.auth.authenticate(req, parts.clock.now().t)) {
        location = who->location;
    } else if (headerValue(req, "Authorization").starts_with("Lease ")) {
        // A revoked kiosk still uploads the tickets of its lease, to the location that leased them.
        for (const auto& [id, p] : parts.locations->all())
            if (knowsLease(*p, req)) return *p;
    } else if (req.path.rfind("/api/v1/visits/", 0) == 0 && req.matches.size() > 1) {
        // A visitor's code is the key to one ticket, in one location's queue.
        const std::string code = req.matches[1];
        for (const auto& [id, p] : parts.locations->all())
            if (p->state.read([&](const StateView& v) { return v.state.ticketByPublicCode(code) != nullptr; })) return *p;
    }
    if (location)
        if (const ServerParts* p = parts.locations->find(*location)) return *p;
    return parts;
}

httplib::Server::Handler route(const ServerParts& parts, RouteHandler handler) {
    return [&parts, handler](const httplib::Request& req, httplib::Response& res) { handler(partsForRequest(parts, req), req, res); };
}

std::optional<Principal> allow(const ServerParts& parts, const httplib::Request& req, httplib::Response& res,
                               std::initializer_list<Role> roles) {
    auto who = parts.auth.authenticate(req, parts.clock.now().t);
    if (!who) {
        sendError(res, who.error());
        return std::nullopt;
    }
    for (Role r : roles)
        if (who->role == r) return who.value();
    sendError(res, ErrorCode::Forbidden, std::string("The role '") + roleName(who->role) + "' may not do this.");
    return std::nullopt;
}

Result<CheckInRequest> readCheckIn(const httplib::Request& req, std::initializer_list<const char*> fields) {
    CheckInRequest in;
    in.key = headerValue(req, "Idempotency-Key");
    if (in.key.empty() || in.key.size() > 128)
        return makeError(ErrorCode::MissingIdempotencyKey, "Send an Idempotency-Key header (1 to 128 characters) with each check-in.");
    auto body = jsonBody(req, fields);
    if (!body) return body.error();
    auto service = optionalString(*body, "service", 64);
    auto code = optionalString(*body, "appointment_code", 64);
    auto language = optionalString(*body, "language", 3);
    for (auto* r : {&service, &code, &language})
        if (!*r) return r->error();
    if (service->has_value() == code->has_value())
        return makeError(ErrorCode::MissingField, "Send either 'service' (walk-in) or 'appointment_code'.");
    in.language = language->value_or("nl");
    if (in.language.size() < 2 || in.language.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos)
        return makeError(ErrorCode::InvalidValue, "Field 'language' must be a language code like \"nl\".");
    in.body = std::move(*body);
    in.service = *service;
    in.appointmentCode = *code;
    return in;
}

void runCommand(const ServerParts& parts, httplib::Response& res, const core::Command& command, int okStatus,
                const std::function<Json(const HallView&, const Executed&)>& render) {
    auto done = parts.commands.execute(command);
    if (!done) return sendError(res, done.error());
    readHall(parts, [&](const HallView& view) { sendJson(res, okStatus, render(view, done.value())); });
}

core::TicketId ticketIdOf(const httplib::Request& req) {
    try {
        return std::stoll(req.matches[1]);
    } catch (...) {
        return 0;
    }
}

std::string timeText(const ServerParts& parts, std::int64_t t) { return proto::rfc3339(t, parts.clock.utcOffsetAt(t)); }

void auditIfDone(const ServerParts& parts, const Principal& who, const httplib::Response& res, std::string action,
                 std::string target, std::string detail) {
    if (res.status < 200 || res.status >= 300) return;
    parts.audit.record(who, parts.clock.now(), std::move(action), std::move(target), std::move(detail));
}

void installApi(httplib::Server& server, const ServerParts& parts) {
    server.set_payload_max_length(kMaxImportBody); // imports; JSON bodies are held to 64 KiB before routing
    server.set_pre_routing_handler(beforeRouting);
    installSecurityHeaders(server, securityHeadersFor(parts.config));
    server.set_error_handler(httplib::Server::HandlerWithResponse(answerLibraryError));
    server.set_exception_handler(answerException);
    server.set_logger([&parts](const httplib::Request& req, const httplib::Response& res) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_requestStart).count();
        parts.metrics.request(res.status, seconds);
        if (!logEnabled() || req.path == "/healthz" || req.path == "/metrics") return;
        logLine("request", {{"method", req.method}, {"path", redactedPath(req.path)}, {"status", res.status},
                            {"ms", std::round(seconds * 10000) / 10}});
    });
    installPublicRoutes(server, parts);
    installDeviceRoutes(server, parts);
    installEnrolmentRoutes(server, parts);
    installOfflineRoutes(server, parts);
    installCounterRoutes(server, parts);
    installAdminRoutes(server, parts);
    installBeheerRoutes(server, parts);
    installCityRoutes(server, parts);
    installHostRoutes(server, parts);
    installStaffRoutes(server, parts);
    installStaticRoutes(server, parts);
}

} // namespace loket::server
