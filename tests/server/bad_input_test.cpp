// Bad input always gets a clear JSON error, never a crash, and nothing stored is lost or changed.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace loket::test;

TEST_CASE("server: bad input gets a 4xx with a JSON error code, and the hall is unchanged") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient kiosk(server, "demo-kiosk-token");
    ApiClient staff(server, loginDemo(server));
    ApiClient anonymous(server);
    ApiClient display(server, "demo-display-token");
    REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "ok-1"}}).status == 201);
    REQUIRE(staff.post("/api/v1/counters/b4/open").status == 200);
    const auto before = staff.get("/api/v1/tickets").body;

    struct Case { ApiResponse r; int status; std::string code; };
    std::vector<Case> cases = {
        {kiosk.postRaw("/api/v1/tickets", "{\"service\": ", "application/json", {{"Idempotency-Key", "b1"}}), 400, "invalid_json"},
        {kiosk.postRaw("/api/v1/tickets", "[1,2]", "application/json", {{"Idempotency-Key", "b2"}}), 400, "invalid_json"},
        {kiosk.post("/api/v1/tickets", {{"service", 7}}, {{"Idempotency-Key", "b3"}}), 400, "invalid_value"},
        {kiosk.post("/api/v1/tickets", {{"service", "ophalen"}, {"colour", "red"}}, {{"Idempotency-Key", "b4"}}), 400, "unknown_field"},
        {kiosk.post("/api/v1/tickets", Json::object(), {{"Idempotency-Key", "b5"}}), 400, "missing_field"},
        {kiosk.post("/api/v1/tickets", {{"service", "ophalen"}, {"language", "Nederlands"}}, {{"Idempotency-Key", "b6"}}), 400, "invalid_value"},
        {kiosk.postRaw("/api/v1/tickets", std::string(70 * 1024, ' '), "application/json", {{"Idempotency-Key", "b7"}}), 413, "payload_too_large"},
        {anonymous.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "b8"}}), 401, "unauthorized"},
        {ApiClient(server, "wrong-token").get("/api/v1/hall"), 401, "unauthorized"},
        {display.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "b9"}}), 403, "forbidden"},
        {kiosk.post("/api/v1/counters/b1/next"), 403, "forbidden"},
        {staff.get("/api/v1/stats"), 403, "forbidden"},
        {staff.post("/api/v1/counters/b9/open"), 404, "unknown_counter"},
        {staff.post("/api/v1/tickets/999/start"), 404, "unknown_ticket"},
        {staff.post("/api/v1/tickets/1/complete", {{"outcome", "handled"}}), 409, "invalid_transition"},
        {staff.post("/api/v1/tickets/1/complete", {{"outcome", "happy"}}), 400, "invalid_value"},
        {staff.post("/api/v1/counters/b1/next"), 409, "counter_closed"},
        {staff.post("/api/v1/counters/b4/call", {{"ticket_id", "one"}}), 400, "invalid_value"},
        {staff.post("/api/v1/tickets/1/transfer", {{"service", "ophalen"}, {"counter", "b1"}}), 400, "missing_field"},
        {anonymous.get("/api/v1/nothing-here"), 404, "not_found"},
        {anonymous.post("/api/v1/login", {{"username", "demo"}, {"password", "wrong"}}), 401, "unauthorized"},
        {ApiClient(server, "demo-admin-token").get("/api/v1/stats?date=2026-02-30"), 400, "invalid_value"},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        INFO("case " << i << ": " << cases[i].r.body);
        CHECK(cases[i].r.status == cases[i].status);
        CHECK(errorCodeOf(cases[i].r) == cases[i].code);
        CHECK(cases[i].r.json["error"]["message"].get<std::string>().size() > 5);
    }
    CHECK(staff.get("/api/v1/tickets").body == before);
    ApiClient health(server);
    CHECK(health.get("/healthz").json["status"] == "ok");
}

TEST_CASE("server: repeated failed log-ins are throttled") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient anonymous(server);
    for (int i = 0; i < 5; ++i) CHECK(anonymous.post("/api/v1/login", {{"username", "demo"}, {"password", "guess" + std::to_string(i)}}).status == 401);
    auto r = anonymous.post("/api/v1/login", {{"username", "demo"}, {"password", "demo-demo-demo"}});
    CHECK(r.status == 429);
    CHECK(errorCodeOf(r) == "too_many_requests");
}

TEST_CASE("server: staff may work only at their own counters") {
    // A hall where "anna" works at counter b2 only.
    TempDir dir;
    std::ifstream in(ServerProcess::defaultConfig());
    std::stringstream text;
    text << in.rdbuf();
    std::string config = text.str();
    const std::string demoStaff = "[[staff]]\nusername = \"demo\"\nrole = \"counter\"\ncounters = [\"*\"]";
    auto pos = config.find(demoStaff);
    REQUIRE(pos != std::string::npos);
    config.replace(pos, demoStaff.size(), "[[staff]]\nusername = \"demo\"\nrole = \"counter\"\ncounters = [\"b2\"]");
    auto file = dir.path() / "hall.toml";
    std::ofstream(file) << config;
    ServerProcess server(dir.path() / "hall.db", file);
    ApiClient staff(server, loginDemo(server));
    CHECK(staff.post("/api/v1/counters/b2/open").status == 200);
    auto r = staff.post("/api/v1/counters/b1/open");
    CHECK(r.status == 403);
    CHECK(errorCodeOf(r) == "forbidden");
}

