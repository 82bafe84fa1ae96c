// Web security at the HTTP border: every answer carries the security headers (pages, static
// files, API answers, errors, the event stream), and a state change cannot be forged from
// another site. The pages authenticate with a bearer token in the Authorization header, never a
// cookie, so a cross-site form POST carries no credentials; on top of that the server refuses
// state changes whose Origin (or Sec-Fetch-Site) names another site.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace loket::test;

namespace {

const std::map<std::string, std::string> kExpected = {
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
};

// The CSP directives every answer must carry, each exactly once in the header.
const char* const kDirectives[] = {"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                                   "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'",
                                   "form-action 'self'"};

void checkSecurityHeaders(const httplib::Headers& headers, const std::string& what) {
    INFO(what);
    for (const auto& [name, value] : kExpected) {
        CHECK(headers.count(name) == 1);
        auto it = headers.find(name);
        REQUIRE(it != headers.end());
        CHECK(it->second == value);
    }
    REQUIRE(headers.count("Content-Security-Policy") == 1);
    const std::string csp = headers.find("Content-Security-Policy")->second;
    for (const char* d : kDirectives) CHECK(csp.find(d) != std::string::npos);
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(csp.find("unsafe-eval") == std::string::npos);
    CHECK(headers.count("Strict-Transport-Security") == 0); // plain HTTP: never HSTS
    CHECK(headers.count("Set-Cookie") == 0);                // the server sets no cookie at all
}

httplib::Result getWith(const ServerProcess& server, const std::string& path, httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", server.port());
    return client.Get(path.c_str(), headers);
}

} // namespace

TEST_CASE("websec: pages, static files, API answers and errors carry the security headers") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const std::string token = loginDemo(server);
    const httplib::Headers auth = {{"Authorization", "Bearer " + token}};

    struct Probe {
        std::string what, path;
        httplib::Headers headers;
        int status;
    };
    const std::vector<Probe> probes = {
        {"the start page", "/", {}, 200},
        {"the counter page", "/counter", {}, 200},
        {"the visitor page", "/v/abc123", {}, 200},
        {"a script", "/static/common.js", {}, 200},
        {"the style sheet", "/static/style.css", {}, 200},
        {"an API answer", "/api/v1/counters", auth, 200},
        {"the health probe", "/healthz", {}, 200},
        {"a 401", "/api/v1/counters", {}, 401},
        {"a route's 404", "/api/v1/nothing-here", {}, 404},
        {"a missing static file", "/static/nothing.js", {}, 404},
    };
    for (const auto& p : probes) {
        auto r = getWith(server, p.path, p.headers);
        REQUIRE(r);
        INFO(p.what << " " << p.path);
        CHECK(r->status == p.status);
        checkSecurityHeaders(r->headers, p.what);
    }

    // An error the server answers before routing (the body is too large) and one from a POST.
    httplib::Client client("127.0.0.1", server.port());
    auto big = client.Post("/api/v1/login", std::string(70 * 1024, ' '), "application/json");
    REQUIRE(big);
    CHECK(big->status == 413);
    checkSecurityHeaders(big->headers, "a 413 before routing");
    auto login = client.Post("/api/v1/login", R"({"username":"demo","password":"demo-demo-demo"})", "application/json");
    REQUIRE(login);
    CHECK(login->status == 200);
    checkSecurityHeaders(login->headers, "the login answer (no session cookie)");
}

TEST_CASE("websec: the event stream carries the security headers") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    httplib::Client client("127.0.0.1", server.port());
    httplib::Headers seen;
    int status = 0;
    // Only the headers are wanted: the response handler stops the stream once they are in.
    auto r = client.Get("/api/v1/events", {{"Authorization", "Bearer demo-display-token"}},
                        [&](const httplib::Response& res) {
                            status = res.status;
                            seen = res.headers;
                            return false;
                        },
                        [](const char*, std::size_t) { return true; });
    CHECK(r.error() == httplib::Error::Canceled);
    CHECK(status == 200);
    REQUIRE(seen.count("Content-Type") == 1);
    CHECK(seen.find("Content-Type")->second.rfind("text/event-stream", 0) == 0);
    checkSecurityHeaders(seen, "the event stream");
}

TEST_CASE("websec: a cross-site form POST with a cookie is not authenticated (no ambient credentials)") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const std::string token = loginDemo(server);
    httplib::Client client("127.0.0.1", server.port());
    // What a browser sends for a form on another site that posts to the hall: a form body, any
    // cookie the browser holds for the hall (the server never sets one, but even a valid token
    // in a cookie is ignored), and no Authorization header — a page elsewhere cannot add one.
    // Without Origin (older browsers omit it) only the missing bearer token stops it.
    httplib::Headers headers = {{"Cookie", "loket.token=" + token + "; token=" + token}};
    auto r = client.Post("/api/v1/counters/b4/open", headers, "action=open", "application/x-www-form-urlencoded");
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(Json::parse(r->body)["error"]["code"] == "unauthorized");
    checkSecurityHeaders(r->headers, "the refused forged POST");
    // The counter is still closed: the forged request changed nothing.
    ApiClient staff(server, token);
    auto counters = staff.get("/api/v1/counters");
    REQUIRE(counters.status == 200);
    bool found = false;
    for (const auto& c : counters.json)
        if (c["id"] == "b4") {
            found = true;
            CHECK(c["state"] == "closed");
        }
    CHECK(found);
}

TEST_CASE("websec: a state change whose Origin names another site gets 403, even with a valid token") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const std::string token = loginDemo(server);
    ApiClient staff(server, token);
    const std::string self = "http://127.0.0.1:" + std::to_string(server.port());

    for (const std::string& origin : {std::string("https://evil.example"), std::string("null"), self + "0",
                                     std::string("http://127.0.0.1"), std::string("http://localhost:") + std::to_string(server.port())}) {
        INFO("Origin: " << origin);
        auto r = staff.post("/api/v1/counters/b4/open", Json::object(), {{"Origin", origin}});
        CHECK(r.status == 403);
        CHECK(r.json["error"]["code"] == "forbidden");
        CHECK(r.json["error"]["message"].get<std::string>().find("another site") != std::string::npos);
    }
    auto crossSite = staff.post("/api/v1/counters/b4/open", Json::object(), {{"Sec-Fetch-Site", "cross-site"}});
    CHECK(crossSite.status == 403);
    auto login = ApiClient(server).post("/api/v1/login", {{"username", "demo"}, {"password", "demo-demo-demo"}},
                                        {{"Origin", "https://evil.example"}});
    CHECK(login.status == 403);
    auto counters = staff.get("/api/v1/counters");
    for (const auto& c : counters.json)
        if (c["id"] == "b4") CHECK(c["state"] == "closed");

    // Reads from another origin are not refused (the browser keeps their answers from that
    // site: no CORS headers), and the hall's own pages may change state.
    CHECK(staff.post("/api/v1/counters/b4/open", Json::object(), {{"Origin", self}, {"Sec-Fetch-Site", "same-origin"}}).status == 200);
    auto read = getWith(server, "/api/v1/counters", {{"Authorization", "Bearer " + token}, {"Origin", "https://evil.example"}});
    REQUIRE(read);
    CHECK(read->status == 200);
    CHECK(read->headers.count("Access-Control-Allow-Origin") == 0);
}
