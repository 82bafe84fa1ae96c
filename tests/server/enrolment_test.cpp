// Device enrolment through the API of the real server: a new kiosk asks for a pairing, the hall
// manager approves and names it, the kiosk collects its own token (only a hash is stored), renews
// it with an overlap in which both tokens work, and a revoked kiosk is cut off — its requests at
// once and its event stream within 2 seconds. (The kiosk program's pairing screen is not part of
// these tests.)
#include "server_process.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

using namespace loket::test;

namespace {

// Pairs a kiosk named `name` and returns the claim answer (device_id, token, …).
Json enrolKiosk(const ServerProcess& server, const std::string& name) {
    ApiClient device(server);
    auto pair = device.post("/api/v1/devices/pair", {{"role", "kiosk"}});
    REQUIRE(pair.status == 201);
    const std::string code = pair.json["pairing_code"], secret = pair.json["pairing_secret"];
    REQUIRE(code.size() == 6);
    REQUIRE(device.post("/api/v1/devices/pair/claim", {{"pairing_secret", secret}}).status == 202);
    ApiClient admin(server, "demo-admin-token");
    REQUIRE(admin.post("/api/v1/devices/pairings/" + code + "/approve", {{"name", name}}).status == 201);
    auto claim = device.post("/api/v1/devices/pair/claim", {{"pairing_secret", secret}});
    REQUIRE(claim.status == 200);
    return claim.json;
}

std::string fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

TEST_CASE("enrol: a kiosk pairs with a code, is approved and named, and works with its own token") {
    TempDir dir;
    const auto db = dir.path() / "hall.db";
    std::string token;
    {
        ServerProcess server(db);
        ApiClient device(server);
        auto pair = device.post("/api/v1/devices/pair", {{"role", "kiosk"}});
        REQUIRE(pair.status == 201);
        const std::string code = pair.json["pairing_code"], secret = pair.json["pairing_secret"];
        CHECK(code.find_first_not_of("0123456789") == std::string::npos);
        CHECK(device.post("/api/v1/devices/pair/claim", {{"pairing_secret", secret}}).status == 202);
        // The hall manager sees the waiting code; counter staff and devices do not.
        ApiClient admin(server, "demo-admin-token");
        auto pending = admin.get("/api/v1/devices/pairings");
        REQUIRE(pending.status == 200);
        REQUIRE(pending.json.size() == 1);
        CHECK(pending.json[0]["pairing_code"] == code);
        CHECK(pending.json[0]["role"] == "kiosk");
        CHECK(ApiClient(server, loginDemo(server)).get("/api/v1/devices/pairings").status == 403);
        CHECK(ApiClient(server, "demo-kiosk-token").post("/api/v1/devices/pairings/" + code + "/approve", {{"name", "x"}}).status == 403);
        // A wrong code, an empty name: clear errors, nothing enrolled.
        const std::string wrong = code == "000000" ? "000001" : "000000";
        CHECK(admin.post("/api/v1/devices/pairings/" + wrong + "/approve", {{"name", "Kiosk"}}).status == 404);
        CHECK(admin.post("/api/v1/devices/pairings/" + code + "/approve", {{"name", ""}}).status == 400);
        auto approved = admin.post("/api/v1/devices/pairings/" + code + "/approve", {{"name", "Kiosk bij de lift"}});
        REQUIRE(approved.status == 201);
        CHECK(approved.json["device"]["id"] == "kiosk-bij-de-lift");
        CHECK(admin.get("/api/v1/devices/pairings").json.empty());
        auto claim = device.post("/api/v1/devices/pair/claim", {{"pairing_secret", secret}});
        REQUIRE(claim.status == 200);
        CHECK(claim.json["device_id"] == "kiosk-bij-de-lift");
        CHECK(claim.json["role"] == "kiosk");
        token = claim.json["token"];
        CHECK(device.post("/api/v1/devices/pair/claim", {{"pairing_secret", secret}}).status == 404); // the secret works once
        // The device works as a kiosk with its own token.
        ApiClient kiosk(server, token);
        CHECK(kiosk.get("/api/v1/services").status == 200);
        auto ticket = kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "e1"}});
        CHECK(ticket.status == 201);
        CHECK(kiosk.post("/api/v1/devices/heartbeat", {{"status", "ok"}}).status == 200);
        CHECK(kiosk.get("/api/v1/devices/enrolled").status == 403);
        auto audit = admin.get("/api/v1/audit");
        CHECK(audit.body.find("\"device.enrol\"") != std::string::npos);
    }
    // Only a hash is stored; the device and its token survive a restart.
    CHECK(fileBytes(db).find(token) == std::string::npos);
    ServerProcess server(db);
    CHECK(ApiClient(server, token).get("/api/v1/services").status == 200);
    auto list = ApiClient(server, "demo-admin-token").get("/api/v1/devices/enrolled");
    REQUIRE(list.json.size() == 1);
    CHECK(list.json[0]["name"] == "Kiosk bij de lift");
    CHECK(list.json[0]["revoked_at"].is_null());
    // The demo tokens of ./run.sh keep working beside enrolled devices.
    CHECK(ApiClient(server, "demo-kiosk-token").get("/api/v1/services").status == 200);
}

