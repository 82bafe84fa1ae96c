#include "theme.hpp"

#include "shared/ui/fonts.hpp"

namespace loket::kiosk {

Result<ThemePair> loadThemes(ui::Host& host, double dpi, const std::vector<std::string>& texts,
                             const std::filesystem::path& fontDir) {
    const auto regular = fontDir / "DejaVuSans.ttf";
    const auto bold = fontDir / "DejaVuSans-Bold.ttf";

    // The glyph ranges live in the host's UI context: ImGui keeps pointers to them.
    ui::GlyphRanges& ranges = host.ui().glyphRanges();
    std::vector<std::string> all = texts;
    all.emplace_back("–—…‘’“”€✓"); // built in place: push_back of a temporary trips GCC 12's -Warray-bounds (bug 105651)
    // Latin-1 only as the base: with Latin Extended-A in all ten text fonts the atlas outgrows
    // 2048 × 1024 and doubles (8 MB more in the renderer's texture).
    ui::buildGlyphRanges(ranges, all, {":–-"}, ui::TextBase::Latin1);

    ThemePair pair;
    std::vector<ui::FontSpec> specs;
    for (bool large : {false, true}) {
        Theme& theme = large ? pair.large : pair.normal;
        theme.m = touchMetrics(dpi, large);
        theme.screen = ImVec2(static_cast<float>(host.width()), static_cast<float>(host.height()));
        specs.push_back({regular, theme.m.bodyPx, ranges.text.Data});
        specs.push_back({bold, theme.m.bodyPx, ranges.text.Data});
        specs.push_back({bold, theme.m.titlePx, ranges.text.Data});
        specs.push_back({bold, theme.m.buttonPx, ranges.text.Data});
        specs.push_back({bold, theme.m.keyPx, ranges.huge.Data});
        // One ticket-number size for both themes: it is already the largest text on screen.
        if (!large) specs.push_back({bold, theme.m.numberPx, ranges.huge.Data});
    }
    ImFontAtlas& atlas = host.fonts();
    atlas.TexDesiredWidth = 2048;
    auto fonts = ui::loadFontSet(atlas, specs);
    if (!fonts) return fonts.error();
    std::size_t i = 0;
    for (bool large : {false, true}) {
        Fonts& f = (large ? pair.large : pair.normal).fonts;
        f.body = (*fonts)[i++];
        f.bodyBold = (*fonts)[i++];
        f.title = (*fonts)[i++];
        f.button = (*fonts)[i++];
        f.key = (*fonts)[i++];
        f.number = large ? pair.normal.fonts.number : (*fonts)[i++];
    }
    return pair;
}

} // namespace loket::kiosk
