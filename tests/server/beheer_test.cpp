// The admin page's API (/api/v1/configuration) on the real server: changes go through the command
// handler, errors name their field, changes that would disturb the day wait for a confirmation,
// kiosks and displays hear of a change on their event streams, the live configuration lives in
// the store (the file only seeds it, --apply-config applies a changed file) and exports as a file.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <sstream>

using namespace loket::test;

namespace {

Json bringChange(const std::string& nl) {
    return {{"type", "service.set"}, {"service", {{"id", "paspoort"}, {"bring", {{"nl", nl}, {"en", "two photos"}}}}}};
}

Json serviceOf(const Json& services, const std::string& id) {
    for (const auto& s : services)
        if (s["id"] == id) return s;
    return nullptr;
}

} // namespace

TEST_CASE("configuration: an admin changes what to bring and the kiosk's services show it, others may not change it") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    auto done = admin.post("/api/v1/configuration", bringChange("twee pasfoto's en uw oude paspoort"));
    REQUIRE(done.status == 200);
    CHECK(serviceOf(done.json["services"], "paspoort")["bring"]["nl"] == "twee pasfoto's en uw oude paspoort");
    // The rest of the service stays as it was.
    CHECK(serviceOf(done.json["services"], "paspoort")["prefix"] == "A");

    auto services = ApiClient(server, "demo-kiosk-token").get("/api/v1/services");
    REQUIRE(services.status == 200);
    CHECK(serviceOf(services.json, "paspoort")["bring"]["nl"] == "twee pasfoto's en uw oude paspoort");

    CHECK(ApiClient(server, "demo-kiosk-token").post("/api/v1/configuration", bringChange("x")).status == 403);
    CHECK(ApiClient(server, loginDemo(server)).post("/api/v1/configuration", bringChange("x")).status == 403);
    CHECK(ApiClient(server).get("/api/v1/configuration").status == 401);

    // The history is the audit trail's configuration entries: who, what, when.
    auto history = admin.get("/api/v1/configuration/history");
    REQUIRE(history.status == 200);
    REQUIRE(history.json["entries"].size() == 1);
    CHECK(history.json["entries"][0]["action"] == "configuration.service.set");
    CHECK(history.json["entries"][0]["target"] == "paspoort");
    CHECK(history.json["entries"][0]["actor"] == "admin-api"); // the demo admin token's device id
}

TEST_CASE("configuration: a bad change is refused and the API's error names the field") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    auto bad = admin.post("/api/v1/configuration", {{"type", "service.set"}, {"service", {{"id", "paspoort"}, {"prefix", "a"}}}});
    CHECK(bad.status == 400);
    CHECK(bad.json["error"]["details"]["field"] == "prefix");
    auto hours = admin.post("/api/v1/configuration", {{"type", "hours.set"}, {"weekday", 1}, {"periods", {"17:00-09:00"}}});
    CHECK(hours.status == 400);
    CHECK(hours.json["error"]["details"]["field"] == "periods");
    auto unknown = admin.post("/api/v1/configuration", {{"type", "counter.set"}, {"counter", {{"id", "b9"}, {"name", "9"}, {"skills", {"vissen"}}}}});
    CHECK(unknown.status == 404);
    CHECK(unknown.json["error"]["details"]["field"] == "skills");
    CHECK(admin.post("/api/v1/configuration", {{"type", "banner.set"}, {"text", {{"nl", "x"}}}, {"confirm", "ja"}}).json["error"]["details"]["field"] ==
          "confirm");
    CHECK(admin.get("/api/v1/configuration/history").json["entries"].empty());
}

TEST_CASE("configuration: removing a service visitors wait for needs a confirmation, after it the kiosk no longer offers it") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token"), kiosk(server, "demo-kiosk-token");
    REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "w1"}}).status == 201);
    auto refused = admin.post("/api/v1/configuration", {{"type", "service.remove"}, {"id", "ophalen"}});
    CHECK(refused.status == 409);
    CHECK(refused.json["error"]["code"] == "confirmation_needed");
    CHECK_FALSE(serviceOf(kiosk.get("/api/v1/services").json, "ophalen").is_null());

    auto confirmed = admin.post("/api/v1/configuration", {{"type", "service.remove"}, {"id", "ophalen"}, {"confirm", true}});
    REQUIRE(confirmed.status == 200);
    CHECK(serviceOf(kiosk.get("/api/v1/services").json, "ophalen").is_null());
    CHECK(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "w2"}}).status == 404);
    // The visitor already waiting is still in the queue.
    CHECK(admin.get("/api/v1/tickets?status=waiting").json.size() == 1);
}

TEST_CASE("configuration: a closed day refuses walk-ins with hall_closed and no opening hours that day") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token"), kiosk(server, "demo-kiosk-token");
    auto closed = admin.post("/api/v1/configuration", {{"type", "exception.set"}, {"date", hallDate(server)}, {"kind", "closed"},
                                                      {"note", {{"nl", "Studiedag"}}}});
    REQUIRE(closed.status == 200);
    REQUIRE(closed.json["exceptions"].size() == 1);
    auto walkIn = kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "c1"}});
    CHECK(walkIn.status == 503);
    CHECK(walkIn.json["error"]["code"] == "hall_closed");
    CHECK_FALSE(walkIn.json["error"].contains("details")); // no hours today: the kiosk says "not open today"
    CHECK(ApiClient(server, "demo-display-token").get("/api/v1/hall").json["hall"]["open_now"] == false);
    REQUIRE(admin.post("/api/v1/configuration", {{"type", "exception.clear"}, {"date", hallDate(server)}}).status == 200);
    CHECK(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "c2"}}).status == 201);
}

