// The pure side: each system's messages parsed into appointments, and the product map.
#include "booking_fixture.hpp"

#include "shared/booking/ics_feed.hpp"
#include "shared/booking/jcc_rest.hpp"
#include "shared/booking/jcc_soap.hpp"
#include "shared/booking/qmatic.hpp"

#include <catch2/catch.hpp>

using namespace loket;
using namespace loket::test;
using loket::booking::ForeignAppointment;

namespace {

// As JCC answers getGovAppointmentDetails (shape of the recorded exchanges, our own data).
const char* kJccDetails = R"(<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
   <soap:Body>
      <getGovAppointmentDetailsResponse xmlns="http://www.genericCBS.org/GenericCBS/">
         <appointment xmlns="">
            <productID>1,2,1</productID>
            <clientLastName>de Vries</clientLastName>
            <clientSex>V</clientSex>
            <clientDateOfBirth>1975-04-12</clientDateOfBirth>
            <clientInitials>A.B.</clientInitials>
            <clientAddress>Kerkstraat 12</clientAddress>
            <clientPostalCode>2222 BB</clientPostalCode>
            <clientCity>Katwijk</clientCity>
            <clientTel>0612345678</clientTel>
            <clientMail>a.devries@example.nl</clientMail>
            <locationID>1</locationID>
            <appStartTime>2026-07-01T09:00:00</appStartTime>
            <appEndTime>2026-07-01T09:20:00</appEndTime>
            <appointmentDesc>BSN 123456782</appointmentDesc>
            <isClientVerified>false</isClientVerified>
         </appointment>
      </getGovAppointmentDetailsResponse>
   </soap:Body>
</soap:Envelope>)";

bool mentions(const ForeignAppointment& a, const std::string& text) {
    for (const std::string* field : {&a.code, &a.name, &a.qrText, &a.location})
        if (field->find(text) != std::string::npos) return true;
    for (const auto& p : a.products)
        if (p.find(text) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("jcc: details keep code, products, local time and the name, and nothing else of the client") {
    auto parsed = loket::booking::jcc::parseAppointmentDetails(kJccDetails, "1234567", amsterdam());
    REQUIRE(parsed);
    REQUIRE(parsed->has_value());
    const ForeignAppointment& a = **parsed;
    CHECK(a.code == "1234567");
    CHECK(a.products == std::vector<std::string>{"1", "2", "1"});
    // JCC sends local time without an offset: 09:00 in July is 07:00 UTC (summer time).
    CHECK(a.startsAt == core::instantOf(date("2026-07-01"), 7 * 3600, 0));
    CHECK(a.endsAt - a.startsAt == 20 * 60);
    CHECK(a.day == date("2026-07-01"));
    CHECK(a.name == "A.B. de Vries");
    for (const char* secret : {"1975", "Kerkstraat", "2222", "Katwijk", "0612345678", "example.nl", "123456782"})
        CHECK_FALSE(mentions(a, secret));
}

TEST_CASE("jcc: a winter appointment is one hour from UTC, a summer one two") {
    auto winter = loket::booking::parseDateTime("2026-12-01T09:00:00", amsterdam());
    auto summer = loket::booking::parseDateTime("2026-07-01T09:00:00", amsterdam());
    REQUIRE(winter);
    REQUIRE(summer);
    CHECK(*winter == core::instantOf(date("2026-12-01"), 8 * 3600, 0));
    CHECK(*summer == core::instantOf(date("2026-07-01"), 7 * 3600, 0));
    CHECK(*loket::booking::parseDateTime("2026-12-01T08:00:00.000+00:00", amsterdam()) == *winter);
    CHECK(*loket::booking::parseDateTime("2026-12-01T08:00:00Z", amsterdam()) == *winter);
    CHECK_FALSE(loket::booking::parseDateTime("2026-13-01T09:00:00", amsterdam()));
    CHECK_FALSE(loket::booking::parseDateTime("gisteren", amsterdam()));
}

TEST_CASE("jcc: a SOAP fault and malformed XML are clear errors") {
    const char* fault = R"(<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>
        <faultcode>soap:Server</faultcode><faultstring>Database timeout</faultstring></soap:Fault></soap:Body></soap:Envelope>)";
    auto f = loket::booking::jcc::parseAppointmentIds(fault);
    REQUIRE_FALSE(f);
    CHECK(f.error().code == ErrorCode::Unavailable);
    CHECK(f.error().message.find("SOAP fault (soap:Server): Database timeout") != std::string::npos);
    auto m = loket::booking::jcc::parseAppointmentIds("<soap:Envelope><soap:Body><getGov");
    REQUIRE_FALSE(m);
    CHECK(m.error().code == ErrorCode::InvalidValue);
    CHECK(m.error().message.find("malformed XML") != std::string::npos);
    auto empty = loket::booking::jcc::parseAppointmentDetails(
        R"(<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><getGovAppointmentDetailsResponse xmlns="http://www.genericCBS.org/GenericCBS/"/></s:Body></s:Envelope>)",
        "99", amsterdam());
    REQUIRE(empty);
    CHECK_FALSE(empty->has_value());
}

TEST_CASE("jcc: the request is a SOAP 1.1 envelope with unqualified fields") {
    const std::string xml = loket::booking::jcc::appointmentsRequest(date("2026-12-01"), "1 & 2");
    CHECK(xml.find("http://schemas.xmlsoap.org/soap/envelope/") != std::string::npos);
    CHECK(xml.find("<gen:getGovAppointmentsRequest xmlns:gen=\"http://www.genericCBS.org/GenericCBS/\">") != std::string::npos);
    CHECK(xml.find("<day>2026-12-01</day>") != std::string::npos);
    CHECK(xml.find("<locationID>1 &amp; 2</locationID>") != std::string::npos); // escaped by the library
    CHECK(loket::booking::jcc::soapAction("getGovAppointments") == "http://www.genericCBS.org/GenericCBS/getGovAppointments");
}

TEST_CASE("jcc: rest appointments keep the number, activities per person and the main customer's name") {
    const char* json = R"([{"id": "8a1f", "number": 20261201, "startDateTime": "2026-12-01T10:00:00",
        "endDateTime": "2026-12-01T10:30:00", "acitivityList": [{"id": "2e656741", "amount": 2}, {"id": "7a1c9e02"}],
        "customerList": [{"isMainCustomer": true, "initials": "K.", "lastNamePrefix": "van", "lastName": "Dijk",
                          "birthDate": "1990-02-03T00:00:00", "socialSecurityNumber": "123456782", "emailAddress": "k@example.nl"},
                         {"isMainCustomer": false, "lastName": "Anders"}],
        "location": {"id": "f3b8864b"}}])";
    auto parsed = loket::booking::jcc_rest::parseAppointments(json, amsterdam());
    REQUIRE(parsed);
    REQUIRE(parsed->size() == 1);
    const auto& a = parsed->front();
    CHECK(a.code == "20261201");
    CHECK(a.products == std::vector<std::string>{"2e656741", "2e656741", "7a1c9e02"});
    CHECK(a.persons == 2);
    CHECK(a.name == "K. van Dijk");
    CHECK(a.startsAt == local("2026-12-01", 10, 0));
    CHECK_FALSE(mentions(a, "1990"));
    CHECK_FALSE(mentions(a, "123456782"));
    auto broken = loket::booking::jcc_rest::parseAppointments(R"([{"number": 5, "startDateTime": "2026-12-01T10:00:00"}])", amsterdam());
    REQUIRE_FALSE(broken);
    CHECK(broken.error().message.find("no activities") != std::string::npos);
    CHECK_FALSE(loket::booking::jcc_rest::parseAppointments("[{\"number\": ", amsterdam()));
}

