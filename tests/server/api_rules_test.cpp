// API rules an outsider probed (issue 11): tokens in URLs, log-in throttling that cannot be
// turned into a lock-out, and query values that are not text.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace loket::test;

namespace {

// The example hall with `from` replaced by `to`, written into `dir`.
std::filesystem::path hallReplacing(const TempDir& dir, const std::string& from, const std::string& to) {
    std::ifstream in(ServerProcess::defaultConfig());
    std::stringstream text;
    text << in.rdbuf();
    std::string config = text.str();
    const auto pos = config.find(from);
    REQUIRE(pos != std::string::npos);
    config.replace(pos, from.size(), to);
    auto file = dir.path() / "hall.toml";
    std::ofstream(file) << config;
    return file;
}

// The example hall with one line added to its [hall] table.
std::filesystem::path hallWith(const TempDir& dir, const std::string& hallLine) {
    return hallReplacing(dir, "[hall]\n", "[hall]\n" + hallLine + "\n");
}

} // namespace

TEST_CASE("auth: ?access_token= is taken only on the event stream") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const std::string token = loginDemo(server);
    ApiClient anonymous(server);
    auto viaUrl = anonymous.get("/api/v1/tickets?access_token=" + token);
    CHECK(viaUrl.status == 401);
    CHECK(errorCodeOf(viaUrl) == "unauthorized");
    CHECK(ApiClient(server, token).get("/api/v1/tickets").status == 200);
    // The event stream still takes it (EventSource cannot send a header): the stream opens.
    httplib::Client client("127.0.0.1", server.port());
    int status = 0;
    client.Get("/api/v1/events?access_token=" + token, httplib::Headers{},
               [&](const httplib::Response& r) {
                   status = r.status;
                   return false; // the status is all we need: close the stream
               },
               [](const char*, std::size_t) { return false; });
    CHECK(status == 200);
}

TEST_CASE("input: a status filter that is not UTF-8 is a 400, not a 500") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient staff(server, loginDemo(server));
    for (const char* query : {"%ff%fe", "waiting,%ff", "%00"}) {
        INFO(query);
        auto r = staff.get(std::string("/api/v1/tickets?status=") + query);
        CHECK(r.status == 400);
        CHECK(errorCodeOf(r) == "invalid_value");
    }
}

TEST_CASE("auth: failed log-ins slow down the guesser's address, never the real user elsewhere") {
    TempDir dir;
    // The hall sits behind a proxy on this machine: it names the client in X-Forwarded-For.
    ServerProcess server(dir.path() / "hall.db", hallWith(dir, "trusted_proxy = \"127.0.0.1\""));
    ApiClient viaProxy(server);
    auto login = [&](const std::string& client, const std::string& password) {
        return viaProxy.post("/api/v1/login", {{"username", "demo"}, {"password", password}}, {{"X-Forwarded-For", client}});
    };
    for (int i = 0; i < 5; ++i) CHECK(login("198.51.100.7", "guess" + std::to_string(i)).status == 401);
    auto guesser = login("198.51.100.7", "demo-demo-demo");
    CHECK(guesser.status == 429);
    CHECK(errorCodeOf(guesser) == "too_many_requests");
    // The colleague at another desk logs in with the right password at once.
    CHECK(login("198.51.100.8", "demo-demo-demo").status == 200);
    // 20+ failures against other accounts from one address do not block a user there.
    for (int i = 0; i < 25; ++i)
        CHECK(viaProxy.post("/api/v1/login", {{"username", "nobody-" + std::to_string(i)}, {"password", "guess"}},
                            {{"X-Forwarded-For", "198.51.100.9"}}).status == 401);
    CHECK(login("198.51.100.9", "demo-demo-demo").status == 200);
}

TEST_CASE("auth: X-Forwarded-For is ignored unless the request comes from the trusted proxy") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db"); // no trusted proxy configured
    ApiClient outsider(server);
    // A new made-up address per try must not reset the count: the peer address counts.
    for (int i = 0; i < 5; ++i)
        CHECK(outsider.post("/api/v1/login", {{"username", "demo"}, {"password", "guess"}}, {{"X-Forwarded-For", "203.0.113." + std::to_string(i)}}).status == 401);
    CHECK(outsider.post("/api/v1/login", {{"username", "demo"}, {"password", "demo-demo-demo"}}, {{"X-Forwarded-For", "203.0.113.99"}}).status == 429);
}

