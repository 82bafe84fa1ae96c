// The staff pages and the visitor page: files from the web folder (server/web), served by the
// hall server itself so that locked-down PCs and phones need nothing else. Scripts, styles and
// images go through cpp-httplib's mount point (/static/…); the four page addresses each name
// one HTML file of the same folder.
#include "api.hpp"
#include "log.hpp"

#include <fstream>
#include <sstream>

namespace loket::server {

namespace {

// Pages and their files are checked for changes on each load. The security headers (CSP:
// nothing from elsewhere, no inline code) are set for every answer in security_headers.cpp.
const httplib::Headers kPageHeaders = {
    {"Cache-Control", "no-cache"},
};

} // namespace

void servePage(const ServerParts& parts, const char* file, httplib::Response& res) {
    std::ifstream in(parts.webDir / file, std::ios::binary);
    if (!in) return sendError(res, ErrorCode::NotFound, std::string("The page ") + file + " is not installed.");
    std::stringstream html;
    html << in.rdbuf();
    for (const auto& [name, value] : kPageHeaders) res.set_header(name.c_str(), value);
    res.set_content(html.str(), "text/html; charset=utf-8");
}

namespace {

void getStartPage(const ServerParts& parts, const httplib::Request&, httplib::Response& res) { servePage(parts, "index.html", res); }
void getCounterPage(const ServerParts& parts, const httplib::Request&, httplib::Response& res) { servePage(parts, "counter.html", res); }
void getDashboardPage(const ServerParts& parts, const httplib::Request&, httplib::Response& res) { servePage(parts, "dashboard.html", res); }
void getVisitorPage(const ServerParts& parts, const httplib::Request&, httplib::Response& res) { servePage(parts, "visitor.html", res); }

} // namespace

void installStaticRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Get("/", route(parts, getStartPage));
    server.Get("/counter", route(parts, getCounterPage));
    server.Get("/dashboard", route(parts, getDashboardPage));
    server.Get(R"(/v/([A-Za-z0-9_-]{1,64}))", route(parts, getVisitorPage));
    // The library checks the path (no "..", no escaping the folder) and sets the content type;
    // a missing file falls through to the JSON 404.
    server.set_file_extension_and_mimetype_mapping("js", "text/javascript; charset=utf-8");
    server.set_file_extension_and_mimetype_mapping("css", "text/css; charset=utf-8");
    server.set_file_extension_and_mimetype_mapping("html", "text/html; charset=utf-8");
    server.set_file_extension_and_mimetype_mapping("json", "application/json; charset=utf-8");
    if (!server.set_mount_point("/static/", parts.webDir.string(), kPageHeaders))
        logLine("error", {{"web_dir", parts.webDir.string()}, {"message", "the web folder is missing: no staff pages"}});
}

} // namespace loket::server