TEST_CASE("enrol: a device renews its token before it expires, both work in the overlap, the old one not after") {
    TempDir dir;
    const auto db = dir.path() / "hall.db";
    std::string first, second;
    {
        ServerProcess server(db, ServerProcess::defaultConfig(), {hallClockAt(8 * 3600, 0)});
        first = enrolKiosk(server, "Kiosk 1")["token"];
    }
    {
        // 13 hours later (the device renews after 12): the old token still works, the new one too.
        ServerProcess server(db, ServerProcess::defaultConfig(), {hallClockAt(21 * 3600, 0)});
        auto renewed = ApiClient(server, first).post("/api/v1/devices/token");
        REQUIRE(renewed.status == 200);
        second = renewed.json["token"];
        CHECK(second != first);
        CHECK(ApiClient(server, first).get("/api/v1/services").status == 200);
        CHECK(ApiClient(server, second).get("/api/v1/services").status == 200);
        CHECK(ApiClient(server, "demo-kiosk-token").post("/api/v1/devices/token").status == 403); // configured, not enrolled
    }
    // 25 hours after the first token: it has expired; the renewed one works.
    ServerProcess server(db, ServerProcess::defaultConfig(), {hallClockAt(9 * 3600, 1)});
    CHECK(ApiClient(server, first).get("/api/v1/services").status == 401);
    CHECK(ApiClient(server, second).get("/api/v1/services").status == 200);
}

TEST_CASE("enrol: a revoked device's requests fail and its event stream ends within 2 seconds") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const std::string token = enrolKiosk(server, "Kiosk 2")["token"];
    const std::string id = "kiosk-2";
    std::chrono::steady_clock::time_point streamEnded;
    std::thread reader([&] {
        readEvents(server, token, 1000, {}, 10000); // returns when the server ends the stream (or after 10 s)
        streamEnded = std::chrono::steady_clock::now();
    });
    REQUIRE(waitForStreams(server, 1));
    ApiClient admin(server, "demo-admin-token");
    const auto revokedAt = std::chrono::steady_clock::now();
    auto revoked = admin.post("/api/v1/devices/enrolled/" + id + "/revoke");
    REQUIRE(revoked.status == 200);
    CHECK_FALSE(revoked.json["device"]["revoked_at"].is_null());
    CHECK(ApiClient(server, token).get("/api/v1/services").status == 401);
    reader.join();
    const auto cut = std::chrono::duration_cast<std::chrono::milliseconds>(streamEnded - revokedAt).count();
    INFO("the stream ended " << cut << " ms after the revocation");
    CHECK(cut < 2000);
    CHECK(ApiClient(server, token).post("/api/v1/devices/token").status == 401); // no renewal after revocation
    CHECK(admin.get("/api/v1/audit").body.find("\"device.revoke\"") != std::string::npos);
    CHECK(admin.post("/api/v1/devices/enrolled/nobody/revoke").status == 404);
}
