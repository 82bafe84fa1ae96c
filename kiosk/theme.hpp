// Theme: how the kiosk's screens look — colours with their contrast worked out, the fonts in
// use, and the physical sizes from the screen's DPI (TouchMetrics). One Theme for normal text
// and one for large-text mode; the draw functions take the one that applies and nothing else.
// Colours: near-black on white (17:1), white on dark blue for the main choices (8.6:1); focus is
// a thick black outline and "on" is a drawn check mark, so nothing depends on colour alone.
#pragma once

#include "shared/kiosk/touch_metrics.hpp"

#include <imgui.h>

namespace loket::kiosk {

struct Palette {
    ImU32 background = IM_COL32(255, 255, 255, 255);
    ImU32 text = IM_COL32(26, 26, 26, 255);
    ImU32 mutedText = IM_COL32(64, 64, 64, 255);        // 10:1 on white
    ImU32 primary = IM_COL32(11, 79, 138, 255);         // button fill
    ImU32 onPrimary = IM_COL32(255, 255, 255, 255);
    ImU32 secondary = IM_COL32(240, 244, 248, 255);     // light fill of other buttons
    ImU32 border = IM_COL32(26, 26, 26, 255);
    ImU32 focus = IM_COL32(0, 0, 0, 255);
    ImU32 focusHalo = IM_COL32(255, 213, 0, 255);       // yellow halo inside the black outline
    ImU32 panel = IM_COL32(255, 255, 255, 255);
    ImU32 scrim = IM_COL32(0, 0, 0, 170);
    ImU32 notice = IM_COL32(255, 244, 206, 255);        // warm background of notices (text stays black)
    ImU32 field = IM_COL32(250, 250, 250, 255);
};

struct Fonts {
    ImFont* body = nullptr;
    ImFont* bodyBold = nullptr;
    ImFont* title = nullptr;
    ImFont* button = nullptr;
    ImFont* key = nullptr;
    ImFont* number = nullptr; // digits and capitals only, very large
};

struct Theme {
    TouchMetrics m;
    Palette colors;
    Fonts fonts;
    ImVec2 screen{1080, 1920};
    bool landscape() const { return screen.x > screen.y; }
    // Millimetres on this screen, in pixels.
    float mm(double millimetres) const { return static_cast<float>(millimetres * m.pxPerMm); }
};

} // namespace loket::kiosk
