// Qmatic Calendar against a fake that speaks its REST API, with the real command handler.
#include "booking_fixture.hpp"
#include "fake_systems.hpp"

#include "shared/kiosk/kiosk_config.hpp"

#include <catch2/catch.hpp>

using namespace loket;
using namespace loket::test;

namespace {

const std::string kPaspoort = "1e0c3d34acb5a4ad0133b2927959e8";
const std::string kRijbewijs = "9b2f44e1c0d3a5b6c7d8e9f0a1b2c3";

QmaticAppointment qmatic(std::string id, std::vector<std::string> services, std::string utcStart, std::string utcEnd) {
    QmaticAppointment a;
    a.publicId = std::move(id);
    a.services = std::move(services);
    a.start = std::move(utcStart);
    a.end = std::move(utcEnd);
    return a;
}

} // namespace

TEST_CASE("qmatic: a normal day with UTC times, several customers and services, and a cancellation") {
    FakeQmatic fake("qmatic-api-key");
    fake.put(qmatic("d50517a0ae88cdbc495f7a32e011cb", {kPaspoort}, "2026-12-01T08:30:00.000+00:00", "2026-12-01T08:40:00.000+00:00"));
    QmaticAppointment family = qmatic("0c6e57cf66366b59a0d72245c4bbec31", {kPaspoort, kRijbewijs}, "2026-12-01T09:00:00.000+00:00",
                                      "2026-12-01T09:30:00.000+00:00");
    family.customers = 3;
    fake.put(family);
    TestHall hall;
    auto sync = makeSync(hall, {qmaticConfig(fake.endpoint())});
    sync->pullNow();

    const core::Appointment* a = hall.appointment("D50517A0AE88CDBC495F7A32E011CB");
    REQUIRE(a);
    CHECK(a->startsAt == local("2026-12-01", 9, 30)); // 08:30 UTC is 09:30 in Amsterdam in winter
    CHECK(a->durationS == 600);
    CHECK(a->name == "Piet Jansen");
    const core::Appointment* f = hall.appointment("0C6E57CF66366B59A0D72245C4BBEC31");
    REQUIRE(f);
    CHECK(f->persons == 3);
    CHECK(f->services.size() == 2);

    sync->pullNow();
    CHECK(sync->health().front().booked == 2); // unchanged: nothing written again

    family.status = 30; // cancelled in Qmatic
    fake.put(family);
    sync->pullNow();
    CHECK(hall.withdrawn("0C6E57CF66366B59A0D72245C4BBEC31"));
    CHECK(sync->health().front().withdrawn == 1);
}

TEST_CASE("qmatic: the kiosk scans a public id, one booked after the pull is looked up and checked in") {
    FakeQmatic fake("qmatic-api-key");
    TestHall hall;
    hall.setNow("2026-12-01", 9, 0);
    auto sync = makeSync(hall, {qmaticConfig(fake.endpoint())});
    sync->pullNow();
    fake.put(qmatic("e8c1b7a3f00d4c2b9a1e6f5d4c3b2a19", {kRijbewijs}, "2026-12-01T08:15:00.000+00:00", "2026-12-01T08:25:00.000+00:00"));

    auto config = kiosk::loadKioskConfig(std::string(LOKET_SOURCE_DIR) + "/firmware-config/kiosk.example.toml");
    REQUIRE(config);
    auto recognizer = kiosk::BookingCodeRecognizer::create(config->bookingCodes);
    REQUIRE(recognizer);
    auto code = recognizer->recognise("https://afspraken.gemeente.example/qmaticwebbooking/#/cancel/e8c1b7a3f00d4c2b9a1e6f5d4c3b2a19");
    REQUIRE(code);
    CHECK(*code == "E8C1B7A3F00D4C2B9A1E6F5D4C3B2A19");
    CHECK(hasTicket(hall.checkIn(*code, sync.get())));
    CHECK(sync->health().front().lookupsFound == 1);

    auto unknown = hall.checkIn("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", sync.get()); // 404 at Qmatic
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::UnknownAppointment);
}

TEST_CASE("qmatic: an appointment at another branch is not booked here") {
    FakeQmatic fake("qmatic-api-key");
    QmaticAppointment other = qmatic("abcdefabcdefabcdefabcdefabcdef01", {kPaspoort}, "2026-12-01T08:15:00.000+00:00", "");
    other.branch = "0000aaaa";
    fake.put(other);
    TestHall hall;
    hall.setNow("2026-12-01", 9, 0);
    auto sync = makeSync(hall, {qmaticConfig(fake.endpoint())});
    auto r = hall.checkIn("ABCDEFABCDEFABCDEFABCDEFABCDEF01", sync.get());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::UnknownAppointment);
}

TEST_CASE("qmatic: HTTP errors, a wrong API key and malformed JSON change nothing stored") {
    FakeQmatic fake("qmatic-api-key");
    fake.put(qmatic("d50517a0ae88cdbc495f7a32e011cb", {kPaspoort}, "2026-12-01T08:30:00.000+00:00", "2026-12-01T08:40:00.000+00:00"));
    TestHall hall;
    auto sync = makeSync(hall, {qmaticConfig(fake.endpoint())});
    sync->pullNow();
    REQUIRE(hall.bookedCount(date("2026-12-01")) == 1);

    fake.put(qmatic("d50517a0ae88cdbc495f7a32e011cb", {kPaspoort}, "2026-12-01T08:30:00.000+00:00", "2026-12-01T08:40:00.000+00:00"));
    for (FakeMode mode : {FakeMode::HttpError, FakeMode::Malformed}) {
        fake.setMode(mode);
        sync->pullNow();
        CHECK(hall.bookedCount(date("2026-12-01")) == 1);
        CHECK(sync->health().front().lastError.find(mode == FakeMode::HttpError ? "HTTP 503" : "malformed JSON") != std::string::npos);
    }
    fake.setMode(FakeMode::Normal);
    auto config = qmaticConfig(fake.endpoint());
    config.secret = "wrong-key";
    auto wrongKey = makeSync(hall, {config});
    wrongKey->pullNow();
    CHECK(wrongKey->health().front().lastError.find("HTTP 401") != std::string::npos);
    CHECK(wrongKey->health().front().lastError.find("wrong-key") == std::string::npos);
}

TEST_CASE("qmatic: an unknown service is named in an alert") {
    FakeQmatic fake("qmatic-api-key");
    fake.put(qmatic("d50517a0ae88cdbc495f7a32e011cb", {"77777777777777777777"}, "2026-12-01T08:30:00.000+00:00", ""));
    TestHall hall;
    auto sync = makeSync(hall, {qmaticConfig(fake.endpoint())});
    sync->pullNow();
    REQUIRE(hall.alerts().size() == 1);
    CHECK(hall.alerts().front().find("'77777777777777777777' is not mapped") != std::string::npos);
    CHECK(sync->metricsText().find("loket_booking_unknown_products{connector=\"qmatic\",system=\"qmatic\",instance=\"test-instance\"} 1") !=
          std::string::npos);
}
