// The admin page's staff accounts (/api/v1/staff) on the real server: an account made on the page
// logs in and works at its counters; a new password works at once; disabling it ends its sessions
// (the next request is 401) and its log-in; the file's accounts are read-only; every change is in
// the history, and no password or hash is anywhere in the audit trail or the answers.
#include "server_process.hpp"

#include <catch2/catch.hpp>

using namespace loket::test;

namespace {

Json accountOf(const Json& list, const std::string& name) {
    for (const auto& a : list["accounts"])
        if (a["username"] == name) return a;
    return nullptr;
}

ApiResponse login(const ServerProcess& server, const std::string& user, const std::string& password) {
    return ApiClient(server).post("/api/v1/login", {{"username", user}, {"password", password}});
}

} // namespace

TEST_CASE("beheer: an account made on the page logs in, gets a new password, and its disabling ends its session at once") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, loginDemo(server, "beheer"));

    auto made = admin.post("/api/v1/staff", {{"username", "j.jansen"}, {"password", "een-lang-wachtwoord"}, {"role", "counter"}, {"counters", {"b1"}}});
    REQUIRE(made.status == 201);
    CHECK(made.json["account"]["source"] == "page");
    CHECK(made.json["account"]["counters"] == Json::array({"b1"}));
    CHECK(made.body.find("pbkdf2") == std::string::npos);

    auto first = login(server, "j.jansen", "een-lang-wachtwoord");
    REQUIRE(first.status == 200);
    CHECK(first.json["counters"] == Json::array({"b1"}));
    ApiClient jansen(server, first.json["token"].get<std::string>());
    CHECK(jansen.get("/api/v1/counters").status == 200);

    // A new password: the old one no longer works, the new one does.
    REQUIRE(admin.post("/api/v1/staff/j.jansen/password", {{"password", "nog-een-lang-wachtwoord"}}).status == 200);
    CHECK(login(server, "j.jansen", "een-lang-wachtwoord").status == 401);
    auto second = login(server, "j.jansen", "nog-een-lang-wachtwoord");
    REQUIRE(second.status == 200);

    // Disabled: both sessions end at once, and it cannot log in again.
    auto disabled = admin.post("/api/v1/staff/j.jansen/disable");
    REQUIRE(disabled.status == 200);
    CHECK(disabled.json["account"]["disabled"] == true);
    CHECK(jansen.get("/api/v1/counters").status == 401);
    CHECK(ApiClient(server, second.json["token"].get<std::string>()).get("/api/v1/counters").status == 401);
    CHECK(login(server, "j.jansen", "nog-een-lang-wachtwoord").status == 401);

    // Enabled again: it logs in.
    REQUIRE(admin.post("/api/v1/staff/j.jansen/enable").status == 200);
    CHECK(login(server, "j.jansen", "nog-een-lang-wachtwoord").status == 200);

    // The history says who did what; no password, no hash.
    auto history = admin.get("/api/v1/configuration/history");
    REQUIRE(history.status == 200);
    std::vector<std::string> actions;
    for (const auto& e : history.json["entries"]) {
        actions.push_back(e["action"]);
        CHECK(e["actor"] == "beheer");
    }
    CHECK(actions == std::vector<std::string>{"staff.create", "staff.password", "staff.disable", "staff.enable"});
    CHECK(history.body.find("wachtwoord") == std::string::npos);
    CHECK(history.body.find("pbkdf2") == std::string::npos);
}

TEST_CASE("beheer: staff account changes are checked field by field, and only a manager may make them") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, loginDemo(server, "beheer"));
    auto field = [](const ApiResponse& r) { return r.json["error"]["details"]["field"]; };

    auto shortPassword = admin.post("/api/v1/staff", {{"username", "piet"}, {"password", "kort"}, {"role", "counter"}, {"counters", {"b1"}}});
    CHECK(shortPassword.status == 400);
    CHECK(field(shortPassword) == "password");
    auto badName = admin.post("/api/v1/staff", {{"username", "Piet Jansen"}, {"password", "een-lang-wachtwoord"}, {"role", "counter"}});
    CHECK(badName.status == 400);
    CHECK(field(badName) == "username");
    auto badRole = admin.post("/api/v1/staff", {{"username", "piet"}, {"password", "een-lang-wachtwoord"}, {"role", "baas"}});
    CHECK(badRole.status == 400);
    CHECK(field(badRole) == "role");
    auto badCounter = admin.post("/api/v1/staff", {{"username", "piet"}, {"password", "een-lang-wachtwoord"}, {"role", "counter"}, {"counters", {"b99"}}});
    CHECK(badCounter.status == 404);
    CHECK(field(badCounter) == "counters");
    // The file's names stay the file's.
    auto fileName = admin.post("/api/v1/staff", {{"username", "demo"}, {"password", "een-lang-wachtwoord"}, {"role", "counter"}});
    CHECK(fileName.status == 400);
    CHECK(field(fileName) == "username");
    CHECK(admin.post("/api/v1/staff/demo/disable").status == 404);
    // A manager cannot lock themselves out.
    REQUIRE(admin.post("/api/v1/staff", {{"username", "chef"}, {"password", "een-lang-wachtwoord"}, {"role", "admin"}}).status == 201);
    ApiClient chef(server, login(server, "chef", "een-lang-wachtwoord").json["token"].get<std::string>());
    auto self = chef.post("/api/v1/staff/chef/disable");
    CHECK(self.status == 400);
    CHECK(field(self) == "username");

    // Counter staff and devices may not.
    CHECK(ApiClient(server, loginDemo(server)).post("/api/v1/staff", {{"username", "x1"}, {"password", "een-lang-wachtwoord"}, {"role", "admin"}}).status == 403);
    CHECK(ApiClient(server, "demo-kiosk-token").get("/api/v1/staff").status == 403);

    // The list shows every account by where it is managed.
    auto list = admin.get("/api/v1/staff");
    REQUIRE(list.status == 200);
    CHECK(accountOf(list.json, "demo")["source"] == "file");
    CHECK(accountOf(list.json, "chef")["source"] == "page");
    CHECK(accountOf(list.json, "chef")["counters"] == Json::array({"*"}));
    CHECK(list.body.find("pbkdf2") == std::string::npos);
}

TEST_CASE("beheer: staff accounts made on the page survive a restart") {
    TempDir dir;
    {
        ServerProcess server(dir.path() / "hall.db");
        ApiClient admin(server, loginDemo(server, "beheer"));
        REQUIRE(admin.post("/api/v1/staff", {{"username", "k.klaassen"}, {"password", "een-lang-wachtwoord"}, {"role", "counter"}, {"counters", {"b2"}}}).status == 201);
        REQUIRE(admin.post("/api/v1/staff/k.klaassen/access", {{"role", "counter"}, {"counters", {"b1", "b2"}}}).status == 200);
    }
    ServerProcess server(dir.path() / "hall.db");
    auto again = login(server, "k.klaassen", "een-lang-wachtwoord");
    REQUIRE(again.status == 200);
    CHECK(again.json["counters"] == Json::array({"b1", "b2"}));
}
