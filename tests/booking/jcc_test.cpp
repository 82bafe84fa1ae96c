// JCC GGS2 (SOAP) and JCC REST against fakes that speak the protocol, with the real command handler.
#include "booking_fixture.hpp"
#include "fake_systems.hpp"

#include "shared/kiosk/kiosk_config.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace loket;
using namespace loket::test;

namespace {

JccAppointment jcc(std::string id, std::string products, int hour, int minute, std::string qr = "") {
    char start[32], end[32];
    std::snprintf(start, sizeof start, "2026-12-01T%02d:%02d:00", hour, minute);
    std::snprintf(end, sizeof end, "2026-12-01T%02d:%02d:00", hour, minute + 15);
    JccAppointment a;
    a.id = std::move(id);
    a.productIds = std::move(products);
    a.start = start;
    a.end = end;
    a.qrText = std::move(qr);
    return a;
}

kiosk::BookingCodeRecognizer shippedRecognizer() {
    auto config = kiosk::loadKioskConfig(std::string(LOKET_SOURCE_DIR) + "/firmware-config/kiosk.example.toml");
    REQUIRE(config);
    auto recognizer = kiosk::BookingCodeRecognizer::create(config->bookingCodes);
    REQUIRE(recognizer);
    return std::move(*recognizer);
}

} // namespace

TEST_CASE("jcc: a normal day is pulled into the book with JCC's ids as codes and its local times") {
    FakeJcc fake;
    fake.put(jcc("1000001", "1", 9, 0));
    fake.put(jcc("1000002", "2", 9, 30));
    fake.put(jcc("1000003", "5", 14, 0));
    JccAppointment elsewhere = jcc("1000004", "1", 10, 0);
    elsewhere.location = "2"; // another location of the municipality
    fake.put(elsewhere);
    TestHall hall;
    auto sync = makeSync(hall, {jccConfig(fake.endpoint())});
    sync->pullNow();

    CHECK(hall.bookedCount(date("2026-12-01")) == 3);
    const core::Appointment* a = hall.appointment("1000001");
    REQUIRE(a);
    CHECK(a->startsAt == local("2026-12-01", 9, 0)); // JCC's 09:00 is hall time
    CHECK(a->durationS == 15 * 60);
    CHECK(a->name == "J. Jansen");
    CHECK(hall.appointment("1000003")->services.size() == 1);
    CHECK_FALSE(hall.appointment("1000004"));
    CHECK(fake.lastAuthorization().rfind("Basic ", 0) == 0);
    auto health = sync->health().front();
    CHECK(health.lastSuccess == hall.now().t);
    CHECK(health.lastError.empty());
    CHECK(health.appointments == 3);
    CHECK(sync->metricsText().find("loket_booking_appointments{connector=\"jcc\",system=\"jcc\",instance=\"test-instance\"} 3") !=
          std::string::npos);
}

TEST_CASE("jcc: multi-person and multi-product appointments are one visit for all of them") {
    FakeJcc fake;
    fake.put(jcc("2000001", "1,2,1", 10, 0));
    TestHall hall;
    auto sync = makeSync(hall, {jccConfig(fake.endpoint())});
    sync->pullNow();
    const core::Appointment* a = hall.appointment("2000001");
    REQUIRE(a);
    CHECK(a->services.size() == 2);
    CHECK(a->persons == 2);
}

TEST_CASE("jcc: a re-pull changes nothing, a cancelled appointment is withdrawn, names can be left out") {
    FakeJcc fake;
    fake.put(jcc("3000001", "1", 9, 0));
    fake.put(jcc("3000002", "2", 9, 30));
    TestHall hall;
    auto config = jccConfig(fake.endpoint());
    config.keepNames = false;
    auto sync = makeSync(hall, {config});
    sync->pullNow();
    CHECK(sync->health().front().booked == 2);
    CHECK(hall.appointment("3000001")->name.empty());

    sync->pullNow();
    CHECK(sync->health().front().booked == 2); // the core answered "no change" for both

    fake.remove("3000002"); // cancelled in JCC
    sync->pullNow();
    CHECK(sync->health().front().withdrawn == 1);
    CHECK(hall.withdrawn("3000002"));
    CHECK(hall.checkIn("3000002", sync.get()).error().code == ErrorCode::UnknownAppointment);
    CHECK(hall.appointment("3000001")->status == core::AppointmentStatus::Booked);
}

TEST_CASE("jcc: after a restart, a cancellation made meanwhile is still withdrawn") {
    FakeJcc fake;
    fake.put(jcc("4000001", "1", 9, 0));
    fake.put(jcc("4000002", "1", 9, 30));
    TestHall hall;
    makeSync(hall, {jccConfig(fake.endpoint())})->pullNow();
    fake.remove("4000002");
    auto restarted = makeSync(hall, {jccConfig(fake.endpoint())}); // knows nothing of the first pull
    restarted->pullNow();
    CHECK(hall.withdrawn("4000002"));
    CHECK(hall.appointment("4000001")->status == core::AppointmentStatus::Booked);
}

