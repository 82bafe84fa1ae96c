// The appointment import reads what booking systems and calendar programs really export.
#include "shared/proto/appointment_import.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace loket;
using namespace loket::core;

namespace {

constexpr std::int32_t kWinter = 3600; // the hall (Europe/Amsterdam) on 23 November: +01:00

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(LOKET_SOURCE_DIR) + "/tests/proto/fixtures/" + name, std::ios::binary);
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

Seconds hallTime(LocalDay day, std::int32_t secondOfDay) { return instantOf(day, secondOfDay, kWinter); }

LocalDay testDay() {
    LocalDay day = 0;
    parseDate("2026-11-23", day);
    return day;
}

Seconds at(int hh, int mm) { return hallTime(testDay(), hh * 3600 + mm * 60); }

proto::ParsedImport importIcs(const std::string& name) {
    auto parsed = proto::parseAppointmentsIcs(fixture(name), hallTime, "Europe/Amsterdam");
    for (const auto& e : parsed.errors) INFO("line " << e.line << ": " << e.message);
    CHECK(parsed.errors.empty());
    return parsed;
}

} // namespace

TEST_CASE("import: an Outlook export with its own time-zone names and escaped names imports as booked") {
    auto parsed = importIcs("outlook.ics");
    REQUIRE(parsed.rows.size() == 2);
    const BookAppointment& first = parsed.rows[0].command;
    CHECK(parsed.rows[0].line == 21);
    CHECK(first.code == "K7Q2MX"); // Outlook's UID is no code; SUMMARY ends with it
    CHECK(first.startsAt == at(9, 30)); // "W. Europe Standard Time" from the file's VTIMEZONE
    CHECK(first.day == testDay());
    CHECK(first.durationS == 15 * 60);
    CHECK(first.services == std::vector<std::string>{"paspoort"});
    CHECK(first.name == "Jansen, P."); // not "Jansen\, P."
    const BookAppointment& second = parsed.rows[1].command;
    CHECK(second.code == "R4TW8Z");
    CHECK(second.startsAt == at(14, 0));
    CHECK(second.services == std::vector<std::string>{"rijbewijs", "ophalen"});
    CHECK(second.name == "de Vries; M.");
}

TEST_CASE("import: a Google Calendar export in UTC with services in the title imports as booked") {
    auto parsed = importIcs("google.ics");
    REQUIRE(parsed.rows.size() == 2); // the cancelled event is left out
    const BookAppointment& first = parsed.rows[0].command;
    CHECK(first.code == "G8HJ3K");
    CHECK(first.startsAt == at(10, 0)); // 09:00Z is 10:00 in the hall
    CHECK(first.durationS == 15 * 60);
    CHECK(first.services == std::vector<std::string>{"paspoort"});
    CHECK(first.name == "Bakker, M.");
    const BookAppointment& second = parsed.rows[1].command;
    CHECK(second.code == "N5PQ7W");
    CHECK(second.startsAt == at(10, 30));
    CHECK(second.durationS == 30 * 60);
    CHECK(second.services == std::vector<std::string>{"paspoort", "ophalen"});
}

TEST_CASE("import: a Thunderbird export with Loket's own fields and a DURATION imports as booked") {
    auto parsed = importIcs("thunderbird.ics");
    REQUIRE(parsed.rows.size() == 2);
    const BookAppointment& first = parsed.rows[0].command;
    CHECK(first.code == "V7KX9M");
    CHECK(first.startsAt == at(15, 0));
    CHECK(first.durationS == 10 * 60);
    CHECK(first.services == std::vector<std::string>{"verhuizing"});
    CHECK(first.name == "Yılmaz, A.");
    const BookAppointment& second = parsed.rows[1].command;
    CHECK(second.code == "H2JK4M");
    CHECK(second.startsAt == at(16, 15));
    CHECK(second.durationS == 20 * 60);
    CHECK(second.name.empty());
}

