// The real loket-server binary with a [[booking]] section pointing at the protocol-faithful JCC
// fake: appointments arrive in the book, a resident checks in at the kiosk with the number or the
// QR text of the confirmation, and the fake going down and coming back shows in the status,
// /metrics and the kiosk's answers. The hall's clock reads today 09:00 UTC (ServerProcess); the
// appointments are within the next half hour of that in Amsterdam (the check-in window).
#include "fake_systems.hpp"
#include "server_process.hpp"

#include <catch2/catch.hpp>
#include <date/tz.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

using namespace loket::test;

namespace {

// Today's date in UTC: the hall's clock is at 09:00 UTC today, 10:00 or 11:00 in Amsterdam.
std::string todayUtc() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

// "HH:MM:00" in Amsterdam, `minutes` after 09:00 UTC today (JCC sends local times without an offset).
// The tz database through the date library, as the server's hall clock reads it: no TZ variable
// changed under the test's other threads.
std::string amsterdamAfterNine(int minutes) {
    using namespace std::chrono;
    const auto today = floor<date::days>(system_clock::now());
    const auto at = date::make_zoned("Europe/Amsterdam", today + hours(9) + std::chrono::minutes(minutes));
    return date::format("%H:%M:00", floor<seconds>(at.get_local_time()));
}

JccAppointment at(std::string id, const std::string& day, int fromMinute, std::string qr = "") {
    JccAppointment a;
    a.id = std::move(id);
    a.productIds = "1";
    a.start = day + "T" + amsterdamAfterNine(fromMinute);
    a.end = day + "T" + amsterdamAfterNine(fromMinute + 10);
    a.qrText = std::move(qr);
    return a;
}

// Polls `condition` until it holds or `seconds` pass (the server pulls every 10 s at the least).
bool within(int seconds, const std::function<bool()>& condition) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < end) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return condition();
}

std::filesystem::path hallWithJcc(const TempDir& dir, const std::string& endpoint) {
    std::ifstream in(ServerProcess::defaultConfig());
    std::stringstream text;
    text << in.rdbuf() << "\n[[booking]]\nsystem = \"jcc\"\nname = \"jcc-stadhuis\"\nendpoint = \"" << endpoint
         << "\"\nlocation = \"1\"\nusername = \"loket\"\nsecret_env = \"LOKET_TEST_JCC_PASSWORD\"\npull_interval_s = 10\n"
         << "\n[booking.products]\n\"1\" = \"paspoort\"\n";
    const auto path = dir.path() / "hall.toml";
    std::ofstream(path) << text.str();
    return path;
}

Json connector(ApiClient& admin) {
    auto status = admin.get("/api/v1/booking/status");
    if (status.status != 200 || !status.json.contains("connectors") || status.json["connectors"].empty()) return Json::object();
    return status.json["connectors"][0];
}

// The /metrics line that starts with `prefix`, or "" when there is none.
std::string metricLine(const ServerProcess& server, const std::string& prefix) {
    std::istringstream text(ApiClient(server).get("/metrics").body);
    for (std::string line; std::getline(text, line);)
        if (line.rfind(prefix, 0) == 0) return line;
    return "";
}

int checkIn(ApiClient& kiosk, const std::string& code, const std::string& key) {
    return kiosk.post("/api/v1/tickets", {{"appointment_code", code}}, {{"Idempotency-Key", key}}).status;
}

} // namespace

