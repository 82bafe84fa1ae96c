// Fonts for the kiosk and the display: TrueType files loaded at the sizes a theme asks for, with
// glyph ranges built from the strings we ship (translations, service names) so that €, —, ĳ and ±
// render instead of "?". The huge size holds only the glyphs ticket numbers and counter labels
// need; a 300 px font with every Latin glyph would not fit a 4096² atlas.
//
// Memory: each file is read once however many sizes use it, and the atlas frees its copies of
// the files after the build (UiContext frees the atlas pixels once the renderer has them).
#pragma once

#include "shared/core/result.hpp"
#include "shared/ui/theme.hpp"

#include <imgui.h>

#include <filesystem>
#include <string>
#include <vector>

namespace loket::ui {

// Glyph ranges that must outlive the font atlas build; keep it next to the ImGui context.
struct GlyphRanges {
    ImVector<ImWchar> text; // Latin-1, Latin Extended-A, and every character in the shipped strings
    ImVector<ImWchar> huge; // digits, capitals, space and the characters of the big strings
};

// One font of a theme: a TrueType file at an ImGui font size, with glyph ranges that outlive
// the atlas build (a GlyphRanges member).
struct FontSpec {
    std::filesystem::path file;
    float px = 0;
    const ImWchar* ranges = nullptr;
};

// Cap height / font size for a TrueType file (ImGui sizes fonts by ascent − descent).
Result<float> capHeightRatio(const std::string& fontFile);
// The glyphs every text font holds before the shipped strings add theirs.
enum class TextBase {
    Latin1,          // U+0020–U+00FF: the kiosk (many sizes; its texts add what they need)
    LatinExtendedA,  // up to U+017F (ĳ, ł, ş, … in service names): the display
};
// Fills `ranges` from the strings. `bigTexts` are what the huge font must draw besides digits,
// capitals and space (counter words, arrows).
void buildGlyphRanges(GlyphRanges& ranges, const std::vector<std::string>& texts, const std::vector<std::string>& bigTexts,
                      TextBase base = TextBase::LatinExtendedA);
// Clears `atlas`, adds `specs` (each file read once), builds the atlas and frees its inputs.
// The fonts come back in the order of `specs`. A missing file is named in the error.
Result<std::vector<ImFont*>> loadFontSet(ImFontAtlas& atlas, const std::vector<FontSpec>& specs);
// The signage theme's three sizes of `fontFile` (sizes from the theme's cap heights), into theme.fonts.
Status loadFonts(ImFontAtlas& atlas, Theme& theme, const std::string& fontFile, const GlyphRanges& ranges);

} // namespace loket::ui
