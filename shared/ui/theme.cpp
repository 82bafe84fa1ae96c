#include "shared/ui/theme.hpp"

#include <algorithm>
#include <cmath>

namespace loket::ui {

double capHeightMm(double distanceM, double degrees) {
    return 2.0 * distanceM * 1000.0 * std::tan(degrees * M_PI / 180.0 / 2.0);
}

double pixelsPerMm(const ScreenSpec& s) {
    const double diagonalPx = std::hypot(static_cast<double>(s.widthPx), static_cast<double>(s.heightPx));
    return diagonalPx / (s.diagonalInches * 25.4);
}

Theme makeSignageTheme(const ScreenSpec& screen) {
    Theme t;
    t.screen = screen;
    t.pxPerMm = pixelsPerMm(screen);
    const float shortSide = static_cast<float>(std::min(screen.widthPx, screen.heightPx));
    // The called number: 0.7° at the farthest reader, and never smaller than a sixth of the
    // short side (a small screen seen from close by still shows a big number).
    t.hugeCapPx = static_cast<float>(std::ceil(std::max(capHeightMm(screen.viewingDistanceM) * t.pxPerMm, shortSide / 6.0)));
    // It must leave room for the counter line and the headers: at most 28% of the short side.
    t.hugeCapPx = std::min(t.hugeCapPx, std::floor(shortSide * 0.28f));
    t.headingCapPx = std::round(shortSide * 0.030f);
    t.bodyCapPx = std::round(shortSide * 0.026f);
    t.margin = std::round(shortSide * 0.03f);
    t.gap = std::round(shortSide * 0.02f);
    t.rule = std::max(2.0f, std::round(shortSide * 0.006f));
    return t;
}

} // namespace loket::ui
