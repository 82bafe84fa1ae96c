// Contrast as WCAG 2.x defines it (relative luminance, ratio (L1 + 0.05) / (L2 + 0.05)), and
// measurements on rendered pixels: the background and ink colours of a region, the ink's
// bounding box (glyph heights in pixels) and its contrast. Used by theme checks and by UI tests
// that assert legibility on real screenshots. Standard library only.
#pragma once

#include "shared/ui/colour.hpp"

#include <cstdint>

namespace loket::ui {

double relativeLuminance(Rgb c);
double contrastRatio(Rgb a, Rgb b);

// A read-only view of RGBA32 pixels (bytes R, G, B, A), as HeadlessRenderer produces.
struct PixelView {
    const std::uint8_t* data = nullptr;
    int width = 0;
    int height = 0;
    int pitch = 0; // bytes per row
    Rgb at(int x, int y) const {
        const std::uint8_t* p = data + y * pitch + x * 4;
        return Rgb{p[0], p[1], p[2]};
    }
};

struct Region {
    int x = 0, y = 0, w = 0, h = 0;
};

struct InkMeasure {
    Rgb background;   // the most common colour in the region
    Rgb ink;          // the strongest colour that is clearly not background (solid glyph interior)
    double contrast = 1.0; // contrastRatio(ink, background)
    int inkPixels = 0;
    // Bounding box of ink pixels (those at least halfway, in contrast, from background to ink).
    int top = -1, bottom = -1, left = -1, right = -1;
    int inkHeight() const { return top < 0 ? 0 : bottom - top + 1; }
    int inkWidth() const { return left < 0 ? 0 : right - left + 1; }
};

// Measures the ink in `region` (clipped to the image). A colour counts as ink only if at least
// `minPixels` pixels have it, so anti-aliased edges do not decide the contrast.
InkMeasure measureInk(const PixelView& pixels, Region region, int minPixels = 12);

} // namespace loket::ui
