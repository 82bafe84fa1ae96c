#include "ui_fixture.hpp"

#include <imgui.h>

using namespace loket::ui;

TEST_CASE("fonts: glyph ranges come from the strings we ship, so euro, dash and ij render") {
    HeadlessUi ui(640, 360, {"Kosten: \u20AC 75,30 \u2014 ", "Bĳ de balie"});
    ImFont* body = ui.theme.fonts.body;
    CHECK(body->FindGlyphNoFallback(0x20AC) != nullptr); // €
    CHECK(body->FindGlyphNoFallback(0x2014) != nullptr); // —
    CHECK(body->FindGlyphNoFallback(0x0133) != nullptr); // ĳ
    CHECK(body->FindGlyphNoFallback(0x00EB) != nullptr); // ë
    CHECK(body->FindGlyphNoFallback(0x4E2D) == nullptr); // not shipped: not loaded
}

TEST_CASE("fonts: the huge size holds only what ticket numbers and counters need") {
    HeadlessUi ui(1920, 1080);
    ImFont* huge = ui.theme.fonts.huge;
    for (ImWchar c : {ImWchar('A'), ImWchar('Z'), ImWchar('0'), ImWchar('9'), ImWchar(0x2192)})
        CHECK(huge->FindGlyphNoFallback(c) != nullptr);
    CHECK(huge->FindGlyphNoFallback('q') == nullptr);
    CHECK(ui.ui->fonts().TexWidth <= 4096);
    CHECK(ui.ui->fonts().TexHeight <= 4096);
}

TEST_CASE("fonts: the cap height ratio is read from the typeface, and a bad file is an error") {
    auto ratio = capHeightRatio(kTestFont);
    REQUIRE(ratio);
    CHECK(*ratio == Approx(0.626).margin(0.005)); // DejaVu Sans Bold: 1493 / (1901 + 483)
    auto missing = capHeightRatio("/nonexistent.ttf");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("/nonexistent.ttf") != std::string::npos);
}