TEST_CASE("configuration: a change reaches a connected kiosk's and display's event streams (the time is printed, not asserted)") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    auto display = openEventStream(server, "demo-display-token");
    auto kiosk = openEventStream(server, "demo-kiosk-token");
    REQUIRE(waitForStreams(server, 2));
    const auto t0 = std::chrono::steady_clock::now();
    REQUIRE(ApiClient(server, "demo-admin-token")
                .post("/api/v1/configuration", {{"type", "banner.set"}, {"text", {{"nl", "Vandaag zijn wij om 12:00 gesloten"}}}})
                .status == 200);
    // Poll both streams until the event is there (or 5 s pass); measure, do not assert on time.
    const std::string seenDisplay = display.readUntil("Vandaag zijn wij om 12:00 gesloten", 5000);
    const double displayMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const std::string seenKiosk = kiosk.readUntil("Vandaag zijn wij om 12:00 gesloten", 5000);
    const double kioskMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    CHECK(seenDisplay.find("event: configuration.changed") != std::string::npos);
    CHECK(seenKiosk.find("event: configuration.changed") != std::string::npos);
    // Kiosks and displays get no staff names.
    CHECK(seenDisplay.find("admin-api") == std::string::npos);
    WARN("configuration change to display stream: " << displayMs << " ms, to kiosk stream: " << kioskMs << " ms");
    CHECK(ApiClient(server, "demo-display-token").get("/api/v1/hall").json["hall"]["banner"]["nl"] == "Vandaag zijn wij om 12:00 gesloten");
}

TEST_CASE("configuration: the store keeps the live configuration, the file seeds an empty store and --apply-config applies a changed file") {
    TempDir dir;
    const auto db = dir.path() / "hall.db";
    {
        ServerProcess server(db);
        REQUIRE(ApiClient(server, "demo-admin-token").post("/api/v1/configuration", bringChange("alleen uw paspoort")).status == 200);
    }
    {
        // A restart reads the store, logs how the (unchanged) file differs, and keeps the store's.
        ServerProcess server(db);
        CHECK(serviceOf(ApiClient(server, "demo-kiosk-token").get("/api/v1/services").json, "paspoort")["bring"]["nl"] == "alleen uw paspoort");
        CHECK(server.stderrText().find("config_diff") != std::string::npos);
        CHECK(server.stderrText().find("--apply-config") != std::string::npos);
    }
    {
        // The next day (after the purge of visitor events) the configuration is still there.
        ServerProcess server(db, ServerProcess::defaultConfig(), {hallClockAt(9 * 3600, 1)});
        CHECK(serviceOf(ApiClient(server, "demo-kiosk-token").get("/api/v1/services").json, "paspoort")["bring"]["nl"] == "alleen uw paspoort");
    }
    {
        ServerProcess server(db, ServerProcess::defaultConfig(), {hallClockAt(9 * 3600, 1)}, {"--apply-config"});
        const Json services = ApiClient(server, "demo-kiosk-token").get("/api/v1/services").json;
        CHECK(serviceOf(services, "paspoort")["bring"]["nl"].get<std::string>().find("pasfoto") != std::string::npos);
        auto history = ApiClient(server, "demo-admin-token").get("/api/v1/configuration/history");
        REQUIRE_FALSE(history.json["entries"].empty());
        CHECK(history.json["entries"][0]["actor"] == "config-file");
    }
    {
        // Now the file and the store agree: nothing to report.
        ServerProcess server(db, ServerProcess::defaultConfig(), {hallClockAt(9 * 3600, 1)});
        CHECK(server.stderrText().find("config_diff") == std::string::npos);
    }
}

TEST_CASE("configuration: the export is a hall file that starts a new hall with the same configuration") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    REQUIRE(admin.post("/api/v1/configuration", bringChange("één pasfoto")).status == 200);
    REQUIRE(admin.post("/api/v1/configuration", {{"type", "counter.set"}, {"counter", {{"id", "b1"}, {"location", "left"}, {"sitting_desk", true}}}})
                .status == 200);
    REQUIRE(admin.post("/api/v1/configuration", {{"type", "exception.set"}, {"date", "2099-12-25"}, {"kind", "closed"}, {"note", {{"nl", "Kerstmis"}}}})
                .status == 200);
    REQUIRE(admin.post("/api/v1/configuration", {{"type", "banner.set"}, {"text", {{"nl", "Let op"}}}}).status == 200);
    auto exported = admin.get("/api/v1/configuration/export");
    REQUIRE(exported.status == 200);
    CHECK(exported.body.find("[[hours_exception]]") != std::string::npos);
    const auto file = dir.path() / "exported.toml";

    // IT adds its own file-only settings (here the example's devices and staff) to the export.
    std::ifstream in(ServerProcess::defaultConfig());
    std::stringstream example;
    example << in.rdbuf();
    const std::string itPart = example.str().substr(example.str().find("[[device]]"));
    std::ofstream(file) << exported.body << "\n" << itPart;

    const Json before = admin.get("/api/v1/configuration").json;
    ServerProcess copy(dir.path() / "copy.db", file);
    const Json after = ApiClient(copy, "demo-admin-token").get("/api/v1/configuration").json;
    for (const char* part : {"services", "counters", "hours", "exceptions", "banner"}) CHECK(after[part] == before[part]);
    CHECK(copy.stderrText().find("config_diff") == std::string::npos);
}
