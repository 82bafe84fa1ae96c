#include "shared/proto/client_parse.hpp"

#include <catch2/catch.hpp>

using loket::ErrorCode;
using namespace loket::proto;

namespace {
const char* kHall = R"({
  "event_id": 42,
  "hall": {"name": "Gemeente Katwijk", "norm_s": 300, "open_now": true},
  "services": [
    {"id": "paspoort", "name": {"nl": "Paspoort of ID-kaart aanvragen", "en": "Apply for a passport or ID card"},
     "prefix": "A", "walk_in": true, "appointment": true, "expected_duration_s": 600, "waiting": 3, "estimated_wait_s": 840},
    {"id": "huwelijk", "name": {"nl": "Huwelijk", "en": "Marriage"}, "public_label": {"nl": "Balie H", "en": "Desk H"},
     "prefix": "H", "waiting": 0, "estimated_wait_s": 0}
  ],
  "counters": [
    {"id": "b3", "name": "3", "services": ["paspoort"], "state": "open",
     "ticket": {"id": 17, "number": "A012", "service": "paspoort", "services": ["paspoort"], "kind": "walk_in",
                "status": "called", "counter": "b3", "language": "en", "called_at": "2026-11-23T09:15:00+01:00",
                "name": "Jansen", "public_code": "secret", "appointment": {"code": "K7Q2MX"}}},
    {"id": "b4", "name": "4", "services": [], "state": "closed", "ticket": null}
  ],
  "recent_calls": [{"number": "A012", "counter": "b3", "counter_name": "3", "called_at": "2026-11-23T09:15:00+01:00"}]
})";
} // namespace

TEST_CASE("client json: the hall snapshot parses into services, counters and recent calls") {
    auto snap = parseHallSnapshot(kHall);
    REQUIRE(snap);
    CHECK(snap->eventId == 42);
    CHECK(snap->hall.name == "Gemeente Katwijk");
    REQUIRE(snap->services.size() == 2);
    CHECK(snap->services[0].prefix == "A");
    CHECK(snap->services[0].waiting == 3);
    CHECK(snap->services[0].estimatedWaitS == 840);
    CHECK(snap->services[1].publicLabel->at("nl") == "Balie H");
    REQUIRE(snap->counters.size() == 2);
    CHECK(snap->counters[0].ticket->number == "A012");
    CHECK(snap->counters[0].ticket->id == "17");
    CHECK(snap->counters[0].ticket->language == "en");
    CHECK_FALSE(snap->counters[1].ticket);
    REQUIRE(snap->recentCalls.size() == 1);
    CHECK(snap->recentCalls[0].counterName == "3");
    CHECK(snap->recentCalls[0].language == "nl");
}

TEST_CASE("client json: malformed or incomplete bodies are clear errors that name the field") {
    auto notJson = parseHallSnapshot("{\"event_id\": ");
    REQUIRE_FALSE(notJson);
    CHECK(notJson.error().code == ErrorCode::InvalidJson);

    auto missing = parseHallSnapshot(R"({"event_id": 1, "services": [], "counters": [{"id": "b1", "services": [], "state": "open"}], "recent_calls": []})");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::MissingField);
    CHECK(missing.error().message == "hall.counters[0].name: missing");

    auto wrongType = parseHallSnapshot(R"({"event_id": "1", "services": [], "counters": [], "recent_calls": []})");
    REQUIRE_FALSE(wrongType);
    CHECK(wrongType.error().code == ErrorCode::InvalidValue);

    auto badState = parseCounter(R"({"id": "b1", "name": "1", "services": [], "state": "asleep"})");
    REQUIRE_FALSE(badState);
    CHECK(badState.error().message.find("asleep") != std::string::npos);
}

TEST_CASE("client json: a called event carries the ticket, the counter and the call") {
    auto ev = parseHallEvent(43, "ticket.called", R"({"ticket": {"id": "t1", "number": "B003", "service": "ophalen", "status": "called", "counter": "b1", "language": "nl"},
      "counter": {"id": "b1", "name": "1", "services": ["ophalen"], "state": "open", "ticket": null},
      "call": {"number": "B003", "counter": "b1", "counter_name": "1", "called_at": "2026-11-23T10:00:00+01:00", "language": "en"}})");
    REQUIRE(ev);
    CHECK(ev->id == 43);
    CHECK(ev->call->number == "B003");
    CHECK(ev->call->language == "en");
    CHECK(ev->counter->id == "b1");

    auto noCall = parseHallEvent(44, "ticket.recalled", R"({"ticket": {"id": "t1", "number": "B003", "service": "ophalen", "status": "called"}})");
    REQUIRE_FALSE(noCall);
    CHECK(noCall.error().message == "ticket.recalled.call: missing");

    auto reset = parseHallEvent(0, "reset", "");
    REQUIRE(reset);
    CHECK(reset->type == "reset");
}

TEST_CASE("client json: API error bodies map to error codes") {
    auto body = parseApiErrorBody(R"({"error": {"code": "already_checked_in", "message": "U bent al aangemeld. Uw nummer is A012."}})");
    CHECK(body.code == "already_checked_in");
    CHECK(errorCodeFromName(body.code) == ErrorCode::AlreadyCheckedIn);
    CHECK(errorCodeFromName("unknown_widget") == ErrorCode::NotFound);
    CHECK(parseApiErrorBody("<html>").code.empty());
}
