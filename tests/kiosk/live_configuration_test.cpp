// A change on the admin page reaches a running kiosk: the banner shows on every screen (and is
// read aloud with it), a changed "what to bring" shows on the confirmation screen, and the flow
// redraws — no restart. hallUpdateFor says what the worker does with a stream event.
#include "kiosk_test_support.hpp"

#include "shared/kiosk/hall_updates.hpp"

using namespace loket::kiosk;
using namespace loket::kiosk::testing;

TEST_CASE("configuration: the kiosk shows a new banner on every screen at once, in the visitor's language") {
    FlowRig rig;
    CHECK_FALSE(buildView(*rig.flow, catalog("nl")).banner);
    const auto before = rig.state().revision;
    rig.send(BannerChanged{{{"nl", "Vandaag zijn wij om 12:00 gesloten"}, {"en", "Today we close at 12:00"}}});
    CHECK(rig.state().revision != before); // the app redraws
    auto vm = buildView(*rig.flow, catalog("nl"));
    REQUIRE(vm.banner);
    CHECK(vm.banner->shown == "Vandaag zijn wij om 12:00 gesloten");
    CHECK(vm.banner->spoken == vm.banner->shown);
    // It is one of the screen's texts: read aloud, checked for contrast like the rest.
    bool listed = false;
    for (const Text* t : textsOf(vm)) listed = listed || t == &*vm.banner;
    CHECK(listed);

    rig.act(ActionKind::SetLanguage, "en");
    rig.act(ActionKind::ChooseWalkIn);
    auto english = buildView(*rig.flow, catalog("en"));
    REQUIRE(english.banner);
    CHECK(english.banner->shown == "Today we close at 12:00");

    // The same banner again changes nothing; an empty one removes it.
    const auto same = rig.state().revision;
    rig.send(BannerChanged{{{"nl", "Vandaag zijn wij om 12:00 gesloten"}, {"en", "Today we close at 12:00"}}});
    CHECK(rig.state().revision == same);
    rig.send(BannerChanged{{}});
    CHECK_FALSE(buildView(*rig.flow, catalog("en")).banner);
}

TEST_CASE("configuration: a changed 'what to bring' shows on the confirmation screen the visitor is looking at") {
    FlowRig rig;
    rig.act(ActionKind::ChooseWalkIn);
    rig.act(ActionKind::ChooseService, "paspoort");
    REQUIRE(rig.state().screen == Screen::ServiceConfirm);
    auto services = exampleServices();
    for (auto& s : services)
        if (s.id == "paspoort") s.bring = {{"nl", "Twee pasfoto's en uw oude paspoort"}};
    const auto before = rig.state().revision;
    rig.send(ServicesLoaded{services});
    CHECK(rig.state().revision != before);
    auto vm = buildView(*rig.flow, catalog("nl"));
    const auto* confirm = std::get_if<ServiceConfirmVm>(&vm.screen);
    REQUIRE(confirm);
    REQUIRE(confirm->bring);
    CHECK(confirm->bring->shown == "Twee pasfoto's en uw oude paspoort");

    // The same list again is no change.
    const auto same = rig.state().revision;
    rig.send(ServicesLoaded{services});
    CHECK(rig.state().revision == same);
}

TEST_CASE("configuration: the kiosk acts on configuration events and a reset only") {
    loket::proto::HallEvent banner;
    banner.type = "configuration.changed";
    banner.configuration = loket::proto::ClientConfigurationChange{"banner.set", "", {{"nl", "Let op"}}, false, false};
    auto u = hallUpdateFor(banner);
    REQUIRE(u);
    REQUIRE(u->banner);
    CHECK(u->banner->at("nl") == "Let op");
    CHECK_FALSE(u->reloadServices);

    loket::proto::HallEvent service = banner;
    service.configuration->change = "service.set";
    service.configuration->servicesChanged = true;
    CHECK(hallUpdateFor(service)->reloadServices);
    loket::proto::HallEvent hours = banner;
    hours.configuration->change = "exception.set";
    hours.configuration->hoursChanged = true;
    CHECK(hallUpdateFor(hours)->reloadServices); // walk-ins open or not: the list says so

    loket::proto::HallEvent reset;
    reset.type = "reset";
    auto r = hallUpdateFor(reset);
    REQUIRE(r);
    CHECK_FALSE(r->banner);
    CHECK(r->reloadServices);
    CHECK(r->reloadBanner);

    loket::proto::HallEvent called;
    called.type = "ticket.called";
    CHECK_FALSE(hallUpdateFor(called));
}
