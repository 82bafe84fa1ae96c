// The browser-facing security of every answer, in one place so that no route can forget it:
// a strict Content-Security-Policy (the pages load only the hall server's own files; no inline
// script, style or handler), nosniff, no referrer, no framing, and — only when the server itself
// speaks HTTPS — HSTS. Installed by installApi as cpp-httplib's post-routing handler, which runs
// for every answer: routes, static files, the library's own errors, the event stream.
//
// Also the refusal of state-changing requests from another site. The pages authenticate with a
// bearer token held in sessionStorage and sent in the Authorization header (never a cookie), so
// a forged cross-site request carries no credentials and gets 401: CSRF is impossible by
// construction. The Origin / Sec-Fetch-Site check is defence in depth on top of that.
// Depends on cpp-httplib and http_util only.
#pragma once

#include <httplib.h>

#include <chrono>
#include <optional>
#include <string>

namespace loket::server {

struct SecurityHeaders {
    bool hsts = false; // set only when this server answers over HTTPS (never behind plain HTTP)
    std::chrono::seconds hstsMaxAge{std::chrono::hours(24 * 365)};
};

// The policy every answer carries (pages and API alike).
extern const char* const kContentSecurityPolicy;

// Sets (replacing any earlier value) the security headers on one answer.
void applySecurityHeaders(httplib::Response& res, const SecurityHeaders& headers);

// Makes every answer of `server` carry the security headers.
void installSecurityHeaders(httplib::Server& server, const SecurityHeaders& headers);

// For POST, PUT, PATCH and DELETE: the reason to refuse the request because a browser sent it
// from another site (an Origin that is not this server's Host, Origin "null", or
// Sec-Fetch-Site: cross-site); nullopt when it may go on. Requests without those headers
// (curl, kiosks, displays) go on: they are not sent by a browser on someone else's behalf.
std::optional<std::string> foreignOriginReason(const httplib::Request& req);

// Answers 403 with the API's JSON error and returns true when foreignOriginReason refuses.
bool refuseForeignOrigin(const httplib::Request& req, httplib::Response& res);

} // namespace loket::server
