// The display's screens, rendered by the real software renderer and measured on the pixels:
// the called number's cap height (0.7° at the viewing distance), contrast (7:1 for the number,
// 4.5:1 for the rest), the disconnected mark, and each profile. Pictures go to
// <build>/display-pictures (copied to docs/display/).
#include "../signage/signage_fixtures.hpp"

#include "display/display_screen.hpp"
#include "display/display_session.hpp"
#include "shared/ui/host.hpp"

#include <filesystem>

using namespace fixtures;
using loket::display::DisplayScreen;
using loket::display::ScreenLayout;
using loket::signage::HallVm;
using loket::ui::measureInk;

namespace {

struct Rendered {
    std::unique_ptr<loket::ui::Host> host;
    std::unique_ptr<DisplayScreen> screen;
    ScreenLayout layout;
    loket::ui::PixelView pixels() const {
        auto p = host->pixels();
        REQUIRE(p);
        return *p;
    }
    std::uint64_t hash() const { return loket::ui::pixelHash(pixels()); }
};

Rendered render(const HallVm& vm, int w, int h, double diagonal = 55, double distance = 10) {
    auto catalogs = loket::display::loadDisplayCatalogs(std::string(LOKET_SOURCE_DIR) + "/assets", {"nl", "en"});
    REQUIRE(catalogs);
    Rendered r;
    auto host = loket::ui::Host::open(loket::ui::HostOptions{w, h, true});
    REQUIRE(host);
    r.host = std::move(*host);
    loket::signage::ScreenConfig screen;
    screen.width = w;
    screen.height = h;
    screen.diagonalInches = diagonal;
    screen.viewingDistanceM = distance;
    auto created = DisplayScreen::create(*r.host, screen, *catalogs);
    REQUIRE(created);
    r.screen = std::move(*created);
    r.layout = r.screen->render(vm, 0.1f);
    return r;
}

void picture(const Rendered& r, const std::string& name) {
    REQUIRE(r.host->writePng(std::filesystem::path(LOKET_BINARY_DIR) / "display-pictures" / (name + ".png")));
}

// A busy morning: several calls, the newest 2 s ago.
loket::signage::SignageModel morning(loket::signage::SignageConfig config = {}) {
    config.arrows = {{"b1", "\u2190"}, {"b3", "\u2191"}};
    loket::signage::SignageModel model(config, texts(), 0);
    auto snap = hall();
    model.applySnapshot(snap, 0, at(0));
    const char* numbers[] = {"A001", "B001", "A002", "R001", "A003", "B002", "A004", "A005", "B003"};
    const char* counters[] = {"b1", "b2", "b3", "b1", "b3", "b2", "b1", "b3", "b2"};
    for (int i = 0; i < 9; ++i) model.applyEvent(called(101 + i, numbers[i], counters[i], i + 1), 100 + i, at(i + 1));
    model.applyEvent(called(120, "A012", "b3", 15), 200, at(15));
    return model;
}

} // namespace

TEST_CASE("screen: the called number is at least 0.7 degrees high from 10 m on a 55-inch 1080p panel") {
    auto vm = morning().view(202, "09:15");
    REQUIRE(vm.highlight);
    auto r = render(vm, 1920, 1080);
    auto number = measureInk(r.pixels(), r.layout.number);
    INFO("cap height " << number.inkHeight() << " px");
    CHECK(number.inkHeight() >= 193);
    CHECK(number.contrast >= 7);
    picture(r, "hall-1920x1080");
}

TEST_CASE("screen: the number keeps 7:1 contrast in both phases of the highlight pulse") {
    auto model = morning();
    auto on = model.view(200.2, "09:15");
    auto off = model.view(200.7, "09:15");
    REQUIRE(on.highlightOn);
    REQUIRE_FALSE(off.highlightOn);
    auto a = render(on, 1920, 1080);
    auto b = render(off, 1920, 1080);
    CHECK(measureInk(a.pixels(), a.layout.number).contrast >= 7);
    CHECK(measureInk(b.pixels(), b.layout.number).contrast >= 7);
    CHECK(measureInk(a.pixels(), a.layout.counter).contrast >= 7);
    CHECK(a.hash() != b.hash()); // the pulse is visible
}