TEST_CASE("qmatic: an appointment keeps its hex public id, services, offset time and persons") {
    const char* json = R"({"notifications": [], "meta": {"totalResults": 1}, "appointment": {
        "publicId": "d50517a0ae88cdbc495f7a32e011cb", "status": 20, "start": "2026-12-01T12:30:00.000+00:00",
        "end": "2026-12-01T12:35:00.000+00:00", "services": [{"publicId": "1e0c3d34acb5a4ad0133b2927959e8", "name": "Paspoort"}],
        "customers": [{"name": "Voornaam Achternaam", "dateOfBirth": -2206357200000, "email": "test@test.com",
                       "phone": "06-11223344", "addressLine1": "Straatnaam 1", "identificationNumber": "1234567890"},
                      {"name": "Tweede Persoon"}],
        "branch": {"publicId": "f364d92b7fa07a48c4ecc862de30", "timeZone": "Europe/Amsterdam"}}})";
    auto parsed = loket::booking::qmatic::parseAppointment(json, amsterdam());
    REQUIRE(parsed);
    REQUIRE(parsed->has_value());
    const auto& a = **parsed;
    CHECK(a.code == "D50517A0AE88CDBC495F7A32E011CB");
    CHECK_FALSE(a.cancelled);
    CHECK(a.startsAt == local("2026-12-01", 13, 30));
    CHECK(a.persons == 2);
    CHECK(a.name == "Voornaam Achternaam");
    CHECK(a.location == "f364d92b7fa07a48c4ecc862de30");
    for (const char* secret : {"test@test.com", "06-11223344", "Straatnaam", "1234567890", "2206357200000"})
        CHECK_FALSE(mentions(a, secret));
}

