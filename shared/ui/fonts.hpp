// Fonts for a Theme: one typeface at three sizes, with glyph ranges built from the strings we
// ship (translations, service names) so that €, —, ĳ and ± render instead of "?". The huge size
// holds only the glyphs ticket numbers and counter labels need; a 300 px font with every Latin
// glyph would not fit a 4096² atlas.
#pragma once

#include "shared/core/result.hpp"
#include "shared/ui/theme.hpp"

#include <imgui.h>

#include <string>
#include <vector>

namespace loket::ui {

// Glyph ranges that must outlive the font atlas build; keep it next to the ImGui context.
struct GlyphRanges {
    ImVector<ImWchar> text; // Latin-1, Latin Extended-A, and every character in the shipped strings
    ImVector<ImWchar> huge; // digits, capitals and the characters of the big strings
};

// Cap height / font size for a TrueType file (ImGui sizes fonts by ascent − descent).
Result<float> capHeightRatio(const std::string& fontFile);
// Fills `ranges` from the strings. `bigTexts` are what the huge font must draw (counter words).
void buildGlyphRanges(GlyphRanges& ranges, const std::vector<std::string>& texts, const std::vector<std::string>& bigTexts);
// Loads the three sizes into `atlas`, builds it, and stores them in theme.fonts.
Status loadFonts(ImFontAtlas& atlas, Theme& theme, const std::string& fontFile, const GlyphRanges& ranges);

} // namespace loket::ui
