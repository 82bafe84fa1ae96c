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
} // namespace

Api::Api(Hall& hall, Auth& auth, Metrics& metrics, std::filesystem::path webDir)
    : m_hall(hall), m_auth(auth), m_metrics(metrics), m_webDir(std::move(webDir)) {}

std::optional<Principal> Api::allow(const httplib::Request& req, httplib::Response& res, const std::vector<Role>& roles) {
    auto who = m_auth.authenticate(req, m_hall.clock().now().t);
    if (!who) {
        sendError(res, who.error());
        return std::nullopt;
    }
    for (Role r : roles)
        if (who->role == r) return who.value();
    sendError(res, ErrorCode::Forbidden, std::string("The role '") + roleName(who->role) + "' may not do this.");
    return std::nullopt;
}

void Api::runCommand(httplib::Response& res, const core::Command& command, int okStatus,
                     const std::function<Json(const HallView&, const Executed&)>& render) {
    auto done = m_hall.execute(command);
    if (!done) return sendError(res, done.error());
    m_hall.read([&](const HallView& view) { sendJson(res, okStatus, render(view, done.value())); });
}

void Api::install(httplib::Server& server) {
    server.set_payload_max_length(4 * 1024 * 1024); // imports; JSON bodies are held to 64 KiB below
    server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
        t_requestStart = std::chrono::steady_clock::now();
        const std::string length = req.get_header_value("Content-Length");
        std::size_t bytes = 0;
        try { bytes = length.empty() ? 0 : std::stoull(length); } catch (...) { bytes = kMaxJsonBody + 1; }
        if (bytes > kMaxJsonBody && req.path != kImportPath) {
            sendError(res, ErrorCode::PayloadTooLarge, "The body is larger than 64 KiB.");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    // Every error has the API's JSON shape, also those cpp-httplib answers itself (404, 413, …).
    server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        ErrorCode code = res.status == 404 ? ErrorCode::NotFound
                       : res.status == 413 ? ErrorCode::PayloadTooLarge
                       : res.status == 405 ? ErrorCode::NotFound
                       : res.status < 500 ? ErrorCode::InvalidValue : ErrorCode::Internal;
        const int status = res.status;
        sendError(res, code, status == 404   ? "There is nothing at this address."
                             : status == 400 ? "The request could not be read (a POST needs a body or Content-Length: 0)."
                                             : "The request could not be handled.");
        res.status = status;
        return httplib::Server::HandlerResponse::Handled;
    }));
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try { std::rethrow_exception(ep); } catch (const std::exception& e) { what = e.what(); } catch (...) {}
        logLine("error", {{"exception", what}});
        sendError(res, ErrorCode::Internal, "Something went wrong on the server.");
    });
    server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_requestStart).count();
        m_metrics.request(res.status, seconds);
        if (req.path == "/healthz" || req.path == "/metrics") return;
        logLine("request", {{"method", req.method}, {"path", redactedPath(req.path)}, {"status", res.status},
                            {"ms", std::round(seconds * 10000) / 10}});
    });
    installPublic(server);
    installDevices(server);
    installEvents(server);
    installCounter(server);
    installAdmin(server);
    installStatic(server);
}

} // namespace loket::server