TEST_CASE("jcc: the real hall server pulls JCC, checks a resident in, and shows JCC going down and coming back") {
    const std::string today = todayUtc();
    FakeJcc jcc;
    jcc.put(at("7100001", today, 5, "44b322c32c5329b135e1"));
    jcc.put(at("7100002", today, 15));
    jcc.put(at("7100003", today, 20));
    TempDir dir;
    ServerProcess server(dir.path() / "hall.sqlite", hallWithJcc(dir, jcc.endpoint()),
                         {hallClockAt(9 * 3600), "LOKET_TEST_JCC_PASSWORD=jcc-secret-for-tests"});
    ApiClient admin(server, "demo-admin-token");
    ApiClient kiosk(server, "demo-kiosk-token");

    // The pull at start brings the day's three appointments into the book.
    REQUIRE(within(20, [&] { return connector(admin).value("ok", false); }));
    Json c = connector(admin);
    CHECK(c["name"] == "jcc-stadhuis");
    CHECK(c["appointments"] == 3);
    CHECK(c["last_error"].is_null());
    CHECK(c["last_success"].get<std::string>().substr(0, 10) == today);
    CHECK(c["next_pull"].is_string());
    auto book = admin.get("/api/v1/appointments?date=" + today);
    REQUIRE(book.status == 200);
    CHECK(book.body.find("7100001") != std::string::npos);
    CHECK(book.body.find("7100003") != std::string::npos);
    CHECK(jcc.lastAuthorization().rfind("Basic ", 0) == 0);
    CHECK(server.stderrText().find("jcc-secret-for-tests") == std::string::npos);

    // The kiosk: the confirmation's QR text and a typed number each check a resident in.
    CHECK(checkIn(kiosk, "44b322c32c5329b135e1", "k1") == 201);
    CHECK(checkIn(kiosk, "7100002", "k2") == 201);

    // JCC goes down: the status says so (unreachable, the next attempt), /metrics too; a code
    // pulled earlier still checks in, and a code nobody pulled gets the kind 503.
    jcc.stop();
    REQUIRE(within(25, [&] { return connector(admin).value("last_error_kind", Json()) == "unreachable"; }));
    c = connector(admin);
    CHECK(c["ok"] == false);
    CHECK(c["pulls_failed"].get<int>() >= 1);
    CHECK(c["last_error_at"].is_string());
    CHECK(c["next_pull"].get<std::string>() > c["last_error_at"].get<std::string>());
    CHECK(c["appointments"] == 3); // what the last successful pull listed
    const std::string up = metricLine(server, "loket_booking_up{connector=\"jcc-stadhuis\",system=\"jcc\"");
    REQUIRE_FALSE(up.empty());
    CHECK(up.back() == '0');
    CHECK(checkIn(kiosk, "7100003", "k3") == 201);
    auto unknown = kiosk.post("/api/v1/tickets", {{"appointment_code", "7199999"}}, {{"Idempotency-Key", "k4"}});
    CHECK(unknown.status == 503);
    CHECK(unknown.json.value("error", Json::object()).value("code", "") == "booking_unavailable");
    auto alerts = admin.get("/api/v1/booking/status").json["alerts"];
    CHECK_FALSE(alerts.empty());

    // JCC is back: the next pull succeeds and a new booking arrives.
    jcc.put(at("7100004", today, 25));
    jcc.restart();
    REQUIRE(within(25, [&] { return connector(admin).value("ok", false); }));
    c = connector(admin);
    CHECK(c["last_error"].is_null());
    CHECK(c["last_error_kind"].is_null());
    CHECK(c["appointments"] == 4);
    CHECK(checkIn(kiosk, "7100004", "k5") == 201);
}

namespace {

// A [[location.booking]] of the JCC fake at `endpoint`, its product "1" as `service`.
std::string locationJcc(const std::string& name, const std::string& endpoint, const std::string& service) {
    return "[[location.booking]]\nsystem = \"jcc\"\nname = \"" + name + "\"\nendpoint = \"" + endpoint +
           "\"\nlocation = \"1\"\nusername = \"loket\"\nsecret_env = \"LOKET_TEST_JCC_PASSWORD\"\npull_interval_s = 10\n"
           "\n[location.booking.products]\n\"1\" = \"" + service + "\"\n\n";
}

// The city example with a booking system inside the locations stadhuis and noord (each section
// goes in just before the next [[location]], so it belongs to the one above).
std::filesystem::path cityWithAgendas(const TempDir& dir, const std::string& stadhuis, const std::string& noord) {
    std::ifstream in(std::filesystem::path(LOKET_SOURCE_DIR) / "firmware-config" / "city.example.toml");
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    auto before = [&](const std::string& anchor, const std::string& insert) {
        const auto at = text.find(anchor);
        REQUIRE(at != std::string::npos);
        text.insert(at, insert);
    };
    before("[[location]]\nid = \"noord\"", locationJcc("jcc", stadhuis, "paspoort"));
    before("[[location]]\nid = \"dorp\"", locationJcc("jcc", noord, "ophalen"));
    const auto path = dir.path() / "city.toml";
    std::ofstream(path) << text;
    return path;
}

} // namespace

