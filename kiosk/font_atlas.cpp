#include "font_atlas.hpp"

#include <fstream>

namespace loket::kiosk {
namespace {

// Adds every code point of a UTF-8 string (16-bit ImWchar: the Basic Multilingual Plane).
void addUtf8(ImFontGlyphRangesBuilder& builder, const std::string& text) { builder.AddText(text.c_str()); }

ImFont* addFont(ImFontAtlas& atlas, const std::filesystem::path& file, float px, const ImWchar* ranges) {
    ImFontConfig config;
    config.OversampleH = 1; // large sizes gain nothing from oversampling; it doubles the atlas
    config.OversampleV = 1;
    config.PixelSnapH = true;
    return atlas.AddFontFromFileTTF(file.string().c_str(), px, &config, ranges);
}

} // namespace

Result<ThemePair> loadThemes(double dpi, ImVec2 screen, const std::vector<std::string>& texts,
                             const std::filesystem::path& fontDir) {
    const auto regular = fontDir / "DejaVuSans.ttf";
    const auto bold = fontDir / "DejaVuSans-Bold.ttf";
    for (const auto& f : {regular, bold})
        if (!std::ifstream(f)) return makeError(ErrorCode::NotFound, "font not found: " + f.string() + " (install fonts-dejavu-core)");

    ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    // ImGui keeps pointers to the range arrays until the atlas is built: keep them with the atlas.
    ThemePair pair;
    pair.textRanges = std::make_shared<ImVector<ImWchar>>();
    pair.numberRanges = std::make_shared<ImVector<ImWchar>>();
    ImVector<ImWchar>* textRanges = pair.textRanges.get();
    ImVector<ImWchar>* numberRanges = pair.numberRanges.get();
    {
        ImFontGlyphRangesBuilder builder;
        builder.AddRanges(atlas.GetGlyphRangesDefault()); // Basic Latin + Latin-1
        for (const auto& t : texts) addUtf8(builder, t);
        addUtf8(builder, "–—…‘’“”€✓");
        builder.BuildRanges(textRanges);
        ImFontGlyphRangesBuilder digits;
        digits.AddText("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:–- ");
        digits.BuildRanges(numberRanges);
    }
    atlas.TexDesiredWidth = 2048;

    for (bool large : {false, true}) {
        Theme& theme = large ? pair.large : pair.normal;
        theme.m = touchMetrics(dpi, large);
        theme.screen = screen;
        theme.fonts.body = addFont(atlas, regular, theme.m.bodyPx, textRanges->Data);
        theme.fonts.bodyBold = addFont(atlas, bold, theme.m.bodyPx, textRanges->Data);
        theme.fonts.title = addFont(atlas, bold, theme.m.titlePx, textRanges->Data);
        theme.fonts.button = addFont(atlas, bold, theme.m.buttonPx, textRanges->Data);
        theme.fonts.key = addFont(atlas, bold, theme.m.keyPx, numberRanges->Data);
        if (!large) theme.fonts.number = addFont(atlas, bold, theme.m.numberPx, numberRanges->Data);
        else theme.fonts.number = pair.normal.fonts.number;
        for (ImFont* f : {theme.fonts.body, theme.fonts.bodyBold, theme.fonts.title, theme.fonts.button, theme.fonts.key,
                          theme.fonts.number})
            if (!f) return makeError(ErrorCode::Io, "could not load the DejaVu fonts from " + fontDir.string());
    }
    if (!atlas.Build()) return makeError(ErrorCode::Io, "the font atlas could not be built");
    return pair;
}

} // namespace loket::kiosk
