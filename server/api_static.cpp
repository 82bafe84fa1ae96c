// The staff pages and the visitor page: static files from the web folder (server/web), served
// by the hall server itself so that locked-down PCs and phones need nothing else.
#include "api.hpp"

#include <fstream>
#include <sstream>

namespace loket::server {

namespace {

std::string contentType(const std::filesystem::path& file) {
    const std::string ext = file.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".js") return "text/javascript; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".json") return "application/json; charset=utf-8";
    if (ext == ".ico") return "image/x-icon";
    return "application/octet-stream";
}

bool serveFile(const std::filesystem::path& file, httplib::Response& res) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    std::stringstream buffer;
    buffer << in.rdbuf();
    res.set_header("Cache-Control", "no-cache");
    // Nothing from elsewhere: pages load only what the hall server serves.
    res.set_header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_content(buffer.str(), contentType(file));
    return true;
}

} // namespace

void Api::installStatic(httplib::Server& server) {
    auto page = [this](const char* name) {
        return [this, name](const httplib::Request&, httplib::Response& res) {
            if (!serveFile(m_webDir / name, res)) sendError(res, ErrorCode::NotFound, std::string("The page ") + name + " is not installed.");
        };
    };
    server.Get("/", page("index.html"));
    server.Get("/counter", page("counter.html"));
    server.Get("/dashboard", page("dashboard.html"));
    server.Get(R"(/v/([A-Za-z0-9_-]{1,64}))", page("visitor.html"));
    server.Get(R"(/static/([A-Za-z0-9_.-]{1,80}))", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string name = req.matches[1];
        if (name.find("..") != std::string::npos || !serveFile(m_webDir / name, res))
            sendError(res, ErrorCode::NotFound, "There is no file '" + name + "'.");
    });
}

} // namespace loket::server
