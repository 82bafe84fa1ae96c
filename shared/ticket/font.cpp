#include "font.hpp"

#include <stb_truetype.h>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace loket::ticket {

struct FontFace::Impl {
    std::vector<unsigned char> data;
    stbtt_fontinfo info{};
    int ascent = 0, descent = 0, lineGap = 0; // font units
};

FontFace::~FontFace() = default;

Result<std::shared_ptr<const FontFace>> FontFace::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorCode::NotFound, "cannot open font " + path.string());
    auto impl = std::make_unique<Impl>();
    in.seekg(0, std::ios::end);
    impl->data.resize(static_cast<std::size_t>(std::max<std::streamoff>(in.tellg(), 0)));
    in.seekg(0, std::ios::beg);
    in.read(reinterpret_cast<char*>(impl->data.data()), static_cast<std::streamsize>(impl->data.size()));
    if (!in) return makeError(ErrorCode::Io, "cannot read font " + path.string());
    const int offset = impl->data.empty() ? -1 : stbtt_GetFontOffsetForIndex(impl->data.data(), 0);
    if (offset < 0 || !stbtt_InitFont(&impl->info, impl->data.data(), offset))
        return makeError(ErrorCode::InvalidValue, "not a TrueType font: " + path.string());
    stbtt_GetFontVMetrics(&impl->info, &impl->ascent, &impl->descent, &impl->lineGap);
    std::shared_ptr<FontFace> face(new FontFace());
    face->m_path = path;
    face->m_impl = std::move(impl);
    return std::shared_ptr<const FontFace>(std::move(face));
}

bool FontFace::hasGlyph(char32_t codepoint) const {
    return stbtt_FindGlyphIndex(&m_impl->info, static_cast<int>(codepoint)) != 0;
}

namespace {

const std::vector<std::filesystem::path> kFontFolders = {
    "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu",
    "/usr/share/fonts/dejavu-sans-fonts", "/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto",
    "/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation-sans",
};

std::vector<std::filesystem::path> inFolders(const std::vector<std::filesystem::path>& folders,
                                             std::initializer_list<const char*> names) {
    std::vector<std::filesystem::path> out;
    for (const char* name : names)
        for (const auto& folder : folders) out.push_back(folder / name);
    return out;
}

FontSearch searchFolders(const std::vector<std::filesystem::path>& folders) {
    return FontSearch{
        inFolders(folders, {"DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf"}),
        inFolders(folders, {"DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf", "LiberationSans-Bold.ttf"}),
        inFolders(folders, {"NotoSans-Regular.ttf"}),
    };
}

Result<std::shared_ptr<const FontFace>> firstExisting(const std::vector<std::filesystem::path>& paths,
                                                      const char* what) {
    std::string tried;
    for (const auto& path : paths) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) {
            tried += "\n  " + path.string();
            continue;
        }
        return FontFace::load(path);
    }
    return makeError(ErrorCode::NotFound, std::string("no ") + what + " font found; tried:" + tried);
}

// The face that draws `cp`: the first that has it, else the primary face's "missing" box.
const FontFace& faceFor(const Font& font, char32_t cp) {
    for (const auto& face : font.faces)
        if (face->hasGlyph(cp)) return *face;
    return *font.faces.front();
}

float scaleFor(const FontFace& face, int pixelHeight) {
    return stbtt_ScaleForPixelHeight(&face.impl().info, static_cast<float>(pixelHeight));
}

// Walks the glyphs of a line, calling `visit(face, glyph, scale, penX)` at each pen position;
// returns the advance of the whole line.
template <typename Visit>
float walkGlyphs(const Font& font, int pixelHeight, const std::u32string& text, Visit&& visit) {
    float pen = 0;
    const FontFace* previousFace = nullptr;
    int previousGlyph = 0;
    for (char32_t cp : text) {
        const FontFace& face = faceFor(font, cp);
        const auto& info = face.impl().info;
        const float scale = scaleFor(face, pixelHeight);
        const int glyph = stbtt_FindGlyphIndex(&info, static_cast<int>(cp));
        if (previousFace == &face && previousGlyph != 0)
            pen += scale * static_cast<float>(stbtt_GetGlyphKernAdvance(&info, previousGlyph, glyph));
        visit(face, glyph, scale, pen);
        int advance = 0, leftBearing = 0;
        stbtt_GetGlyphHMetrics(&info, glyph, &advance, &leftBearing);
        pen += scale * static_cast<float>(advance);
        previousFace = &face;
        previousGlyph = glyph;
    }
    return pen;
}

} // namespace

FontSearch defaultFontSearch() { return searchFolders(kFontFolders); }

FontSearch fontSearchIn(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> folders{folder};
    folders.insert(folders.end(), kFontFolders.begin(), kFontFolders.end());
    return searchFolders(folders);
}

Result<Fonts> loadFonts(const FontSearch& search) {
    auto regular = firstExisting(search.regular, "regular");
    if (!regular) return regular.error();
    auto bold = firstExisting(search.bold, "bold");
    Fonts fonts;
    fonts.regular.faces.push_back(*regular);
    fonts.bold.faces.push_back(bold ? *bold : *regular);
    for (const auto& path : search.fallback) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) continue;
        auto face = FontFace::load(path);
        if (!face) return face.error();
        fonts.regular.faces.push_back(*face);
        fonts.bold.faces.push_back(*face);
    }
    return fonts;
}

LineMetrics lineMetrics(const Font& font, int pixelHeight) {
    const auto& face = *font.faces.front();
    const float scale = scaleFor(face, pixelHeight);
    LineMetrics m;
    m.ascent = static_cast<int>(std::ceil(scale * static_cast<float>(face.impl().ascent)));
    m.descent = static_cast<int>(std::ceil(-scale * static_cast<float>(face.impl().descent)));
    m.lineHeight = m.ascent + m.descent + static_cast<int>(std::lround(scale * static_cast<float>(face.impl().lineGap)));
    return m;
}

int measureText(const Font& font, int pixelHeight, const std::u32string& text) {
    if (font.faces.empty()) return 0;
    const float width = walkGlyphs(font, pixelHeight, text, [](const FontFace&, int, float, float) {});
    return static_cast<int>(std::ceil(width));
}

void drawText(Bitmap& target, const Font& font, int pixelHeight, int x, int baselineY,
              const std::u32string& text, int threshold) {
    if (font.faces.empty()) return;
    std::vector<unsigned char> coverage;
    walkGlyphs(font, pixelHeight, text, [&](const FontFace& face, int glyph, float scale, float pen) {
        const auto& info = face.impl().info;
        const float whole = std::floor(pen);
        const float shift = pen - whole;
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        stbtt_GetGlyphBitmapBoxSubpixel(&info, glyph, scale, scale, shift, 0, &x0, &y0, &x1, &y1);
        const int w = x1 - x0, h = y1 - y0;
        if (w <= 0 || h <= 0) return;
        coverage.assign(static_cast<std::size_t>(w) * h, 0);
        stbtt_MakeGlyphBitmapSubpixel(&info, coverage.data(), w, h, w, scale, scale, shift, 0, glyph);
        const int left = x + static_cast<int>(whole) + x0;
        const int top = baselineY + y0;
        for (int row = 0; row < h; ++row)
            for (int col = 0; col < w; ++col)
                if (coverage[static_cast<std::size_t>(row) * w + col] >= threshold) target.set(left + col, top + row);
    });
}

} // namespace loket::ticket
