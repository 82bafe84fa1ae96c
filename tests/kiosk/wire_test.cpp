#include "kiosk_test_support.hpp"

#include "shared/kiosk/ticket_mapping.hpp"
#include "shared/proto/client_parse.hpp"
#include "shared/kiosk/touch_metrics.hpp"

using namespace loket::kiosk;
using loket::core::textIn;
using loket::proto::parseIssuedTicket;
using loket::proto::parseServiceList;

TEST_CASE("wire: the service list keeps the line, what to bring and the online flag") {
    auto services = parseServiceList(R"([
      {"id":"paspoort","name":{"nl":"Paspoort","en":"Passport"},"prefix":"A","walk_in":true,"appointment":true,
       "expected_duration_s":600,"waiting":2,"estimated_wait_s":300,
       "description":{"nl":"Een nieuw paspoort","en":"A new passport"},"bring":{"nl":"pasfoto","en":"photo"},
       "online":false,"public_label":null},
      {"id":"huwelijk","name":{"nl":"Huwelijk"},"prefix":"H","walk_in":false,"appointment":true,
       "public_label":{"nl":"Balie H","en":"Counter H"},"online":true}])");
    REQUIRE(services);
    REQUIRE(services->size() == 2);
    CHECK(textIn(services->at(0).bring, "en") == "photo");
    CHECK(textIn(services->at(0).description, "tr") == "Een nieuw paspoort"); // no Turkish: Dutch
    CHECK_FALSE(services->at(1).walkIn);
    CHECK(services->at(1).online);
    CHECK(serviceLabel(services->at(1), "en") == "Counter H");
}

TEST_CASE("wire: bad service lists are errors with the path") {
    auto missingName = parseServiceList(R"([{"id":"x","prefix":"X"}])");
    REQUIRE_FALSE(missingName);
    CHECK(missingName.error().message == "services[0].name: missing");
    CHECK_FALSE(parseServiceList("{"));
    CHECK_FALSE(parseServiceList(R"({"services": 3})"));
}

TEST_CASE("wire: the check-in reply keeps no booking code and no name") {
    auto ticket = parseIssuedTicket(R"({"ticket":{"id":7,"number":"A012","service":"paspoort","services":["paspoort"],
        "kind":"appointment","status":"waiting","issued_at":"2026-11-23T09:15:00+01:00",
        "estimated_wait_range_s":[120,600],"language":"nl","public_code":"pc",
        "appointment":{"code":"K7Q2MX","starts_at":"2026-11-23T09:30:00+01:00","name":"J. Jansen"}},
        "visitor_url":"http://h/v/pc"})");
    REQUIRE(ticket);
    CHECK(ticket->ticket.number == "A012");
    CHECK(ticket->appointment);
    CHECK(ticket->appointmentStartsAt == "2026-11-23T09:30:00+01:00");
    CHECK(ticket->visitorUrl == "http://h/v/pc");

    auto content = toTicketContent(*ticket, nullptr, "nl", "Gemeente Katwijk");
    REQUIRE(content);
    CHECK(content->appointmentTimeLocal == "09:30");
    CHECK(content->issuedAtLocal == "23-11-2026 09:15");
    CHECK(content->waitLowMin == 2);
    CHECK(content->waitHighMin == 10);
    CHECK(content->hallName == "Gemeente Katwijk");
    for (const std::string* field : {&content->serviceLabel, &content->bring, &content->number, &content->visitorUrl}) {
        CHECK(field->find("K7Q2MX") == std::string::npos);
        CHECK(field->find("Jansen") == std::string::npos);
    }
}

TEST_CASE("wire: waits are rounded outward to whole minutes") {
    loket::proto::IssuedTicket t = loket::kiosk::testing::walkInTicket();
    t.waitLowS = 59;
    t.waitHighS = 61;
    CHECK(waitMinutes(t) == std::make_pair(0, 2));
    t.waitLowS.reset();
    CHECK_FALSE(waitMinutes(t).has_value());
}

TEST_CASE("wire: a reply with a broken time is an error, not a wrong ticket") {
    loket::proto::IssuedTicket t = loket::kiosk::testing::walkInTicket();
    t.issuedAt = "yesterday";
    CHECK_FALSE(toTicketContent(t, nullptr, "nl", ""));
}

TEST_CASE("metrics: touch targets are at least 15 mm and gaps 3 mm at any DPI") {
    for (double dpi : {72.0, 96.0, 102.5, 160.0, 300.0})
        for (bool large : {false, true}) {
            CAPTURE(dpi, large);
            const TouchMetrics m = touchMetrics(dpi, large);
            CHECK(pxToMm(m.minTargetPx, dpi) >= 15.0);
            CHECK(pxToMm(m.gapPx, dpi) >= 3.0);
        }
    CHECK(touchMetrics(100, true).bodyPx > touchMetrics(100, false).bodyPx);
}