TEST_CASE("import: a bad event is reported on its line, with what to fix") {
    const std::string ics =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nUID:ICSA22\r\nDTSTART:20261123T10\r\nCATEGORIES:paspoort\r\nEND:VEVENT\r\n"             // 3: bad DTSTART on 5
        "BEGIN:VEVENT\r\nUID:ICSB22\r\nDTSTART;TZID=Mars/Olympus:20261123T100000\r\nCATEGORIES:paspoort\r\nEND:VEVENT\r\n" // 8
        "BEGIN:VEVENT\r\nUID:ICSC22\r\nDTSTART;VALUE=DATE:20261123\r\nCATEGORIES:paspoort\r\nEND:VEVENT\r\n"  // 13: all day
        "BEGIN:VEVENT\r\nUID:ICSD22\r\nDTSTART:20261123T100000Z\r\nEND:VEVENT\r\n"                              // 18: no services
        "BEGIN:VEVENT\r\nUID:1@example.org\r\nDTSTART:20261123T100000Z\r\nCATEGORIES:paspoort\r\nEND:VEVENT\r\n"  // 22: no code
        "BEGIN:VEVENT\r\nUID:ICSE22\r\nDTSTART;TZID=America/New_York:20261123T040000\r\nCATEGORIES:paspoort\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    auto parsed = proto::parseAppointmentsIcs(ics, hallTime, "Europe/Amsterdam");
    REQUIRE(parsed.errors.size() == 5);
    CHECK(parsed.errors[0].line == 5);
    CHECK(parsed.errors[1].line == 10);
    CHECK(parsed.errors[1].message.find("Mars/Olympus") != std::string::npos);
    CHECK(parsed.errors[2].line == 15);
    CHECK(parsed.errors[2].message.find("whole day") != std::string::npos);
    CHECK(parsed.errors[3].line == 18);
    CHECK(parsed.errors[4].line == 23);
    // A zone libical knows by name converts exactly: 04:00 in New York is 10:00 in the hall.
    REQUIRE(parsed.rows.size() == 1);
    CHECK(parsed.rows[0].command.startsAt == at(10, 0));
    CHECK_FALSE(proto::parseAppointmentsIcs("code,date\n", hallTime, "Europe/Amsterdam").errors.empty());
}

TEST_CASE("import: a file in another encoding is refused per line and nothing of it is read") {
    const std::string csv = "code,date,time,services,name\n"
                            "K7Q2MX,2026-11-23,09:30,paspoort,P. Jansen\n"
                            "R4TW8Z,2026-11-23,10:00,paspoort,M\xFCller\n"      // Latin-1 ü
                            "N5PQ7W,2026-11-23,10:30,paspoort,G\xF6k\xE7\x65n\n"; // Latin-1 ö, ç
    auto parsed = proto::parseAppointmentsCsv(csv, hallTime);
    CHECK(parsed.rows.empty());
    REQUIRE(parsed.errors.size() == 2);
    CHECK(parsed.errors[0].line == 3);
    CHECK(parsed.errors[0].message.find("0xFC") != std::string::npos);
    CHECK(parsed.errors[0].message.find("UTF-8") != std::string::npos);
    CHECK(parsed.errors[1].line == 4);
    for (const auto& e : parsed.errors) CHECK_FALSE(core::invalidUtf8At(e.message)); // the report itself is valid text

    std::string ics = fixture("thunderbird.ics");
    ics.replace(ics.find("Verhuizing"), 10, "Verhuizing M\xFCller");
    auto calendar = proto::parseAppointmentsIcs(ics, hallTime, "Europe/Amsterdam");
    CHECK(calendar.rows.empty());
    REQUIRE(calendar.errors.size() == 1);
    CHECK(calendar.errors[0].line == 27);

    // The same names in UTF-8 import.
    auto utf8 = proto::parseAppointmentsCsv("code,date,time,services,name\nR4TW8Z,2026-11-23,10:00,paspoort,Müller\n", hallTime);
    REQUIRE(utf8.rows.size() == 1);
    CHECK(utf8.rows[0].command.name == "Müller");
}
