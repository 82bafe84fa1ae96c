// Theme: every size and colour of a Loket screen, derived from one ScreenSpec (pixels, panel
// diagonal, viewing distance) so a display is legible across the hall and a kiosk is usable by
// touch. Sizes are cap heights in pixels (what a reader sees); fonts.hpp turns them into font
// sizes for the chosen typeface. Draw functions take `const Theme&` and read nothing global.
// Colours meet WCAG: 7:1 for the called number, 4.5:1 for everything else (tests/ui checks).
#pragma once

#include "shared/ui/colour.hpp"

struct ImFont;

namespace loket::ui {

struct ScreenSpec {
    int widthPx = 1920;
    int heightPx = 1080;
    double diagonalInches = 55;
    double viewingDistanceM = 10; // the farthest reader
};

// Fonts chosen for a theme; filled by loadFonts (fonts.hpp). Sizes are ImGui font sizes.
struct FontSet {
    ImFont* huge = nullptr;    // ticket numbers and counters: digits, capitals and a few words only
    ImFont* heading = nullptr;
    ImFont* body = nullptr;
    float hugeSize = 0, headingSize = 0, bodySize = 0;
    float capRatio = 0.63f;    // cap height / font size for the loaded typeface
};

struct Theme {
    ScreenSpec screen;
    double pxPerMm = 1;
    float hugeCapPx = 0;    // called number: at least 0.7° at the viewing distance
    float headingCapPx = 0;
    float bodyCapPx = 0;
    float margin = 0;       // outer margin
    float gap = 0;          // between blocks
    float rule = 0;         // line and border thickness
    Rgb background{0x0A, 0x1A, 0x2F};
    Rgb panel{0x13, 0x26, 0x3F};
    Rgb text{0xFF, 0xFF, 0xFF};
    Rgb textMuted{0xC8, 0xD2, 0xDC};
    Rgb highlight{0xFF, 0xD4, 0x00};   // background of the newest call while highlighted
    Rgb onHighlight{0x00, 0x00, 0x00};
    Rgb warning{0xB0, 0x00, 0x20};     // "verbinding verbroken" mark
    Rgb onWarning{0xFF, 0xFF, 0xFF};
    FontSet fonts;
};

// The height that subtends `degrees` at `distanceM`, in millimetres (0.7° at 10 m ≈ 122 mm).
double capHeightMm(double distanceM, double degrees = 0.7);
double pixelsPerMm(const ScreenSpec& screen);
// The hall-display theme for a screen.
Theme makeSignageTheme(const ScreenSpec& screen);

} // namespace loket::ui
