// Several locations in one deployment, on the SQLite store (the PostgreSQL side:
// tests/postgres/locations_test.cpp): the [[location]] configuration and its errors, and — through
// the real server with firmware-config/city.example.toml — that a credential of one location can
// neither see nor change another's queue, for every role (tests/support/city_checks).
#include "city_checks.hpp"

#include "server/server_config.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

using namespace loket::test;
using loket::server::parseServerConfig;

namespace {

std::string cityText() {
    std::ifstream in(cityConfig());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// The error of `text` as a config file named city.toml.
std::string errorOf(const std::string& text) {
    auto c = parseServerConfig(text, "city.toml");
    REQUIRE_FALSE(c);
    return c.error().message;
}

int lineOf(const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    REQUIRE(at != std::string::npos);
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

} // namespace

TEST_CASE("locations: the city example names three locations, each with its own services, counters, hours and devices") {
    auto c = parseServerConfig(replaced(cityText(), "[location.hours]\nalways = true", "[location.hours]\nmon = [\"08:30-12:30\"]"), "city.toml");
    REQUIRE(c);
    REQUIRE(c->locations.size() == 3);
    CHECK(c->locations[0].id == "stadhuis");
    CHECK(c->locations[0].hall.name == "Stadhuis Rijnwaarde");
    CHECK(c->locations[0].hall.services.size() == 3);
    CHECK(c->locations[1].hall.counters.size() == 2);
    CHECK(c->locations[1].hall.hours.alwaysOpen == false);  // its own hours
    CHECK(c->locations[2].hall.hours.alwaysOpen == true);   // the city's default
    CHECK(c->locations[2].hall.normS == 300);                // [hall] is every location's default
    const auto noord = loket::server::configForLocation(c.value(), "noord");
    CHECK(noord.hall.name == "Servicepunt Noord");
    REQUIRE(noord.devices.size() == 2);
    CHECK(noord.devices[0].location == "noord");
    const auto& demo = c->staff[0];
    CHECK(loket::server::staffMayWorkAt(c.value(), demo, "noord"));
    CHECK_FALSE(loket::server::staffMayWorkAt(c.value(), demo, "dorp"));
    CHECK(loket::server::staffMayWorkAt(c.value(), c->staff[2], "dorp")); // no list: every location
}

TEST_CASE("locations: a one-location file stays valid and names no location") {
    std::ifstream in(std::filesystem::path(LOKET_SOURCE_DIR) / "firmware-config" / "hall.example.toml");
    std::stringstream text;
    text << in.rdbuf();
    auto c = parseServerConfig(text.str(), "hall.toml");
    REQUIRE(c);
    CHECK(c->locations.empty());
    CHECK(c->devices.front().location.empty());
    CHECK(loket::server::staffMayWorkAt(c.value(), c->staff.front(), ""));
}

TEST_CASE("locations: configuration errors name the file, the line and the field") {
    const std::string city = cityText();
    SECTION("a location id used twice") {
        const std::string text = replaced(city, "id = \"dorp\"", "id = \"noord\"");
        CHECK(errorOf(text) == "city.toml:" + std::to_string(lineOf(text, "name = \"Servicepunt Oosterdorp\"") - 2) +
                                   ": location 'noord'.id: is used twice");
    }
    SECTION("a location id that cannot name a partition") {
        const std::string text = replaced(city, "id = \"dorp\"", "id = \"Oost-Dorp\"");
        CHECK(errorOf(text) == "city.toml:" + std::to_string(lineOf(text, "Oost-Dorp")) +
                                   ": location 'Oost-Dorp'.id: use 1 to 32 lower-case letters, digits and _ only");
    }
    SECTION("a counter serving a service of another location") {
        const std::string text = replaced(city, "services = [\"ophalen\"]", "services = [\"paspoort\"]");
        CHECK(errorOf(text) == "city.toml:" + std::to_string(lineOf(text, "services = [\"paspoort\"]")) +
                                   ": location 'dorp'.counter 'd1'.services: 'paspoort' is not a configured service");
    }
    SECTION("a service outside any location") {
        const std::string text = replaced(city, "[[location]]\nid = \"stadhuis\"", "[[service]]\nid = \"x\"\n\n[[location]]\nid = \"stadhuis\"");
        const std::string e = errorOf(text);
        CHECK(e.rfind("city.toml:", 0) == 0);
        CHECK(e.find(": service: put it inside its [[location]] ([[location.service]])") != std::string::npos);
    }
    SECTION("a staff account at an unknown location") {
        const std::string text = replaced(city, "locations = [\"noord\"]\npassword", "locations = [\"zuid\"]\npassword");
        CHECK(errorOf(text) == "city.toml:" + std::to_string(lineOf(text, "[\"zuid\"]")) +
                                   ": staff 'noord'.locations: 'zuid' is not a configured location");
    }
    SECTION("a staff counter none of its locations has") {
        const std::string text = replaced(city, "counters = [\"n1\", \"n2\"]", "counters = [\"b1\"]");
        CHECK(errorOf(text) == "city.toml:" + std::to_string(lineOf(text, "counters = [\"b1\"]")) +
                                   ": staff 'noord'.counters: 'b1' is not a configured counter of its locations");
    }
    SECTION("two locations' devices with one token") {
        const std::string text = replaced(city, "d502302cb6d4780617407100db7f8f5a599b6424952397164c240fbc73b5dcce",
                                          "661ef61e77abc9495fde79636b8c7f9c79217c5f2f3c589b2870dca4e557e65c");
        CHECK(errorOf(text).find("location 'noord'.device 'noord-kiosk-1'.token_sha256: the same token as device 'stadhuis-kiosk-1'") !=
              std::string::npos);
    }
    SECTION("locations in a file without [[location]]") {
        std::ifstream in(std::filesystem::path(LOKET_SOURCE_DIR) / "firmware-config" / "hall.example.toml");
        std::stringstream hall;
        hall << in.rdbuf();
        const std::string text = replaced(hall.str(), "username = \"demo\"", "username = \"demo\"\nlocations = [\"noord\"]");
        CHECK(errorOf(text) == "city.toml:" + std::to_string(lineOf(text, "locations = [")) +
                                   ": staff 'demo'.locations: the file names no [[location]]");
    }
}

TEST_CASE("locations: a one-location hall refuses a location at log-in and names none") {
    TempDir dir;
    ServerProcess server(dir.path() / "loket.db");
    ApiClient c(server);
    auto r = c.post("/api/v1/login", {{"username", "demo"}, {"password", "demo-demo-demo"}, {"location", "noord"}});
    CHECK(r.status == 400);
    auto ok = c.post("/api/v1/login", {{"username", "demo"}, {"password", "demo-demo-demo"}});
    REQUIRE(ok.status == 200);
    CHECK_FALSE(ok.json.contains("location"));
    CHECK(c.get("/api/v1/locations").json["locations"].empty());
}

TEST_CASE("locations: a kiosk checks in at its own location only, with its own numbering (SQLite)") {
    TempDir dir;
    ServerProcess server(dir.path() / "city.db", cityConfig());
    checkKioskIsolation(server, server);
}

TEST_CASE("locations: a display sees its own location only (SQLite)") {
    TempDir dir;
    ServerProcess server(dir.path() / "city.db", cityConfig());
    checkDisplayIsolation(server, server);
}

TEST_CASE("locations: counter staff choose a location and work in its queue only (SQLite)") {
    TempDir dir;
    ServerProcess server(dir.path() / "city.db", cityConfig());
    checkCounterIsolation(server, server);
}

TEST_CASE("locations: managers and integrations see and change their own locations only (SQLite)") {
    TempDir dir;
    ServerProcess server(dir.path() / "city.db", cityConfig());
    checkManagerIsolation(server, server);
    // Each location's data live in their own file beside the named one.
    CHECK(std::filesystem::exists(dir.path() / "city.stadhuis.db"));
    CHECK(std::filesystem::exists(dir.path() / "city.noord.db"));
}

TEST_CASE("locations: the host's walk-ins, door answers and print jobs stay at its location (SQLite)") {
    TempDir dir;
    ServerProcess server(dir.path() / "city.db", cityConfig());
    checkHostIsolation(server, server);
}

TEST_CASE("locations: staff accounts made on /beheer work at the locations their managers give them (SQLite)") {
    TempDir dir;
    ServerProcess server(dir.path() / "city.db", cityConfig());
    checkStaffAccountIsolation(server);
}

TEST_CASE("locations: a location's queue survives a restart, apart from the others (SQLite)") {
    TempDir dir;
    {
        ServerProcess server(dir.path() / "city.db", cityConfig());
        ApiClient kiosk(server, "noord-kiosk-token");
        REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "restart-1"}}).status == 201);
        server.kill9();
    }
    ServerProcess again(dir.path() / "city.db", cityConfig());
    ApiClient kioskB(again, "noord-kiosk-token"), kioskA(again, "stadhuis-kiosk-token");
    auto b = kioskB.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "restart-2"}});
    auto a = kioskA.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "restart-3"}});
    CHECK(b.json["ticket"]["number"] == "B002");
    CHECK(a.json["ticket"]["number"] == "B001");
}

