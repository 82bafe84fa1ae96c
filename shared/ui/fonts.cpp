#include "shared/ui/fonts.hpp"

#include <stb_truetype.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <map>

namespace loket::ui {

Result<float> capHeightRatio(const std::string& fontFile) {
    std::ifstream in(fontFile, std::ios::binary);
    if (!in) return makeError(ErrorCode::Io, "cannot read the font " + fontFile);
    std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    stbtt_fontinfo info;
    if (data.empty() || !stbtt_InitFont(&info, data.data(), stbtt_GetFontOffsetForIndex(data.data(), 0)))
        return makeError(ErrorCode::InvalidValue, fontFile + " is not a TrueType font");
    int ascent = 0, descent = 0, lineGap = 0;
    stbtt_GetFontVMetrics(&info, &ascent, &descent, &lineGap);
    int x0, y0, x1, y1;
    if (!stbtt_GetCodepointBox(&info, 'H', &x0, &y0, &x1, &y1) || ascent - descent <= 0)
        return makeError(ErrorCode::InvalidValue, fontFile + " has no capital H to measure");
    return static_cast<float>(y1) / static_cast<float>(ascent - descent);
}

void buildGlyphRanges(GlyphRanges& ranges, const std::vector<std::string>& texts, const std::vector<std::string>& bigTexts,
                      TextBase base) {
    ImFontGlyphRangesBuilder text;
    const ImWchar last = base == TextBase::Latin1 ? 0x00FF : 0x017F;
    for (ImWchar c = 0x0020; c <= last; ++c) text.AddChar(c);
    for (auto& s : texts) text.AddText(s.c_str());
    text.BuildRanges(&ranges.text);

    ImFontGlyphRangesBuilder huge;
    huge.AddText("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ ");
    for (auto& s : bigTexts) huge.AddText(s.c_str());
    huge.BuildRanges(&ranges.huge);
}

Result<std::vector<ImFont*>> loadFontSet(ImFontAtlas& atlas, const std::vector<FontSpec>& specs) {
    // Each file once: ImGui would otherwise keep a copy of the file per size until it is cleared.
    std::map<std::filesystem::path, std::vector<unsigned char>> files;
    for (const auto& spec : specs) {
        if (files.count(spec.file)) continue;
        std::ifstream in(spec.file, std::ios::binary);
        if (!in) return makeError(ErrorCode::NotFound, "font not found: " + spec.file.string() + " (install fonts-dejavu-core)");
        files[spec.file].assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (files[spec.file].empty()) return makeError(ErrorCode::InvalidValue, spec.file.string() + " is empty, not a font");
    }
    ImFontConfig config;
    config.OversampleH = 1; // sizes are exact pixels; oversampling would only grow the atlas
    config.OversampleV = 1;
    config.PixelSnapH = true;
    config.FontDataOwnedByAtlas = false; // `files` owns the bytes until the build is done
    atlas.Clear();
    // The texture as tall as the glyphs need, not rounded up to a power of two: the renderer's
    // copy is 4 bytes a texel, and SDL's renderers take any height (up to 3 MB less per atlas).
    atlas.Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    std::vector<ImFont*> fonts;
    for (const auto& spec : specs) {
        auto& data = files[spec.file];
        ImFont* font = atlas.AddFontFromMemoryTTF(data.data(), static_cast<int>(data.size()), spec.px, &config, spec.ranges);
        if (!font) {
            atlas.Clear();
            return makeError(ErrorCode::Io, "cannot load the font " + spec.file.string());
        }
        fonts.push_back(font);
    }
    const bool built = atlas.Build();
    atlas.ClearInputData(); // the glyphs are in the atlas now; `files` goes out of scope
    if (!built) return makeError(ErrorCode::Internal, "the font atlas could not be built (too many glyphs?)");
    return fonts;
}

Status loadFonts(ImFontAtlas& atlas, Theme& theme, const std::string& fontFile, const GlyphRanges& ranges) {
    auto ratio = capHeightRatio(fontFile);
    if (!ratio) return ratio.error();
    FontSet& f = theme.fonts;
    f.capRatio = *ratio;
    f.hugeSize = std::round(theme.hugeCapPx / *ratio);
    f.headingSize = std::round(theme.headingCapPx / *ratio);
    f.bodySize = std::round(theme.bodyCapPx / *ratio);

    auto fonts = loadFontSet(atlas, {FontSpec{fontFile, f.bodySize, ranges.text.Data},
                                     FontSpec{fontFile, f.headingSize, ranges.text.Data},
                                     FontSpec{fontFile, f.hugeSize, ranges.huge.Data}});
    if (!fonts) return fonts.error();
    f.body = (*fonts)[0];
    f.heading = (*fonts)[1];
    f.huge = (*fonts)[2];
    return Ok{};
}

} // namespace loket::ui