TEST_CASE("jcc: a SOAP fault, an HTTP error or malformed XML is a clear error and changes nothing stored") {
    auto mode = GENERATE(FakeMode::SoapFault, FakeMode::HttpError, FakeMode::Malformed);
    FakeJcc fake;
    fake.put(jcc("5000001", "1", 9, 0));
    fake.put(jcc("5000002", "1", 9, 30));
    TestHall hall;
    hall.setNow("2026-12-01", 8, 45);
    auto sync = makeSync(hall, {jccConfig(fake.endpoint())});
    sync->pullNow();
    REQUIRE(hall.bookedCount(date("2026-12-01")) == 2);

    fake.setMode(mode);
    fake.remove("5000002");
    sync->pullNow();
    CHECK(hall.bookedCount(date("2026-12-01")) == 2); // nothing withdrawn on a failed pull
    const auto health = sync->health().front();
    CHECK(health.pullsFailed == 1);
    const std::string expected = mode == FakeMode::SoapFault   ? "SOAP fault (soap:Server)"
                                 : mode == FakeMode::HttpError ? "HTTP 503"
                                                               : "malformed XML";
    CHECK(health.lastError.find(expected) != std::string::npos);
    // The dashboard's plain-language line comes from the kind, not from the message.
    const auto status = sync->statusJson()["connectors"][0];
    CHECK(status["last_error_kind"] == (mode == FakeMode::SoapFault ? "fault" : mode == FakeMode::HttpError ? "http_error" : "malformed"));
    CHECK(status["last_error_status"] == (mode == FakeMode::HttpError ? nlohmann::json(503) : nlohmann::json()));
    CHECK(status["next_pull"] == hall.now().t + 300);
    REQUIRE_FALSE(hall.alerts().empty());
    CHECK(hall.alerts().back().find("still work") != std::string::npos);
    CHECK(sync->metricsText().find("loket_booking_up{connector=\"jcc\",system=\"jcc\",instance=\"test-instance\"} 0") !=
          std::string::npos);
    CHECK(hasTicket(hall.checkIn("5000001", sync.get()))); // codes pulled earlier still work
}

TEST_CASE("jcc: a slow system is given up after the lookup timeout, the kiosk hears 'unavailable' and staff an alert") {
    FakeJcc fake;
    fake.put(jcc("6000001", "1", 9, 0));
    TestHall hall;
    hall.setNow("2026-12-01", 8, 45);
    auto config = jccConfig(fake.endpoint());
    config.lookupTimeout = std::chrono::milliseconds(300);
    auto sync = makeSync(hall, {config});
    sync->pullNow();

    fake.setMode(FakeMode::Slow);
    const auto started = std::chrono::steady_clock::now();
    auto unknown = hall.checkIn("6000099", sync.get());
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::BookingUnavailable);
    CHECK(unknown.error().message.find("cannot check this booking right now") != std::string::npos);
    CHECK(took < std::chrono::milliseconds(1500));
    CHECK(hall.alerts().back().find("could not be checked") != std::string::npos);
    CHECK(hasTicket(hall.checkIn("6000001", sync.get()))); // pulled earlier: no question asked
    fake.setMode(FakeMode::Normal);
}

TEST_CASE("jcc: a dead system: pulls fail clearly, lookups answer 'unavailable' within the timeout") {
    std::string url;
    {
        FakeJcc gone;
        url = gone.endpoint();
    } // stopped: the port refuses connections
    TestHall hall;
    auto sync = makeSync(hall, {jccConfig(url)});
    sync->pullNow();
    CHECK_FALSE(sync->health().front().lastError.empty());
    CHECK(sync->statusJson()["connectors"][0]["ok"] == false);
    CHECK(sync->statusJson()["connectors"][0]["last_error_kind"] == "unreachable");
    auto r = hall.checkIn("7000001", sync.get());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::BookingUnavailable);
}

