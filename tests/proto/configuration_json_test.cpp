// The JSON of configuration changes: what the admin API reads, the event log stores and the store
// keeps as the live configuration.
#include "shared/core/configuration.hpp"
#include "shared/proto/configuration_json.hpp"
#include "shared/proto/event_codec.hpp"

#include <catch2/catch.hpp>

using namespace loket;
using namespace loket::core;
using nlohmann::json;

namespace {
HallConfig hall() {
    HallConfig c;
    ServiceConfig p;
    p.id = "paspoort";
    p.name = {{"nl", "Paspoort"}, {"en", "Passport"}};
    p.bring = {{"nl", "pasfoto"}};
    p.prefix = 'A';
    ServiceConfig h = p;
    h.id = "huwelijk";
    h.prefix = 'H';
    c.services = {p, h};
    c.counters = {{"b1", "1", bit(0) | bit(1)}};
    c.hours.alwaysOpen = true;
    c.walkInHours.alwaysOpen = true;
    return c;
}
} // namespace

TEST_CASE("configuration: every change survives the trip through JSON") {
    HallConfig c = hall();
    LocalDay day = 0;
    REQUIRE(parseDate("2026-12-25", day));
    const std::vector<ConfigChange> changes{
        SetService{c.services[0]}, RemoveService{"huwelijk"}, SetCounter{"b2", "2", {"paspoort"}, "left", true},
        RemoveCounter{"b1"}, SetWeekHours{4, {{8 * 3600 + 1800, 12 * 3600}, {13 * 3600, 86400}}, {{9 * 3600, 12 * 3600}}},
        SetDayException{day, {DayExceptionKind::Short, {{8 * 3600, 12 * 3600}}, {{"nl", "Kerstavond"}}}},
        ClearDayException{day}, SetBanner{{{"nl", "Vandaag om 12:00 dicht"}}}};
    for (const auto& change : changes) {
        const json j = proto::configChangeToJson(change);
        auto back = proto::configChangeFromJson(j, c);
        REQUIRE(back.has_value());
        CHECK(proto::configChangeToJson(back.value()) == j);
    }
    CHECK(proto::configChangeToJson(changes[4])["periods"] == json{"08:30-12:00", "13:00-24:00"});
}

TEST_CASE("configuration: a bad request body names the field") {
    const HallConfig c = hall();
    auto field = [&](const char* text) {
        auto r = proto::configChangeFromJson(json::parse(text), c);
        REQUIRE_FALSE(r.has_value());
        return r.error().details.field.value_or("(none)");
    };
    CHECK(field(R"({"type":"service.set","service":{"id":"paspoort","colour":"red"}})") == "colour");
    CHECK(field(R"({"type":"service.set","service":{"id":"paspoort","walk_in":"yes"}})") == "walk_in");
    CHECK(field(R"({"type":"service.set","service":{"id":"paspoort","bring":{"nl":3}}})") == "bring.nl");
    CHECK(field(R"({"type":"hours.set","weekday":1,"periods":["8:30-12"]})") == "periods");
    CHECK(field(R"({"type":"exception.set","date":"2026-02-30","kind":"closed"})") == "date");
    CHECK(field(R"({"type":"exception.set","date":"2026-12-25","kind":"holiday"})") == "kind");
    CHECK(field(R"({"type":"reboot"})") == "type");
    CHECK(field(R"({"service":{}})") == "type");
}

TEST_CASE("configuration: a service change keeps what the body leaves out") {
    const HallConfig c = hall();
    auto r = proto::configChangeFromJson(json::parse(R"({"type":"service.set","service":{"id":"paspoort","bring":{"nl":"twee pasfoto's"}}})"), c);
    REQUIRE(r.has_value());
    const ServiceConfig& s = std::get<SetService>(r.value()).service;
    CHECK(s.bring.at("nl") == "twee pasfoto's");
    CHECK(s.name.at("en") == "Passport");
    CHECK(s.prefix == 'A');
}

TEST_CASE("configuration: the stored document rebuilds the configuration, retired services in their place") {
    HallConfig c = hall();
    applyConfigurationChange(c, RemoveService{"paspoort"});
    applyConfigurationChange(c, SetCounter{"b2", "2", {"huwelijk"}, "right", true});
    applyConfigurationChange(c, SetBanner{{{"nl", "Let op"}}});
    HallConfig rebuilt;
    REQUIRE(proto::applyConfigurationDocument(proto::configurationDocument(c), rebuilt).has_value());
    REQUIRE(rebuilt.services.size() == 2);
    CHECK(rebuilt.services[0].retired);
    CHECK(rebuilt.services[1].id == "huwelijk");
    CHECK(rebuilt.counters[1].skills == bit(1));
    CHECK(configurationDiff(c, rebuilt).empty());
    CHECK_FALSE(proto::applyConfigurationDocument(json{{"version", 2}}, rebuilt).has_value());
}

TEST_CASE("configuration: a configuration.changed event is stored and read back with who and when") {
    const HallConfig c = hall();
    const Event e = ConfigurationChanged{SetBanner{{{"nl", "Let op"}}}, "anna", 1234};
    auto back = proto::eventFromJson(c, eventTypeName(e), proto::eventToJson(c, e));
    REQUIRE(back.has_value());
    const auto& changed = std::get<ConfigurationChanged>(back.value());
    CHECK(changed.by == "anna");
    CHECK(changed.at == 1234);
    CHECK(std::get<SetBanner>(changed.change).text.at("nl") == "Let op");
}