TEST_CASE("locations: each location's booking system books into its own queue only") {
    const std::string today = todayUtc();
    FakeJcc stadhuisAgenda, noordAgenda; // two agendas in the booking system, one per location
    stadhuisAgenda.put(at("7100001", today, 5));
    stadhuisAgenda.put(at("7100002", today, 10));
    noordAgenda.put(at("7200001", today, 5));
    TempDir dir;
    ServerProcess server(dir.path() / "city.db", cityWithAgendas(dir, stadhuisAgenda.endpoint(), noordAgenda.endpoint()),
                         {hallClockAt(9 * 3600), "LOKET_TEST_JCC_PASSWORD=jcc-secret-for-tests"});
    ApiClient stadhuisAdmin(server, "stadhuis-admin-token");
    ApiClient noordAdmin(server, loginDemo(server, "beheer-noord"));

    // Each location's status names its own connector, and each pulled its own agenda.
    REQUIRE(within(20, [&] { return connector(stadhuisAdmin).value("ok", false) && connector(noordAdmin).value("ok", false); }));
    CHECK(connector(stadhuisAdmin)["appointments"] == 2);
    CHECK(connector(noordAdmin)["appointments"] == 1);
    CHECK(stadhuisAdmin.get("/api/v1/booking/status").json["connectors"].size() == 1);
    CHECK(noordAdmin.get("/api/v1/booking/status").json["connectors"].size() == 1);

    // Each book holds its own location's appointments only.
    auto stadhuisBook = stadhuisAdmin.get("/api/v1/appointments?date=" + today);
    auto noordBook = noordAdmin.get("/api/v1/appointments?date=" + today);
    REQUIRE(stadhuisBook.status == 200);
    REQUIRE(noordBook.status == 200);
    CHECK(stadhuisBook.body.find("7100001") != std::string::npos);
    CHECK(stadhuisBook.body.find("7100002") != std::string::npos);
    CHECK(stadhuisBook.body.find("7200001") == std::string::npos);
    CHECK(noordBook.body.find("7200001") != std::string::npos);
    CHECK(noordBook.body.find("7100001") == std::string::npos);

    // A kiosk checks in its own location's appointments; another location's code is unknown
    // there (its own booking system is asked, and does not know it).
    ApiClient stadhuisKiosk(server, "stadhuis-kiosk-token");
    ApiClient noordKiosk(server, "noord-kiosk-token");
    CHECK(checkIn(noordKiosk, "7100001", "n1") == 404);
    CHECK(checkIn(noordKiosk, "7200001", "n2") == 201);
    CHECK(checkIn(stadhuisKiosk, "7200001", "s1") == 404);
    CHECK(checkIn(stadhuisKiosk, "7100001", "s2") == 201);

    // /metrics: one series per location's connector, labelled with the location.
    CHECK(metricLine(server, "loket_booking_up{connector=\"jcc\",system=\"jcc\"").find("location=\"stadhuis\"") != std::string::npos);
    std::istringstream metrics(ApiClient(server).get("/metrics").body);
    int up = 0;
    for (std::string line; std::getline(metrics, line);)
        if (line.rfind("loket_booking_up{", 0) == 0) {
            ++up;
            CHECK((line.find("location=\"stadhuis\"") != std::string::npos || line.find("location=\"noord\"") != std::string::npos));
            CHECK(line.back() == '1');
        }
    CHECK(up == 2);
}