TEST_CASE("jcc: the kiosk scans a confirmation QR or types the number and is checked in") {
    FakeJcc fake;
    fake.put(jcc("8000001", "1", 9, 0, "44b322c32c5329b135e1"));
    TestHall hall;
    hall.setNow("2026-12-01", 8, 50);
    auto sync = makeSync(hall, {jccConfig(fake.endpoint())});
    sync->pullNow();
    const auto recognizer = shippedRecognizer();

    // The QR text of the confirmation: the kiosk sends it; the server knows it from the pull.
    auto scanned = recognizer.recognise("44b322c32c5329b135e1");
    REQUIRE(scanned);
    CHECK(hasTicket(hall.checkIn(*scanned, sync.get())));
    CHECK(hall.appointment("8000001")->status == core::AppointmentStatus::CheckedIn);

    // Booked after the last pull: looked up at check-in, booked and checked in at once.
    fake.put(jcc("8000002", "2", 9, 10));
    auto typed = recognizer.recognise("Afspraaknummer: 8000002");
    REQUIRE(typed);
    CHECK(*typed == "8000002");
    CHECK(hasTicket(hall.checkIn(*typed, sync.get())));
    CHECK(sync->health().front().lookupsFound == 1);

    // A number JCC does not know stays unknown (not a system failure).
    auto unknown = hall.checkIn("8000009", sync.get());
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::UnknownAppointment);
}

TEST_CASE("jcc: an unknown product is named in an alert, not dropped silently") {
    FakeJcc fake;
    fake.put(jcc("9000001", "1,42", 9, 0));
    fake.put(jcc("9000002", "42", 10, 0));
    TestHall hall;
    auto sync = makeSync(hall, {jccConfig(fake.endpoint())});
    sync->pullNow();
    CHECK(hall.appointment("9000001"));       // booked for the product it could map
    CHECK_FALSE(hall.appointment("9000002")); // nothing to book it for
    const auto alerts = hall.alerts();
    REQUIRE(alerts.size() == 1); // once per product and day
    CHECK(alerts.front().find("Product '42' is not mapped") != std::string::npos);
    CHECK(sync->statusJson()["connectors"][0]["unknown_products"] == nlohmann::json::array({"42"}));
}

TEST_CASE("jcc: tomorrow is pulled as well from the configured time of day") {
    FakeJcc fake;
    JccAppointment tomorrow = jcc("9100001", "1", 9, 0);
    tomorrow.start = "2026-12-02T09:00:00";
    tomorrow.end = "2026-12-02T09:15:00";
    fake.put(tomorrow);
    TestHall hall;
    auto sync = makeSync(hall, {jccConfig(fake.endpoint())});
    sync->pullNow();
    CHECK_FALSE(hall.appointment("9100001")); // 08:00: only today
    hall.setNow("2026-12-01", 15, 30);
    sync->pullNow();
    REQUIRE(hall.appointment("9100001"));
    CHECK(hall.appointment("9100001")->day == date("2026-12-02"));
}

TEST_CASE("jcc: rest: a day with a token, numbers as codes, persons and cancellations") {
    FakeJccRest fake("loket-client", "geheim-rest");
    JccRestAppointment a;
    a.id = "0f8fad5b";
    a.number = 31000001;
    a.activities = {{"2e656741", 1}, {"7a1c9e02", 1}};
    a.start = "2026-12-01T11:00:00";
    a.end = "2026-12-01T11:20:00";
    a.customers = 2;
    fake.put(a);
    JccRestAppointment b = a;
    b.id = "7c9e6679";
    b.number = 31000002;
    b.activities = {{"2e656741", 1}};
    b.customers = 1;
    b.start = "2026-12-01T11:30:00";
    fake.put(b);
    TestHall hall;
    auto sync = makeSync(hall, {jccRestConfig(fake.endpoint())});
    sync->pullNow();
    REQUIRE(hall.appointment("31000001"));
    CHECK(hall.appointment("31000001")->persons == 2);
    CHECK(hall.appointment("31000001")->services.size() == 2);
    CHECK(hall.appointment("31000001")->startsAt == local("2026-12-01", 11, 0));

    fake.remove(31000002);
    sync->pullNow();
    CHECK(hall.withdrawn("31000002"));

    // Booked after the pull: found on demand by its number.
    JccRestAppointment c = b;
    c.number = 31000003;
    c.start = "2026-12-01T08:20:00";
    fake.put(c);
    CHECK(hasTicket(hall.checkIn("31000003", sync.get())));
}

TEST_CASE("jcc: rest: a wrong secret and malformed JSON are clear errors") {
    FakeJccRest fake("loket-client", "the-right-one");
    TestHall hall;
    auto sync = makeSync(hall, {jccRestConfig(fake.endpoint())});
    sync->pullNow();
    CHECK(sync->health().front().lastError.find("HTTP 401") != std::string::npos);
    CHECK(sync->health().front().lastErrorKind == "login");
    CHECK(sync->health().front().lastError.find("geheim") == std::string::npos); // never the secret

    FakeJccRest broken("loket-client", "geheim-rest");
    broken.setMode(FakeMode::Malformed);
    auto sync2 = makeSync(hall, {jccRestConfig(broken.endpoint())});
    sync2->pullNow();
    CHECK(sync2->health().front().lastError.find("malformed JSON") != std::string::npos);
}
