#include "shared/ui/fonts.hpp"

#include <stb_truetype.h>

#include <cmath>
#include <fstream>
#include <iterator>

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

void buildGlyphRanges(GlyphRanges& ranges, const std::vector<std::string>& texts, const std::vector<std::string>& bigTexts) {
    ImFontGlyphRangesBuilder text;
    for (ImWchar c = 0x0020; c <= 0x017F; ++c) text.AddChar(c); // Latin-1 and Latin Extended-A (ĳ, ł, ş, …)
    for (auto& s : texts) text.AddText(s.c_str());
    text.BuildRanges(&ranges.text);

    ImFontGlyphRangesBuilder huge;
    huge.AddText("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ \u2192\u2190\u2191\u2193\u2196\u2197\u2198\u2199\u2014");
    for (auto& s : bigTexts) huge.AddText(s.c_str());
    huge.BuildRanges(&ranges.huge);
}

Status loadFonts(ImFontAtlas& atlas, Theme& theme, const std::string& fontFile, const GlyphRanges& ranges) {
    auto ratio = capHeightRatio(fontFile);
    if (!ratio) return ratio.error();
    FontSet& f = theme.fonts;
    f.capRatio = *ratio;
    f.hugeSize = std::round(theme.hugeCapPx / *ratio);
    f.headingSize = std::round(theme.headingCapPx / *ratio);
    f.bodySize = std::round(theme.bodyCapPx / *ratio);

    ImFontConfig config;
    config.OversampleH = 1; // sizes are exact pixels; oversampling would only grow the atlas
    config.OversampleV = 1;
    config.PixelSnapH = true;
    atlas.Clear();
    f.body = atlas.AddFontFromFileTTF(fontFile.c_str(), f.bodySize, &config, ranges.text.Data);
    f.heading = atlas.AddFontFromFileTTF(fontFile.c_str(), f.headingSize, &config, ranges.text.Data);
    f.huge = atlas.AddFontFromFileTTF(fontFile.c_str(), f.hugeSize, &config, ranges.huge.Data);
    if (!f.body || !f.heading || !f.huge) return makeError(ErrorCode::Io, "cannot load the font " + fontFile);
    if (!atlas.Build()) return makeError(ErrorCode::Internal, "the font atlas could not be built (too many glyphs?)");
    return Ok{};
}

} // namespace loket::ui
