// The audit trail: staff and admin actions with who, what and which counter or ticket number,
// readable by the hall manager only, free of visitor data, and kept for the hall's audit_days
// independently of the daily purge of visitor events.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace loket::test;

namespace {

// The example configuration with `audit_days` set, in `dir`.
std::filesystem::path configKeeping(const std::filesystem::path& dir, int days) {
    std::ifstream in(ServerProcess::defaultConfig());
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const auto at = s.find("audit_days = 90");
    REQUIRE(at != std::string::npos);
    s.replace(at, std::string("audit_days = 90").size(), "audit_days = " + std::to_string(days));
    const auto file = dir / "hall.toml";
    std::ofstream(file) << s;
    return file;
}

std::vector<std::string> actionsOf(const Json& audit) {
    std::vector<std::string> out;
    for (const auto& e : audit["entries"]) out.push_back(e["action"]);
    return out;
}

} // namespace

TEST_CASE("audit: counter and ticket actions are recorded by who and ticket number, without visitor data") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    const std::string d = hallDate(server);
    auto import = admin.postRaw("/api/v1/appointments/import",
                                "code,date,time,services,duration_min,persons,name\nK7Q2MX," + d + ",10:15,ophalen,10,1,Jansen\n", "text/csv");
    REQUIRE(import.status == 200);
    ApiClient kiosk(server, "demo-kiosk-token");
    REQUIRE(kiosk.post("/api/v1/tickets", {{"appointment_code", "K7Q2MX"}}, {{"Idempotency-Key", "a"}}).status == 201);
    REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "b"}}).status == 201);

    ApiClient staff(server, loginDemo(server));
    REQUIRE(staff.post("/api/v1/counters/b1/open", {{"services", Json::array({"ophalen"})}}).status == 200);
    auto first = staff.post("/api/v1/counters/b1/next");
    REQUIRE(first.status == 200);
    const std::string firstNumber = first.json["ticket"]["number"];
    REQUIRE(staff.post("/api/v1/tickets/" + first.json["ticket"]["id"].dump() + "/no-show").status == 200);
    auto second = staff.post("/api/v1/counters/b1/next");
    REQUIRE(second.status == 200);
    const std::string secondNumber = second.json["ticket"]["number"];
    REQUIRE(staff.post("/api/v1/tickets/" + second.json["ticket"]["id"].dump() + "/transfer", {{"service", "uittreksel"}}).status == 200);
    REQUIRE(staff.post("/api/v1/counters/b1/close").status == 200);
    CHECK(staff.post("/api/v1/counters/b1/next").status != 200); // refused: not in the trail
    REQUIRE(staff.post("/api/v1/logout").status == 200);

    auto audit = admin.get("/api/v1/audit?day=" + d);
    INFO(audit.body);
    REQUIRE(audit.status == 200);
    CHECK(audit.json["day"] == d);
    CHECK(audit.json["keep_days"] == 90);
    const std::vector<std::string> expected = {"appointment.import", "login", "counter.open", "counter.next", "ticket.no_show",
                                               "counter.next", "ticket.transfer", "counter.close", "logout"};
    CHECK(actionsOf(audit.json) == expected);
    const auto& e = audit.json["entries"];
    CHECK(e[0]["actor"] == "admin-api");
    CHECK(e[0]["detail"] == "1 imported, 0 updated, 0 skipped, 0 errors");
    CHECK(e[1]["actor"] == "demo");
    CHECK(e[1]["role"] == "counter");
    CHECK(e[2]["target"] == "b1");
    CHECK(e[2]["detail"] == "ophalen");
    CHECK(e[3]["detail"] == firstNumber);
    CHECK(e[4]["target"] == firstNumber);
    CHECK(e[6]["target"] == secondNumber);
    CHECK(e[6]["detail"] == "service uittreksel");
    // No visitor's name or booking code anywhere in the trail.
    CHECK(audit.body.find("Jansen") == std::string::npos);
    CHECK(audit.body.find("K7Q2MX") == std::string::npos);
    // Default day is today; counter staff may not read it; a bad day is a clear error.
    CHECK(admin.get("/api/v1/audit").json["entries"].size() == expected.size());
    CHECK(ApiClient(server, loginDemo(server)).get("/api/v1/audit").status == 403);
    CHECK(ApiClient(server, "demo-display-token").get("/api/v1/audit").status == 403);
    auto bad = admin.get("/api/v1/audit?day=yesterday");
    CHECK(bad.status == 400);
    CHECK(bad.json["error"]["code"] == "invalid_value");
}

TEST_CASE("audit: the trail outlives the daily purge of visitor events and goes after audit_days") {
    TempDir dir;
    const auto db = dir.path() / "hall.db";
    const auto config = configKeeping(dir.path(), 2);
    std::string day0, day1;
    {
        ServerProcess server(db, config, {hallClockAt(9 * 3600, 0)});
        day0 = hallDate(server);
        REQUIRE(ApiClient(server, "demo-kiosk-token").post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "x"}}).status == 201);
        ApiClient staff(server, loginDemo(server));
        REQUIRE(staff.post("/api/v1/counters/b1/open").status == 200);
    }
    {
        ServerProcess server(db, config, {hallClockAt(9 * 3600, 1)});
        day1 = hallDate(server);
        ApiClient staff(server, loginDemo(server));
        CHECK(staff.get("/api/v1/tickets").json.empty()); // yesterday's visitors are purged...
        auto yesterday = ApiClient(server, "demo-admin-token").get("/api/v1/audit?day=" + day0);
        REQUIRE(yesterday.status == 200);
        CHECK(actionsOf(yesterday.json) == std::vector<std::string>{"login", "counter.open"}); // ...the trail is not
        CHECK(yesterday.json["keep_days"] == 2);
    }
    ServerProcess server(db, config, {hallClockAt(9 * 3600, 2)});
    ApiClient admin(server, "demo-admin-token");
    loginDemo(server); // the first entry of day 2 removes what is older than 2 days
    CHECK(admin.get("/api/v1/audit?day=" + day0).json["entries"].empty());
    CHECK(actionsOf(admin.get("/api/v1/audit?day=" + day1).json) == std::vector<std::string>{"login"});
}
