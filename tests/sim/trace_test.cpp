#include "hall_day_fixture.hpp"

using namespace loket::sim;
using namespace loket::sim::test;

TEST_CASE("trace: a written trace reads back the same") {
    const Trace t = traceOf(hallHeader(kOneCounter) +
        R"({"type":"counter_event","counter":"B01","t":900,"kind":"down","until":1800,"truth":true}
{"type":"appointment","id":"A1","t_appt":600,"services":["PAS","AFH"],"truth":{"show":true,"t_checkin":300,"dur_s":[500,100]}}
{"type":"appointment","id":"A2","t_appt":900,"services":["PAS"],"truth":{"show":false}}
{"type":"walkin","id":"W1","services":["AFH"],"truth":{"t_checkin":100,"dur_s":[120],"answers_call":[false,true],"t_leave":4000}}
)");
    CHECK(t.visits.size() == 3);
    CHECK(t.visits[0].truth.durS == std::vector<Seconds>{500, 100});
    CHECK_FALSE(t.visits[1].truth.show);
    CHECK(t.visits[2].truth.answersCall == std::vector<bool>{false, true});
    CHECK(*t.visits[2].truth.tLeave == 4000);
    CHECK(t.counterEvents[0].until == 1800);
    const std::string written = writeTrace(t);
    CHECK(writeTrace(traceOf(written)) == written);
}

TEST_CASE("trace: a bad line is refused with its line number") {
    auto bad = parseTrace(hallHeader(kOneCounter) + "{\"type\":\"walkin\",\"id\":\"W1\",\"services\":[\"AFH\"]}\n");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message == "line 6: missing field 'truth'");

    auto json = parseTrace(hallHeader(kOneCounter) + "{not json\n");
    REQUIRE_FALSE(json.has_value());
    CHECK(json.error().message.rfind("line 6:", 0) == 0);
}

TEST_CASE("trace: a visit for an unknown service is refused") {
    auto bad = parseTrace(hallHeader(kOneCounter) +
        R"({"type":"walkin","id":"W1","services":["NOPE"],"truth":{"t_checkin":100,"dur_s":[120]}})" "\n");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.find("unknown service 'NOPE'") != std::string::npos);
}

TEST_CASE("trace: one duration per service is required") {
    auto bad = parseTrace(hallHeader(kOneCounter) +
        R"({"type":"appointment","id":"A1","t_appt":600,"services":["PAS","AFH"],"truth":{"show":true,"t_checkin":300,"dur_s":[500]}})" "\n");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.find("one duration per service") != std::string::npos);
}

TEST_CASE("trace: the first line must be the meta line") {
    auto bad = parseTrace(R"({"type":"rules","appt_norm_s":300})" "\n");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message == "line 1: the first line must be the meta line");
}
