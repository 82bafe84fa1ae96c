#include "security_headers.hpp"

#include "http_util.hpp"

#include <algorithm>
#include <cctype>

namespace loket::server {

const char* const kContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                           "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
                                           "base-uri 'none'; form-action 'self'";

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// "host:port" with the scheme's default port left out, lower case, so that an Origin and a
// Host header naming the same server compare equal.
std::string authority(std::string hostPort, bool https) {
    hostPort = lower(hostPort);
    const std::string defaultPort = https ? ":443" : ":80";
    if (hostPort.size() > defaultPort.size() && hostPort.ends_with(defaultPort))
        hostPort.resize(hostPort.size() - defaultPort.size());
    return hostPort;
}

bool changesState(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Every answer passes applySecurityHeaders: names and values are built once, not per answer.
const std::string kCspName = "Content-Security-Policy", kCsp = kContentSecurityPolicy;
const std::string kNosniffName = "X-Content-Type-Options", kNosniff = "nosniff";
const std::string kReferrerName = "Referrer-Policy", kReferrer = "no-referrer";
const std::string kFrameName = "X-Frame-Options", kFrame = "DENY";
const std::string kOpenerName = "Cross-Origin-Opener-Policy", kOpener = "same-origin";
const std::string kHstsName = "Strict-Transport-Security";
} // namespace

void applySecurityHeaders(httplib::Response& res, const SecurityHeaders& headers) {
    replaceHeader(res.headers, kCspName, kCsp);
    replaceHeader(res.headers, kNosniffName, kNosniff);
    replaceHeader(res.headers, kReferrerName, kReferrer);
    replaceHeader(res.headers, kFrameName, kFrame);
    replaceHeader(res.headers, kOpenerName, kOpener);
    if (headers.hsts) replaceHeader(res.headers, kHstsName, "max-age=" + std::to_string(headers.hstsMaxAge.count()));
}

void installSecurityHeaders(httplib::Server& server, const SecurityHeaders& headers) {
    server.set_post_routing_handler([headers](const httplib::Request&, httplib::Response& res) { applySecurityHeaders(res, headers); });
}

std::optional<std::string> foreignOriginReason(const httplib::Request& req) {
    if (!changesState(req.method)) return std::nullopt;
    if (const std::string* site = findHeader(req.headers, "Sec-Fetch-Site"); site && lower(*site) == "cross-site")
        return "Requests from another site are refused (Sec-Fetch-Site: cross-site).";
    const std::string* originHeader = findHeader(req.headers, "Origin");
    if (!originHeader) return std::nullopt;
    const std::string& origin = *originHeader;
    const std::string lowered = lower(origin);
    const bool https = lowered.starts_with("https://");
    if (!https && !lowered.starts_with("http://")) return "Requests from another site are refused (Origin: " + origin.substr(0, 100) + ").";
    const std::string from = authority(lowered.substr(https ? 8 : 7), https);
    const std::string host(headerValue(req, "Host"));
    if (host.empty() || from != authority(host, https))
        return "Requests from another site are refused (Origin: " + origin.substr(0, 100) + ").";
    return std::nullopt;
}

bool refuseForeignOrigin(const httplib::Request& req, httplib::Response& res) {
    auto reason = foreignOriginReason(req);
    if (!reason) return false;
    sendError(res, ErrorCode::Forbidden, *reason);
    return true;
}

} // namespace loket::server
