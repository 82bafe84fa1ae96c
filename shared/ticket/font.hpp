// Fonts for the printed ticket: TrueType files rasterised with stb_truetype and cut to 1 bit.
// The ticket must print Dutch and English with é, ë and €, so the default is DejaVu Sans (Debian's
// fonts-dejavu-core) with a list of fallback places and families; a glyph missing from the first
// face is taken from the next face that has it.
// Used by the ticket layout and the benchmark. Depends on stb_truetype (libstb) only; it never
// reads the ticket content or a printer.
#pragma once

#include "bitmap.hpp"
#include "shared/core/result.hpp"

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

namespace loket::ticket {

// One TrueType file held in memory (stb_truetype reads the bytes in place).
class FontFace {
public:
    static Result<std::shared_ptr<const FontFace>> load(const std::filesystem::path& path);
    ~FontFace();
    FontFace(const FontFace&) = delete;
    FontFace& operator=(const FontFace&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    bool hasGlyph(char32_t codepoint) const;

    struct Impl;
    const Impl& impl() const { return *m_impl; }

private:
    FontFace() = default;
    std::filesystem::path m_path;
    std::unique_ptr<Impl> m_impl;
};

// A font is a primary face plus fallbacks, tried in order for each character.
struct Font {
    std::vector<std::shared_ptr<const FontFace>> faces;
};

struct Fonts {
    Font regular;
    Font bold;
};

// Where to look: the first existing file of each list is used; every existing file of
// `fallback` is appended to both fonts as a fallback face.
struct FontSearch {
    std::vector<std::filesystem::path> regular;
    std::vector<std::filesystem::path> bold;
    std::vector<std::filesystem::path> fallback;
};

// DejaVu Sans in the places Debian, Fedora and Arch put it, then Noto Sans and Liberation Sans.
FontSearch defaultFontSearch();
// The same file names looked up in one folder first (e.g. fonts shipped next to the kiosk).
FontSearch fontSearchIn(const std::filesystem::path& folder);
// Fails with `not_found` naming every path tried when no regular face exists; a missing bold
// face falls back to the regular one (the ticket stays readable, only less emphatic).
Result<Fonts> loadFonts(const FontSearch& search = defaultFontSearch());

// Vertical metrics of a font at a pixel height, in whole dots.
struct LineMetrics {
    int ascent = 0;  // baseline to the top of the tallest glyph
    int descent = 0; // baseline to the bottom (positive)
    int lineHeight = 0;
};
LineMetrics lineMetrics(const Font& font, int pixelHeight);

// Width in dots of a line of text (no wrapping).
int measureText(const Font& font, int pixelHeight, const std::u32string& text);
// Draws one line with its baseline at `baselineY`; anti-aliased coverage at or above
// `threshold` (0..255) becomes a black dot.
void drawText(Bitmap& target, const Font& font, int pixelHeight, int x, int baselineY,
              const std::u32string& text, int threshold = 110);

} // namespace loket::ticket
