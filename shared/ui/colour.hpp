// Rgb: a colour as 8-bit sRGB, the one colour type of themes, pixel probes and contrast checks.
// Standard library only, so tests and view-models can use it without ImGui.
#pragma once

#include <cstdint>

namespace loket::ui {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    friend bool operator==(const Rgb&, const Rgb&) = default;
};

// ImGui's packed colour (IM_COL32 layout: A in the top byte, then B, G, R).
constexpr std::uint32_t packed(Rgb c, std::uint8_t alpha = 255) {
    return (std::uint32_t(alpha) << 24) | (std::uint32_t(c.b) << 16) | (std::uint32_t(c.g) << 8) | std::uint32_t(c.r);
}

} // namespace loket::ui
