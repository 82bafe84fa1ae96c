#include "shared/ui/contrast.hpp"
#include "shared/ui/theme.hpp"

#include <catch2/catch.hpp>

using namespace loket::ui;

TEST_CASE("theme: the called number is 0.7 degrees high at the viewing distance") {
    CHECK(capHeightMm(10) == Approx(122.2).margin(0.1));
    Theme hall = makeSignageTheme(ScreenSpec{1920, 1080, 55, 10});
    CHECK(hall.pxPerMm == Approx(1.577).margin(0.002));
    CHECK(hall.hugeCapPx >= 193);
    CHECK(hall.hugeCapPx <= 194);
    // Portrait, same panel: the same physical size.
    CHECK(makeSignageTheme(ScreenSpec{1080, 1920, 55, 10}).hugeCapPx == hall.hugeCapPx);
    // A closer audience needs less; a small counter-top screen still shows a big number.
    CHECK(makeSignageTheme(ScreenSpec{1920, 1080, 55, 6}).hugeCapPx < hall.hugeCapPx);
    CHECK(makeSignageTheme(ScreenSpec{800, 480, 10, 3}).hugeCapPx >= 80);
}

TEST_CASE("theme: colours meet WCAG - 7:1 for the called number, 4.5:1 for the rest") {
    Theme t = makeSignageTheme(ScreenSpec{});
    CHECK(contrastRatio(t.text, t.background) >= 7);
    CHECK(contrastRatio(t.text, t.panel) >= 7);
    CHECK(contrastRatio(t.onHighlight, t.highlight) >= 7);
    CHECK(contrastRatio(t.highlight, t.background) >= 7);
    CHECK(contrastRatio(t.textMuted, t.background) >= 4.5);
    CHECK(contrastRatio(t.onWarning, t.warning) >= 4.5);
}