TEST_CASE("qmatic: a reservation that was not confirmed or a cancelled status does not take place") {
    auto parse = [](int status) {
        const std::string json = R"({"appointmentList": [{"publicId": "0c6e57cf66366b59a0d72245c4bbec31", "status": )" +
                                 std::to_string(status) + R"(, "start": "2026-12-01T08:30:00+01:00", "services": [{"publicId": "dd56"}]}]})";
        auto r = loket::booking::qmatic::parseAppointments(json, amsterdam());
        REQUIRE(r);
        return r->front().cancelled;
    };
    CHECK_FALSE(parse(20));
    CHECK(parse(10));
    CHECK(parse(30));
    auto malformed = loket::booking::qmatic::parseAppointments(R"({"appointmentList": [{"publicId": "xyz"}]})", amsterdam());
    REQUIRE_FALSE(malformed);
    CHECK(malformed.error().message.find("publicId") != std::string::npos);
}

TEST_CASE("ics feed: events in the hall's zone, UTC, floating and another zone, with cancellations") {
    const std::string feed =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//NL\r\n"
        "BEGIN:VEVENT\r\nUID:afspraak-0001@gemeente.example\r\nDTSTAMP:20261120T100000Z\r\n"
        "DTSTART;TZID=Europe/Amsterdam:20261201T090000\r\nDTEND;TZID=Europe/Amsterdam:20261201T091500\r\n"
        "CATEGORIES:Paspoort,Rijbewijs\r\nATTENDEE;CN=Fatima El Amrani:mailto:fatima@example.nl\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:afspraak-0002@gemeente.example\r\nDTSTAMP:20261120T100000Z\r\n"
        "DTSTART:20261201T090000Z\r\nDURATION:PT20M\r\nCATEGORIES:Paspoort\r\nX-LOKET-PERSONS:3\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:afspraak-0003@gemeente.example\r\nDTSTAMP:20261120T100000Z\r\n"
        "DTSTART:20261201T110000\r\nCATEGORIES:Rijbewijs\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:afspraak-0004@gemeente.example\r\nDTSTAMP:20261120T100000Z\r\n"
        "DTSTART;TZID=America/New_York:20261201T060000\r\nCATEGORIES:Paspoort\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    auto parsed = loket::booking::ics::parseFeed(feed, amsterdam(), "Europe/Amsterdam");
    REQUIRE(parsed);
    REQUIRE(parsed->size() == 4);
    const auto& a = (*parsed)[0];
    CHECK(a.code == "AFSPRAAK0001");
    CHECK(a.startsAt == local("2026-12-01", 9, 0));
    CHECK(a.endsAt - a.startsAt == 15 * 60);
    CHECK(a.products == std::vector<std::string>{"Paspoort", "Rijbewijs"});
    CHECK(a.name == "Fatima El Amrani");
    CHECK_FALSE(mentions(a, "example.nl"));
    CHECK((*parsed)[1].startsAt == local("2026-12-01", 10, 0));
    CHECK((*parsed)[1].endsAt - (*parsed)[1].startsAt == 20 * 60);
    CHECK((*parsed)[1].persons == 3);
    CHECK((*parsed)[2].cancelled);
    CHECK((*parsed)[2].startsAt == local("2026-12-01", 11, 0)); // floating: hall time
    CHECK((*parsed)[3].startsAt == local("2026-12-01", 12, 0)); // 06:00 in New York
}

TEST_CASE("ics feed: text that is not iCalendar, or an event without a code rule fit, is a clear error") {
    auto notIcs = loket::booking::ics::parseFeed("<html>Not found</html>", amsterdam(), "Europe/Amsterdam");
    REQUIRE_FALSE(notIcs);
    CHECK(notIcs.error().message.find("not an iCalendar object") != std::string::npos);
    auto badCode = loket::booking::ics::parseFeed(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x@y\r\nDTSTART:20261201T090000Z\r\nCATEGORIES:Paspoort\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        amsterdam(), "Europe/Amsterdam");
    REQUIRE_FALSE(badCode);
    CHECK(badCode.error().message.find("event 'x@y'") != std::string::npos);
}

TEST_CASE("jcc: products map to services once each, the most repeated product gives the persons") {
    ForeignAppointment a;
    a.code = "1234567";
    a.products = {"1", "2", "1", "9"};
    a.startsAt = local("2026-12-01", 9, 0);
    a.endsAt = local("2026-12-01", 9, 30);
    a.day = date("2026-12-01");
    a.name = "J. Jansen";
    loket::booking::ProductMap map{{"1", "paspoort"}, {"2", "rijbewijs"}};
    auto mapped = loket::booking::toBookCommand(a, map, loket::booking::System::JccSoap, true);
    REQUIRE(mapped.command);
    CHECK(mapped.command->services == std::vector<std::string>{"paspoort", "rijbewijs"});
    CHECK(mapped.command->persons == 2);
    CHECK(mapped.command->durationS == 30 * 60);
    CHECK(mapped.command->codeSource == core::CodeSource::Jcc);
    CHECK(mapped.unknownProducts == std::vector<std::string>{"9"});
    CHECK(loket::booking::toBookCommand(a, map, loket::booking::System::JccSoap, false).command->name.empty());
    a.products = {"9"};
    CHECK_FALSE(loket::booking::toBookCommand(a, map, loket::booking::System::JccSoap, true).command);
}
