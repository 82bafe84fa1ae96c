#include "shared/ui/contrast.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace loket::ui {
namespace {

double channel(std::uint8_t v) {
    const double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

std::uint32_t key(Rgb c) { return (std::uint32_t(c.r) << 16) | (std::uint32_t(c.g) << 8) | c.b; }
Rgb fromKey(std::uint32_t k) { return Rgb{std::uint8_t(k >> 16), std::uint8_t(k >> 8), std::uint8_t(k)}; }

} // namespace

double relativeLuminance(Rgb c) { return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b); }

double contrastRatio(Rgb a, Rgb b) {
    double la = relativeLuminance(a), lb = relativeLuminance(b);
    if (la < lb) std::swap(la, lb);
    return (la + 0.05) / (lb + 0.05);
}

InkMeasure measureInk(const PixelView& px, Region r, int minPixels) {
    InkMeasure m;
    const int x0 = std::max(0, r.x), y0 = std::max(0, r.y);
    const int x1 = std::min(px.width, r.x + r.w), y1 = std::min(px.height, r.y + r.h);
    if (x0 >= x1 || y0 >= y1) return m;
    std::unordered_map<std::uint32_t, int> counts;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) ++counts[key(px.at(x, y))];
    auto bg = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; });
    m.background = fromKey(bg->first);
    m.ink = m.background;
    for (auto& [k, n] : counts) {
        if (n < minPixels) continue;
        if (contrastRatio(fromKey(k), m.background) > contrastRatio(m.ink, m.background)) m.ink = fromKey(k);
    }
    m.contrast = contrastRatio(m.ink, m.background);
    if (m.ink == m.background) return m;
    // Halfway in luminance contrast: a stable edge for anti-aliased glyphs.
    const double threshold = std::sqrt(m.contrast);
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
            const Rgb c = px.at(x, y);
            if (contrastRatio(c, m.background) < threshold) continue;
            // Only pixels on the ink's side of the background count (not other colours).
            const bool inkBrighter = relativeLuminance(m.ink) > relativeLuminance(m.background);
            if ((relativeLuminance(c) > relativeLuminance(m.background)) != inkBrighter) continue;
            ++m.inkPixels;
            if (m.top < 0 || y < m.top) m.top = y;
            m.bottom = std::max(m.bottom, y);
            if (m.left < 0 || x < m.left) m.left = x;
            m.right = std::max(m.right, x);
        }
    }
    return m;
}

} // namespace loket::ui
