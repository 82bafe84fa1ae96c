// Theme: how the kiosk's screens look — colours with their contrast worked out, the fonts in
// use, and the physical sizes from the screen's DPI (TouchMetrics). One Theme for normal text
// and one for large-text mode; the draw functions take the one that applies and nothing else.
// Colours: near-black on white (17:1), white on dark blue for the main choices (8.6:1); focus is
// a thick black outline and "on" is a drawn check mark, so nothing depends on colour alone.
//
// The theme is data for the shared UI host (shared/ui): loadThemes() turns the sizes into font
// specs that loket::ui loads into the host's atlas; the kiosk has no font or renderer code.
#pragma once

#include "shared/core/result.hpp"
#include "shared/kiosk/touch_metrics.hpp"
#include "shared/ui/host.hpp"

#include <imgui.h>

#include <filesystem>
#include <string>
#include <vector>

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
// The colour the host clears each frame to (Palette::background).
inline constexpr ui::Rgb kBackground{255, 255, 255};

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

struct ThemePair {
    Theme normal;
    Theme large;
    const Theme& pick(bool largeText) const { return largeText ? large : normal; }
};

// Loads DejaVu Sans (fonts-dejavu-core) at the sizes of both themes into the host's atlas,
// before its first frame. `texts` are every string that may be drawn: their characters enter the
// glyph ranges (with Latin-1 for service names). The ticket-number and key
// fonts hold only capitals, digits and a few signs: at 160 px a full range would make a huge atlas.
Result<ThemePair> loadThemes(ui::Host& host, double dpi, const std::vector<std::string>& texts,
                             const std::filesystem::path& fontDir = "/usr/share/fonts/truetype/dejavu");

} // namespace loket::kiosk
