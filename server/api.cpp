#include "api.hpp"

#include "log.hpp"

#include <chrono>
#include <regex>

namespace loket::server {

namespace {
thread_local std::chrono::steady_clock::time_point t_requestStart;
constexpr std::size_t kMaxJsonBody = 64 * 1024;
const char* kImportPath = "/api/v1/appointments/import";

// Request paths carry visitor codes (/v/<code>, /api/v1/visits/<code>): never in a log.
std::string redactedPath(const std::string& path) {
    static const std::regex visitor("^(/v/|/api/v1/visits/)[^/]+");
    return std::regex_replace(path, visitor, "$1:code");
}

// Before routing: the clock for the request's latency, and JSON bodies held to 64 KiB.
httplib::Server::HandlerResponse beforeRouting(const httplib::Request& req, httplib::Response& res) {
    t_requestStart = std::chrono::steady_clock::now();
    const std::string length = req.get_header_value("Content-Length");
    std::size_t bytes = 0;
    try {
        bytes = length.empty() ? 0 : std::stoull(length);
    } catch (...) {
        bytes = kMaxJsonBody + 1;
    }
    if (bytes > kMaxJsonBody && req.path != kImportPath) {
        sendError(res, ErrorCode::PayloadTooLarge, "The body is larger than 64 KiB.");
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
    sendError(res, code, status == 404   ? "There is nothing at this address."
                         : status == 400 ? "The request could not be read (a POST needs a body or Content-Length: 0)."
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

httplib::Server::Handler route(const ServerParts& parts, RouteHandler handler) {
    return [&parts, handler](const httplib::Request& req, httplib::Response& res) { handler(parts, req, res); };
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

void runCommand(const ServerParts& parts, httplib::Response& res, const core::Command& command, int okStatus,
                const std::function<Json(const HallView&, const Executed&)>& render) {
    auto done = parts.commands.execute(command);
    if (!done) return sendError(res, done.error());
    readHall(parts, [&](const HallView& view) { sendJson(res, okStatus, render(view, done.value())); });
}

void auditIfDone(const ServerParts& parts, const Principal& who, const httplib::Response& res, std::string action,
                 std::string target, std::string detail) {
    if (res.status < 200 || res.status >= 300) return;
    parts.audit.record(who, parts.clock.now(), std::move(action), std::move(target), std::move(detail));
}

void installApi(httplib::Server& server, const ServerParts& parts) {
    server.set_payload_max_length(4 * 1024 * 1024); // imports; JSON bodies are held to 64 KiB before routing
    server.set_pre_routing_handler(beforeRouting);
    server.set_error_handler(httplib::Server::HandlerWithResponse(answerLibraryError));
    server.set_exception_handler(answerException);
    server.set_logger([&parts](const httplib::Request& req, const httplib::Response& res) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_requestStart).count();
        parts.metrics.request(res.status, seconds);
        if (req.path == "/healthz" || req.path == "/metrics") return;
        logLine("request", {{"method", req.method}, {"path", redactedPath(req.path)}, {"status", res.status},
                            {"ms", std::round(seconds * 10000) / 10}});
    });
    installPublicRoutes(server, parts);
    installDeviceRoutes(server, parts);
    installEnrolmentRoutes(server, parts);
    installEventRoutes(server, parts);
    installCounterRoutes(server, parts);
    installAdminRoutes(server, parts);
    installStaticRoutes(server, parts);
}

} // namespace loket::server