namespace {
// Sends `request` on a connection of its own and reads the answer (the server closes or answers).
std::string rawExchange(const ServerProcess& server, const std::string& request) {
    RawConnection c(server);
    c.send(request);
    return c.readUntil("}}", 10000);
}
} // namespace

TEST_CASE("input: hostile requests each get a 4xx with a JSON error code, at once, and the server stays up") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient kiosk(server, "demo-kiosk-token");
    const httplib::Headers key = {{"Idempotency-Key", "i1"}};
    const std::string post = "POST /api/v1/login HTTP/1.1\r\nHost: loket\r\n";

    std::string manyHeaders = "GET /healthz HTTP/1.1\r\nHost: loket\r\n";
    for (int i = 0; i < 200; ++i) manyHeaders += "X-Filler-" + std::to_string(i) + ": " + std::string(100, 'x') + "\r\n";
    std::string bigChunk = post + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    bigChunk += "100000\r\n" + std::string(0x10000, '[');

    std::string hugeArray = "{\"service\":[1";
    for (int i = 0; i < 30000; ++i) hugeArray += ",1";
    hugeArray += "]}";
    struct Case { std::string name; int status; std::string code; std::string answer; };
    auto raw = [&](std::string name, int status, std::string code, const std::string& request) {
        return Case{std::move(name), status, std::move(code), rawExchange(server, request)};
    };
    auto api = [](std::string name, int status, std::string code, const ApiResponse& r) {
        return Case{std::move(name), status, std::move(code), "HTTP/1.1 " + std::to_string(r.status) + " x\r\n\r\n" + r.body};
    };
    std::vector<Case> cases = {
        api("deeply nested JSON", 400, "invalid_json", kiosk.postRaw("/api/v1/tickets", std::string(30000, '[') + std::string(30000, ']'), "application/json", key)),
        api("nesting hidden in a field", 400, "invalid_json", kiosk.postRaw("/api/v1/tickets", "{\"service\":" + std::string(40, '[') + std::string(40, ']') + "}", "application/json", key)),
        api("a huge array", 400, "invalid_value", kiosk.postRaw("/api/v1/tickets", hugeArray, "application/json", key)),
        api("invalid UTF-8", 400, "invalid_json", kiosk.postRaw("/api/v1/tickets", "{\"service\":\"M\xfcller\"}", "application/json", key)),
        api("a NUL byte", 400, "invalid_json", kiosk.postRaw("/api/v1/tickets", std::string("{\"service\":\"oph\0alen\"}", 22), "application/json", key)),
        api("a wrong content type", 400, "invalid_json", kiosk.postRaw("/api/v1/tickets", "{\"service\":\"ophalen\"}", "text/plain", key)),
        api("an XML content type", 400, "invalid_json", kiosk.postRaw("/api/v1/tickets", "<ticket service=\"ophalen\"/>", "application/xml", key)),
        // cpp-httplib reads a multipart body itself and refuses this malformed one before any route.
        api("a multipart form", 400, "invalid_value", kiosk.postRaw("/api/v1/tickets", "--x\r\n\r\nophalen\r\n--x--", "multipart/form-data; boundary=x", key)),
        api("a type that only starts like JSON", 400, "invalid_json", kiosk.postRaw("/api/v1/tickets", "{\"service\":\"ophalen\"}", "application/jsonx", key)),
        // curl's default type for -d is read as JSON (the README's walk-through), so it must be JSON.
        api("a real form body", 400, "invalid_json", kiosk.postRaw("/api/v1/tickets", "service=ophalen", "application/x-www-form-urlencoded", key)),
        api("a body over 64 KiB", 413, "payload_too_large", kiosk.postRaw("/api/v1/tickets", std::string(70 * 1024, ' '), "application/json", key)),
        raw("a chunked body", 411, "invalid_value", bigChunk),
        raw("a POST without a length", 411, "invalid_value", post + "\r\n"),
        raw("200 headers", 431, "payload_too_large", manyHeaders),
        raw("one header of 20 KB", 431, "payload_too_large", "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(20000, 'x') + "\r\n\r\n"),
        raw("a request line of 9 KB", 414, "invalid_value", "GET /healthz?" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: loket\r\n\r\n"),
        raw("a dot segment in /static", 404, "not_found", "GET /static/. HTTP/1.1\r\nHost: loket\r\n\r\n"),
        raw("a dot-dot segment in /static", 404, "not_found", "GET /static/../index.html HTTP/1.1\r\nHost: loket\r\n\r\n"),
        raw("a length that is not a number", 413, "payload_too_large", post + "Content-Length: 99999999999999999999\r\n\r\n"),
        raw("not HTTP at all", 400, "invalid_value", "\x16\x03\x01 hello\r\n\r\n"),
    };
    for (const auto& c : cases) {
        INFO(c.name << ": " << c.answer.substr(0, 300));
        CHECK(statusOf(c.answer) == c.status);
        const Json body = jsonOf(c.answer);
        CHECK((body.is_object() && body.contains("error") ? body["error"]["code"].get<std::string>() : "(none)") == c.code);
    }
    // What is JSON by its type is still taken: parameters and the case of the type do not matter.
    const std::string ok = "{\"service\":\"ophalen\"}";
    CHECK(kiosk.postRaw("/api/v1/tickets", ok, "Application/JSON; charset=utf-8", {{"Idempotency-Key", "ok-json"}}).status == 201);
    CHECK(kiosk.postRaw("/api/v1/tickets", ok, "application/x-www-form-urlencoded", {{"Idempotency-Key", "ok-curl"}}).status == 201);
    CHECK(ApiClient(server).get("/healthz").status == 200);
}
