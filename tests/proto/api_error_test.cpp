#include "shared/proto/api_error.hpp"
#include "shared/proto/rfc3339.hpp"

#include <catch2/catch.hpp>

using namespace loket;

TEST_CASE("api error: the typed details travel from the server's body to the client's error") {
    Error error = makeError(ErrorCode::TooEarly, "Too early: check in from 10:25.");
    error.details.checkInFrom = core::Now{1795425900, 3600};
    error.details.opensAt = core::Now{1795420800, 3600};
    error.details.closesAt = core::Now{1795449600, 3600};
    error.details.ticketNumber = "A012";
    core::LocalDay day = 0;
    REQUIRE(core::parseDate("2026-11-24", day));
    error.details.appointmentDay = day;

    const nlohmann::json body = proto::errorJson(error);
    CHECK(body["error"]["code"] == "too_early");
    CHECK(body["error"]["details"]["check_in_from"] == proto::rfc3339(core::Now{1795425900, 3600}));
    CHECK(body["error"]["details"]["ticket_number"] == "A012");
    CHECK(body["error"]["details"]["appointment_date"] == "2026-11-24");

    const proto::ApiErrorBody back = proto::parseApiErrorBody(body.dump());
    CHECK(back.code == "too_early");
    CHECK(back.message == error.message);
    REQUIRE(back.details.checkInFrom);
    CHECK(back.details.checkInFrom->t == 1795425900);
    CHECK(back.details.checkInFrom->utcOffsetS == 3600);
    CHECK(back.details.opensAt->t == 1795420800);
    CHECK(back.details.closesAt->t == 1795449600);
    CHECK(back.details.ticketNumber == "A012");
    CHECK(back.details.appointmentDay == day);
}

TEST_CASE("api error: an error without facts has no details object") {
    const nlohmann::json body = proto::errorJson(makeError(ErrorCode::CounterBusy, "busy"));
    CHECK_FALSE(body["error"].contains("details"));
    CHECK(proto::parseApiErrorBody(body.dump()).details.empty());
}

TEST_CASE("api error: a detail of the wrong shape is left out, the rest is kept") {
    auto back = proto::parseApiErrorBody(
        R"({"error": {"code": "hall_closed", "message": "m", "details": {"opens_at": "08:30", "closes_at": "2026-11-23T17:00:00+01:00", "ticket_number": 12}}})");
    CHECK(back.code == "hall_closed");
    CHECK_FALSE(back.details.opensAt);
    REQUIRE(back.details.closesAt);
    CHECK(back.details.closesAt->utcOffsetS == 3600);
    CHECK_FALSE(back.details.ticketNumber);
    CHECK(proto::parseApiErrorBody("<html>").code.empty());
    CHECK(proto::errorCodeFromName("already_checked_in") == ErrorCode::AlreadyCheckedIn);
    CHECK(proto::errorCodeFromName("unknown_widget") == ErrorCode::NotFound);
}