namespace {

// Every line of /metrics.
std::vector<std::string> metricLines(const ServerProcess& server) {
    std::istringstream text(ApiClient(server).get("/metrics").body);
    std::vector<std::string> lines;
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    return lines;
}

bool hasLine(const std::vector<std::string>& lines, const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

} // namespace

TEST_CASE("locations: /metrics gives every per-location figure a location label, each family once") {
    TempDir dir;
    ServerProcess server(dir.path() / "city.db", cityConfig());
    auto checkIn = [&](const std::string& token, const std::string& service, const std::string& key) {
        REQUIRE(ApiClient(server, token).post("/api/v1/tickets", {{"service", service}}, {{"Idempotency-Key", key}}).status == 201);
    };
    checkIn("noord-kiosk-token", "ophalen", "n1");
    checkIn("noord-kiosk-token", "ophalen", "n2");
    checkIn("stadhuis-kiosk-token", "paspoort", "s1");
    const auto lines = metricLines(server);
    CHECK(hasLine(lines, "loket_waiting{location=\"noord\",service=\"ophalen\"} 2"));
    CHECK(hasLine(lines, "loket_waiting{location=\"stadhuis\",service=\"paspoort\"} 1"));
    CHECK(hasLine(lines, "loket_waiting{location=\"stadhuis\",service=\"ophalen\"} 0"));
    CHECK(hasLine(lines, "loket_waiting{location=\"dorp\",service=\"ophalen\"} 0"));
    CHECK(hasLine(lines, "loket_tickets_issued_total{location=\"noord\"} 2"));
    CHECK(hasLine(lines, "loket_tickets_issued_total{location=\"stadhuis\"} 1"));
    CHECK(hasLine(lines, "loket_tickets_issued_total{location=\"dorp\"} 0"));
    CHECK(hasLine(lines, "loket_sse_clients{location=\"dorp\"} 0"));
    CHECK(hasLine(lines, "loket_call_wait_seconds_count{location=\"noord\"} 0"));
    CHECK(hasLine(lines, "loket_call_wait_seconds_bucket{location=\"noord\",le=\"+Inf\"} 0"));
    std::map<std::string, int> types;
    for (const auto& line : lines) {
        if (line.rfind("# TYPE ", 0) == 0) ++types[line.substr(7, line.find(' ', 7) - 7)];
        // Per-location figures never appear without their location (HTTP figures are the process's).
        for (const char* family : {"loket_waiting", "loket_tickets_issued_total", "loket_calls_total", "loket_commands_total",
                                   "loket_sse_clients", "loket_call_wait_seconds"})
            if (line.rfind(family, 0) == 0) CHECK(line.find("location=\"") != std::string::npos);
    }
    for (const auto& [family, count] : types) {
        INFO(family);
        CHECK(count == 1);
    }
    CHECK(types.count("loket_waiting") == 1);
}

TEST_CASE("locations: a one-location hall's /metrics has no location label") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    REQUIRE(ApiClient(server, "demo-kiosk-token").post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "k"}}).status == 201);
    const auto lines = metricLines(server);
    CHECK(hasLine(lines, "loket_waiting{service=\"ophalen\"} 1"));
    CHECK(hasLine(lines, "loket_tickets_issued_total 1"));
    CHECK(hasLine(lines, "loket_sse_clients 0"));
    CHECK(hasLine(lines, "loket_call_wait_seconds_count 0"));
    CHECK(hasLine(lines, "loket_call_wait_seconds_bucket{le=\"+Inf\"} 0"));
    for (const auto& line : lines) CHECK(line.find("location=") == std::string::npos);
}

