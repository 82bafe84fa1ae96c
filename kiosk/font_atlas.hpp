// The kiosk's fonts: DejaVu Sans (Debian's fonts-dejavu-core) at the sizes both themes need,
// with glyph ranges built from every string the kiosk can show (all shipped kiosk texts plus
// Latin-1 for service names), because ImGui's default range stops at U+00FF and Turkish and
// Polish need more. The ticket number font holds only capitals and digits: at 160 px a full
// range would make a huge atlas.
#pragma once

#include "shared/core/result.hpp"
#include "theme.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace loket::kiosk {

struct ThemePair {
    Theme normal;
    Theme large;
    // The glyph ranges the atlas was built from (ImGui keeps pointers to them).
    std::shared_ptr<ImVector<ImWchar>> textRanges;
    std::shared_ptr<ImVector<ImWchar>> numberRanges;
    const Theme& pick(bool largeText) const { return largeText ? large : normal; }
};

// Adds the fonts to the current ImGui context's atlas and fills both themes. `texts` are every
// string that may be drawn (their characters enter the glyph ranges).
Result<ThemePair> loadThemes(double dpi, ImVec2 screen, const std::vector<std::string>& texts,
                             const std::filesystem::path& fontDir = "/usr/share/fonts/truetype/dejavu");

} // namespace loket::kiosk
