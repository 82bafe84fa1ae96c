// A change on the admin page reaches a running display: the banner comes with the event, a
// renamed counter with the snapshot the model then asks for — no restart.
#include "signage_fixtures.hpp"

#include "shared/proto/client_parse.hpp"

using namespace fixtures;
using loket::signage::SignageModel;

namespace {

proto::HallEvent configurationChanged(std::int64_t id, const std::string& change, proto::LocalText banner, bool servicesChanged) {
    proto::HallEvent ev;
    ev.id = id;
    ev.type = "configuration.changed";
    ev.configuration = proto::ClientConfigurationChange{change, "", std::move(banner), servicesChanged, false};
    return ev;
}

} // namespace

TEST_CASE("configuration: the display shows the banner the moment its event arrives, in both languages") {
    SignageModel model({}, texts(), 0.0);
    model.applySnapshot(hall(), 0.0, at(0));
    CHECK(model.view(0.0, "").banner.empty());
    const auto before = model.revision();
    model.applyEvent(configurationChanged(101, "banner.set", {{"nl", "Vandaag zijn wij om 12:00 gesloten"}, {"en", "Today we close at 12:00"}}, false),
                     1.0, at(1));
    CHECK(model.revision() != before); // the app redraws
    auto vm = model.view(1.0, "");
    CHECK(vm.banner == "Vandaag zijn wij om 12:00 gesloten");
    CHECK(vm.bannerSecond == "Today we close at 12:00");
    CHECK_FALSE(model.wantsSnapshot(1.0)); // nothing else to fetch for a banner

    // Removed: an empty text.
    model.applyEvent(configurationChanged(102, "banner.set", {}, false), 2.0, at(2));
    CHECK(model.view(2.0, "").banner.empty());
}

TEST_CASE("configuration: a renamed counter shows its new name on the display, also in calls already on screen") {
    SignageModel model({}, texts(), 0.0);
    model.applySnapshot(hall(), 0.0, at(0));
    model.applyEvent(called(101, "A001", "b1", 1), 1.0, at(1));
    REQUIRE(model.view(1.0, "").newest->counterLabel == "Balie 1");

    model.applyEvent(configurationChanged(102, "counter.set", {}, true), 2.0, at(2));
    REQUIRE(model.wantsSnapshot(2.0)); // at once, not after the refresh interval
    model.snapshotRequested(2.0);
    auto snap = hall();
    snap.eventId = 102;
    snap.counters[0].name = "1 (zithoogte)";
    snap.hall.banner = {{"nl", "Balie 1 heeft nu een lage balie"}};
    model.applySnapshot(snap, 2.1, at(2));
    auto vm = model.view(2.1, "");
    CHECK(vm.newest->counterLabel == "Balie 1 (zithoogte)");
    CHECK(vm.banner == "Balie 1 heeft nu een lage balie");
    CHECK(vm.bannerSecond.empty()); // no English text: one line
}

TEST_CASE("configuration: the client reads configuration.changed and the banner of the hall snapshot") {
    auto ev = proto::parseHallEvent(7, "configuration.changed",
                                    R"({"change":"service.set","target":"paspoort","banner":{"nl":"Let op"},"services_changed":true,"hours_changed":false})");
    REQUIRE(ev);
    REQUIRE(ev->configuration);
    CHECK(ev->configuration->change == "service.set");
    CHECK(ev->configuration->target == "paspoort");
    CHECK(ev->configuration->banner.at("nl") == "Let op");
    CHECK(ev->configuration->servicesChanged);
    CHECK_FALSE(ev->configuration->hoursChanged);
    CHECK_FALSE(proto::parseHallEvent(8, "configuration.changed", R"({"change":"x","services_changed":"ja"})"));

    auto snap = proto::parseHallSnapshot(R"({"event_id":3,"hall":{"name":"H","banner":{"nl":"Vandaag zijn wij om 12:00 gesloten"}},"services":[],"counters":[],"recent_calls":[]})");
    REQUIRE(snap);
    CHECK(snap->hall.banner.at("nl") == "Vandaag zijn wij om 12:00 gesloten");
}