namespace {

// The staff sessions in a SQLite file (the shared store of a city), or -1 when unreadable.
int sessionRows(const std::filesystem::path& db) {
    sqlite3* c = nullptr;
    int rows = -1;
    if (sqlite3_open_v2(db.c_str(), &c, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(c, 2000);
        sqlite3_stmt* q = nullptr;
        if (sqlite3_prepare_v2(c, "SELECT COUNT(*) FROM sessions", -1, &q, nullptr) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
            rows = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(c);
    return rows;
}

} // namespace

TEST_CASE("locations: a city deletes expired staff sessions from the shared store") {
    TempDir dir;
    const auto db = dir.path() / "city.db";
    {
        ServerProcess server(db, cityConfig(), {hallClockAt(9 * 3600)});
        loginDemo(server, "noord");
        loginDemo(server, "beheer-noord");
        CHECK(sessionRows(db) == 2);
    }
    {
        // The same morning: the sessions are valid and stay.
        ServerProcess server(db, cityConfig(), {hallClockAt(10 * 3600)});
        CHECK(ApiClient(server).get("/healthz").status == 200);
        CHECK(sessionRows(db) == 2);
    }
    // Two days later they have expired (12 hours): the server deletes them as it starts (its first
    // housekeeping round runs before it listens), though no location's day start touches the
    // shared store.
    ServerProcess server(db, cityConfig(), {hallClockAt(9 * 3600, 2)});
    CHECK(sessionRows(db) == 0);
    CHECK(ApiClient(server).get("/healthz").status == 200);
}

TEST_CASE("locations: a [[booking]] at the top of a city's file is refused with its line, [[location.booking]] is accepted") {
    const std::string city = cityText();
    const std::string top = "[[booking]]\nsystem = \"ics\"\nendpoint = \"https://agenda.example/feed.ics\"\n\n";
    const std::string text = replaced(city, "[[location]]\nid = \"stadhuis\"", top + "[[location]]\nid = \"stadhuis\"");
    CHECK(errorOf(text) == "city.toml:" + std::to_string(lineOf(text, "[[booking]]")) +
                               ": booking: put it inside its [[location]] ([[location.booking]]) when the file names locations");
    const std::string inside = replaced(city, "[[location]]\nid = \"noord\"",
                                        "[[location.booking]]\nsystem = \"ics\"\nendpoint = \"https://agenda.example/feed.ics\"\n\n"
                                        "[location.booking.products]\n\"Paspoort\" = \"paspoort\"\n\n[[location]]\nid = \"noord\"");
    auto c = parseServerConfig(inside, "city.toml");
    INFO((c ? std::string() : c.error().message));
    CHECK(c);
}
