// iCalendar feeds (an ICS URL) against a fake calendar server, with the real command handler.
#include "booking_fixture.hpp"
#include "fake_systems.hpp"

#include <catch2/catch.hpp>

using namespace loket;
using namespace loket::test;

namespace {

std::string event(const std::string& uid, const std::string& start, const std::string& categories, const std::string& extra = "") {
    return "UID:" + uid + "@agenda.gemeente.example\r\nDTSTAMP:20261120T100000Z\r\nDTSTART;TZID=Europe/Amsterdam:" + start +
           "\r\nDURATION:PT15M\r\nCATEGORIES:" + categories + "\r\nATTENDEE;CN=Sanne Bakker:mailto:sanne@example.nl\r\n" + extra;
}

} // namespace

TEST_CASE("ics feed: a day from an ICS URL, re-pulled unchanged, a cancelled event withdrawn") {
    FakeCalendar fake;
    fake.put("afspraak-1001", event("afspraak-1001", "20261201T093000", "Paspoort"), "20261201T083000Z");
    fake.put("afspraak-1002", event("afspraak-1002", "20261201T100000", "Paspoort,Rijbewijs"), "20261201T090000Z");
    fake.put("afspraak-1003", event("afspraak-1003", "20261202T100000", "Paspoort"), "20261202T090000Z"); // tomorrow
    TestHall hall;
    auto sync = makeSync(hall, {icsConfig(fake.feedUrl())});
    sync->pullNow();
    CHECK(hall.bookedCount(date("2026-12-01")) == 2);
    const core::Appointment* a = hall.appointment("AFSPRAAK1001");
    REQUIRE(a);
    CHECK(a->startsAt == local("2026-12-01", 9, 30));
    CHECK(a->name == "Sanne Bakker");
    CHECK_FALSE(hall.appointment("AFSPRAAK1003"));

    sync->pullNow();
    CHECK(sync->health().front().booked == 2);

    fake.put("afspraak-1002", event("afspraak-1002", "20261201T100000", "Paspoort,Rijbewijs", "STATUS:CANCELLED\r\n"), "20261201T090000Z");
    sync->pullNow();
    CHECK(hall.withdrawn("AFSPRAAK1002"));
    fake.remove("afspraak-1001"); // gone from the feed altogether
    sync->pullNow();
    CHECK(hall.withdrawn("AFSPRAAK1001"));
}

TEST_CASE("ics feed: a broken feed or a dead server changes nothing, a code is looked up in the feed") {
    FakeCalendar fake;
    fake.put("afspraak-3001", event("afspraak-3001", "20261201T083000", "Paspoort"), "20261201T073000Z");
    TestHall hall;
    auto sync = makeSync(hall, {icsConfig(fake.feedUrl())});
    sync->pullNow();
    REQUIRE(hall.bookedCount(date("2026-12-01")) == 1);

    fake.setMode(FakeMode::Malformed);
    fake.remove("afspraak-3001");
    sync->pullNow();
    CHECK(hall.bookedCount(date("2026-12-01")) == 1);
    CHECK(sync->health().front().lastError.find("iCalendar") != std::string::npos);

    fake.setMode(FakeMode::Normal);
    fake.put("afspraak-3002", event("afspraak-3002", "20261201T081500", "Rijbewijs"), "20261201T071500Z");
    auto r = hall.checkIn("AFSPRAAK3002", sync.get());
    REQUIRE(r);
    CHECK(hall.appointment("AFSPRAAK3002")->status == core::AppointmentStatus::CheckedIn);

    fake.stop();
    auto down = hall.checkIn("AFSPRAAK3009", sync.get());
    REQUIRE_FALSE(down);
    CHECK(down.error().code == ErrorCode::BookingUnavailable);
}