TEST_CASE("input: an appointment lists at most 8 services and lasts at most 8 hours") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    auto hall = ApiClient(server, "demo-display-token").get("/api/v1/hall").json["hall"];
    const std::string now = hall["now"];
    const std::string startsAt = hall["date"].get<std::string>() + "T23:30:00" + now.substr(now.size() - 6);
    auto book = [&](const std::string& code, std::size_t times) {
        return admin.post("/api/v1/appointments",
                          {{"code", code}, {"services", Json(std::vector<std::string>(times, "paspoort"))}, {"starts_at", startsAt}});
    };
    auto huge = book("K7Q2MA", 5000);
    CHECK(huge.status == 400);
    CHECK(errorCodeOf(huge) == "invalid_value");
    auto nine = book("K7Q2MB", 9);
    CHECK(nine.status == 400);
    CHECK(errorCodeOf(nine) == "invalid_value");
    // Nothing was booked.
    CHECK(admin.get("/api/v1/appointments").json.dump().find("K7Q2MA") == std::string::npos);
    auto two = book("K7Q2MC", 2);
    CHECK(two.status / 100 == 2);
}

TEST_CASE("auth: staff of counter b1 may not transfer or cancel waiting tickets of services b1 does not serve") {
    TempDir dir;
    const auto file = hallReplacing(dir, "[[staff]]\nusername = \"demo\"\nrole = \"counter\"\ncounters = [\"*\"]",
                                    "[[staff]]\nusername = \"demo\"\nrole = \"counter\"\ncounters = [\"b1\"]");
    ServerProcess server(dir.path() / "hall.db", file);
    ApiClient kiosk(server, "demo-kiosk-token");
    ApiClient staff(server, loginDemo(server));
    auto birth = kiosk.post("/api/v1/tickets", {{"service", "geboorte"}}, {{"Idempotency-Key", "g1"}}); // b1 does not serve it
    auto extract = kiosk.post("/api/v1/tickets", {{"service", "uittreksel"}}, {{"Idempotency-Key", "u1"}});
    REQUIRE(birth.status == 201);
    REQUIRE(extract.status == 201);
    const std::string birthId = birth.json["ticket"]["id"].dump(), extractId = extract.json["ticket"]["id"].dump();
    auto transfer = staff.post("/api/v1/tickets/" + birthId + "/transfer", {{"service", "uittreksel"}});
    CHECK(transfer.status == 403);
    CHECK(errorCodeOf(transfer) == "forbidden");
    auto cancel = staff.post("/api/v1/tickets/" + birthId + "/cancel");
    CHECK(cancel.status == 403);
    // Still waiting, untouched.
    CHECK(ApiClient(server, "demo-admin-token").get("/api/v1/tickets?status=waiting").json.size() == 2);
    // A ticket b1 could call is b1's staff's to handle.
    CHECK(staff.post("/api/v1/tickets/" + extractId + "/cancel").status == 200);
}

TEST_CASE("input: one kiosk credential is rate-limited with a clear 429, the admin integration is not") {
    TempDir dir;
    const auto file = hallReplacing(dir, "checkins_per_minute = 6000000\ncheckin_burst = 1000000\n",
                                    "checkins_per_minute = 30\ncheckin_burst = 10\n");
    ServerProcess server(dir.path() / "hall.db", file);
    ApiClient kiosk(server, "demo-kiosk-token");
    int created = 0;
    ApiResponse refused;
    for (int i = 0; i < 15; ++i) {
        auto r = kiosk.post("/api/v1/tickets", {{"service", "uittreksel"}}, {{"Idempotency-Key", "r" + std::to_string(i)}});
        if (r.status == 201) ++created;
        else refused = r;
    }
    // The burst of 10 (plus at most one refilled if a second passed) — never all 15.
    CHECK(created >= 10);
    CHECK(created <= 11);
    CHECK(refused.status == 429);
    CHECK(errorCodeOf(refused) == "too_many_requests");
    CHECK(refused.json["error"]["message"].get<std::string>().find("wait") != std::string::npos);
    // The admin integration is no kiosk: it still checks in.
    CHECK(ApiClient(server, "demo-admin-token").post("/api/v1/tickets", {{"service", "uittreksel"}}, {{"Idempotency-Key", "adm"}}).status == 201);
}
