// A headless ImGui frame for tests: software renderer + UiContext + signage theme with fonts.
#pragma once

#include "shared/ui/fonts.hpp"
#include "shared/ui/headless_renderer.hpp"
#include "shared/ui/theme.hpp"
#include "shared/ui/ui_context.hpp"

#include <catch2/catch.hpp>

#include <memory>

inline const char* kTestFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

struct HeadlessUi {
    std::unique_ptr<loket::ui::HeadlessRenderer> target;
    std::unique_ptr<loket::ui::UiContext> ui;
    loket::ui::Theme theme;

    HeadlessUi(int w, int h, std::vector<std::string> texts = {}) {
        auto created = loket::ui::HeadlessRenderer::create(w, h);
        REQUIRE(created);
        target = std::move(*created);
        ui = std::make_unique<loket::ui::UiContext>(target->renderer());
        theme = loket::ui::makeSignageTheme(loket::ui::ScreenSpec{w, h, 55, 10});
        loket::ui::buildGlyphRanges(ui->glyphRanges(), texts, {"\u2192\u2190\u2191\u2193\u2196\u2197\u2198\u2199\u2014"});
        REQUIRE(loket::ui::loadFonts(ui->fonts(), theme, kTestFont, ui->glyphRanges()));
    }
};