TEST_CASE("screen: previous calls and the waiting list have at least 4.5:1 contrast") {
    auto vm = morning().view(260, "09:16");
    REQUIRE(vm.previous.size() >= 6);
    auto r = render(vm, 1920, 1080);
    auto previous = measureInk(r.pixels(), r.layout.previous);
    auto waiting = measureInk(r.pixels(), r.layout.waiting);
    CHECK(previous.contrast >= 4.5);
    CHECK(waiting.contrast >= 4.5);
    CHECK(previous.inkHeight() > 300); // the list is really drawn
}

TEST_CASE("screen: after 4 s without a sign of life a 'verbinding verbroken' mark shows, the calls stay") {
    auto model = morning(); // the last event came at 200 s
    auto connected = render(model.view(204, "09:15"), 1920, 1080);
    CHECK(connected.layout.disconnected.w == 0);
    CHECK(model.view(204.1, "09:15").disconnected);
    auto vm = model.view(260, "09:16");
    REQUIRE(vm.disconnected);
    auto r = render(vm, 1920, 1080);
    REQUIRE(r.layout.disconnected.w > 0);
    auto mark = measureInk(r.pixels(), r.layout.disconnected);
    CHECK(mark.background == r.screen->theme().warning);
    CHECK(mark.contrast >= 4.5);
    CHECK(measureInk(r.pixels(), r.layout.number).inkHeight() >= 193);
    picture(r, "hall-disconnected");
}

TEST_CASE("screen: a portrait screen shows the number just as large") {
    auto r = render(morning().view(202, "09:15"), 1080, 1920);
    CHECK(measureInk(r.pixels(), r.layout.number).inkHeight() >= 193);
    picture(r, "hall-portrait-1080x1920");
}

TEST_CASE("screen: a zone screen and a counter-top screen") {
    loket::signage::SignageConfig zone;
    zone.profile = loket::signage::Profile::Zone;
    zone.zoneCounters = {"b1", "b3"};
    auto z = render(morning(zone).view(202, "09:15"), 1920, 1080);
    CHECK(measureInk(z.pixels(), z.layout.number).inkHeight() >= 193);
    picture(z, "zone-b1-b3");

    loket::signage::SignageConfig top;
    top.profile = loket::signage::Profile::CounterTop;
    top.counter = "b3";
    // A 15.6-inch 1366×768 screen above counter 3, read from 4 m.
    auto c = render(morning(top).view(202, "09:15"), 1366, 768, 15.6, 4);
    auto number = measureInk(c.pixels(), c.layout.number);
    CHECK(number.inkHeight() >= static_cast<int>(c.screen->theme().hugeCapPx) - 2);
    CHECK(number.contrast >= 7);
    picture(c, "counter-top-b3");
}

TEST_CASE("screen: the same view-model renders the same pixels") {
    auto vm = morning().view(202, "09:15");
    CHECK(render(vm, 960, 540).hash() == render(vm, 960, 540).hash());
}

TEST_CASE("configuration: the admin page's banner shows under the header at 4.5:1, and the number stays as large") {
    auto vm = morning().view(202, "09:15");
    vm.banner = "Vandaag zijn wij om 12:00 gesloten";
    vm.bannerSecond = "Today we close at 12:00";
    for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1080, 1920}}) {
        auto r = render(vm, w, h);
        REQUIRE(r.layout.banner.w > 0);
        auto banner = measureInk(r.pixels(), r.layout.banner);
        CHECK(banner.contrast >= 4.5);
        CHECK(banner.inkHeight() > 20); // really drawn
        CHECK(r.layout.banner.y + r.layout.banner.h <= r.layout.number.y); // above the calls, never over them
        CHECK(measureInk(r.pixels(), r.layout.number).inkHeight() >= 193);
        if (w > h) picture(r, "hall-banner");
    }
    loket::signage::SignageConfig topConfig;
    topConfig.profile = loket::signage::Profile::CounterTop;
    topConfig.counter = "b3";
    auto counterTop = morning(topConfig).view(202, "09:15");
    counterTop.banner = "Vandaag zijn wij om 12:00 gesloten";
    auto top = render(counterTop, 1366, 768, 15.6, 4);
    REQUIRE(top.layout.banner.w > 0);
    CHECK(measureInk(top.pixels(), top.layout.banner).contrast >= 4.5);
}
