// The appointment book: import from CSV and iCalendar, all or nothing, with a line-by-line report;
// importing the same file twice changes nothing.
#include "server_process.hpp"

#include <catch2/catch.hpp>

using namespace loket::test;

namespace {
std::string compact(std::string date) {
    date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
    return date;
}
} // namespace

TEST_CASE("appointments: a CSV import with a bad row stores nothing and reports each bad one by line") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    const std::string d = hallDate(server);
    const std::string csv =
        "code,date,time,services,duration_min,persons,name\n"
        "K7Q2MX," + d + ",23:50,paspoort,10,1,J. de Vries\n"
        "K7Q2MY," + d + ",23:55,paspoort+ophalen,,2,\"Jansen, P.\"\n"
        "BAD1," + d + ",10:00,paspoort,10,1,te kort\n"        // line 4: code too short
        "K7Q2MZ,2026-13-01,10:00,paspoort,10,1,\n"             // line 5: no such date
        "K7Q2MW," + d + ",25:00,paspoort,10,1,\n"              // line 6: no such time
        "K7Q2MV," + d + ",10:00,zwemdiploma,10,1,\n"           // line 7: unknown service
        "K7Q2MU," + d + ",10:00,huwelijk,abc,1,\n";            // line 8: duration not a number
    auto r = admin.postRaw("/api/v1/appointments/import", csv, "text/csv");
    INFO(r.body);
    REQUIRE(r.status == 422);
    CHECK(r.json["imported"] == 0);
    REQUIRE(r.json["errors"].size() == 5);
    std::vector<int> lines;
    for (auto& e : r.json["errors"]) lines.push_back(e["line"]);
    CHECK(lines == std::vector<int>{4, 5, 6, 7, 8});
    CHECK(admin.get("/api/v1/appointments?date=" + d).json.empty());

    const std::string good = csv.substr(0, csv.find("BAD1"));
    auto stored = admin.postRaw("/api/v1/appointments/import", good, "text/csv");
    REQUIRE(stored.status == 200);
    CHECK(stored.json["imported"] == 2);
    CHECK(stored.json["updated"] == 0);
    CHECK(stored.json["errors"].empty());
    auto list = admin.get("/api/v1/appointments?date=" + d);
    REQUIRE(list.json.size() == 2);
    CHECK(list.json[1]["services"] == Json::array({"paspoort", "ophalen"}));
    CHECK(list.json[1]["name"] == "Jansen, P.");
    CHECK(list.json[1]["persons"] == 2);

    auto again = admin.postRaw("/api/v1/appointments/import", good, "text/csv");
    CHECK(again.json["imported"] == 0);
    CHECK(again.json["updated"] == 0);
    CHECK(again.json["skipped"] == 2);
    CHECK(admin.get("/api/v1/appointments?date=" + d).json.size() == 2);

    REQUIRE(admin.del("/api/v1/appointments/K7Q2MY").status == 200);
    CHECK(admin.get("/api/v1/appointments?date=" + d).json.size() == 1);
    CHECK(admin.del("/api/v1/appointments/K7Q2MY").status == 404);
}

TEST_CASE("appointments: an iCalendar import reads codes, services, times and durations") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    const std::string d = compact(hallDate(server));
    const std::string ics =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Afspraken//NL\r\n"
        "BEGIN:VEVENT\r\nUID:ICSA22@afspraken.example\r\nDTSTART:" + d + "T235000\r\nDURATION:PT15M\r\n"
        "CATEGORIES:rijbewijs\r\nATTENDEE;CN=\"M. Bakker\":mailto:m@example.org\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nX-LOKET-CODE:ICSB22\r\nDTSTART;TZID=Europe/Amsterdam:" + d + "T235500\r\nDTEND;TZID=Europe/Amsterdam:" + d + "T235900\r\n"
        "CATEGORIES:paspoort,ophalen\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    std::string bad = ics;
    bad.insert(bad.find("END:VCALENDAR"), "BEGIN:VEVENT\r\nUID:ICSC22\r\nDTSTART:" + d + "T10\r\nCATEGORIES:paspoort\r\nEND:VEVENT\r\n");
    auto refused = admin.postRaw("/api/v1/appointments/import", bad, "text/calendar");
    INFO(refused.body);
    REQUIRE(refused.status == 422);
    REQUIRE(refused.json["errors"].size() == 1);
    CHECK(refused.json["errors"][0]["line"] == 19); // the DTSTART line of the third event
    CHECK(admin.get("/api/v1/appointments").json.empty());

    auto r = admin.postRaw("/api/v1/appointments/import", ics, "text/calendar");
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json["imported"] == 2);
    CHECK(r.json["errors"].empty());
    auto list = admin.get("/api/v1/appointments");
    REQUIRE(list.json.size() == 2);
    CHECK(list.json[0]["code"] == "ICSA22");
    CHECK(list.json[0]["duration_s"] == 900);
    CHECK(list.json[0]["name"] == "M. Bakker");
    CHECK(list.json[1]["duration_s"] == 240);
    CHECK(admin.postRaw("/api/v1/appointments/import", ics, "text/calendar").json["skipped"] == 2);
}

TEST_CASE("appointments: only the admin role manages the book, and bad files are refused clearly") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient staff(server, loginDemo(server));
    CHECK(staff.postRaw("/api/v1/appointments/import", "code\n", "text/csv").status == 403);
    ApiClient admin(server, "demo-admin-token");
    auto wrongType = admin.postRaw("/api/v1/appointments/import", "x", "application/pdf");
    CHECK(wrongType.status == 400);
    auto noHeader = admin.postRaw("/api/v1/appointments/import", "K7Q2MX;2026-11-23\n", "text/csv");
    CHECK(noHeader.status == 422);
    CHECK(noHeader.json["errors"].size() == 1);
    // A Latin-1 file: refused line by line with a clear answer, never a 500, and nothing kept.
    auto latin1 = admin.postRaw("/api/v1/appointments/import",
                                "code,date,time,services,name\nK7Q2MX,2026-11-23,09:30,paspoort,P. Jansen\n"
                                "R4TW8Z,2026-11-23,10:00,paspoort,M\xFCller\n",
                                "text/csv");
    CHECK(latin1.status == 422);
    REQUIRE(latin1.json["errors"].size() == 1);
    CHECK(latin1.json["errors"][0]["line"] == 3);
    CHECK(admin.get("/api/v1/appointments?date=2026-11-23").json.empty());
    CHECK(admin.post("/api/v1/appointments", {{"code", "K7Q2MX"}, {"service", "paspoort"}, {"starts_at", "tomorrow"}}).status == 400);
}
