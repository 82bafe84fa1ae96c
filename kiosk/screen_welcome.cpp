#include "screens.hpp"

#include <algorithm>

namespace loket::kiosk {

WelcomeOut drawWelcome(const WelcomeVm& vm, const Theme& theme) {
    WelcomeOut out;
    DrawKit kit(theme, out);
    const Palette& c = theme.colors;
    const Area a = contentArea(theme);
    const float gap = theme.m.gapPx;
    float y = a.min.y + a.height() * 0.06f;
    y += kit.paragraph(vm.title, theme.fonts.title, ImVec2(a.min.x, y), a.width(), Align::Center, c.text, c.background);
    y += gap;
    y += kit.paragraph(vm.subtitle, theme.fonts.body, ImVec2(a.min.x, y), a.width(), Align::Center, c.text, c.background);

    // The two big choices, in the upper middle where a standing or seated visitor reaches them.
    const float choiceH = std::max(theme.m.mainChoicePx, theme.m.buttonPx * 3.2f);
    y = std::max(y + gap * 4, a.min.y + a.height() * 0.28f);
    for (const Target* t : {&vm.withAppointment, &vm.withoutAppointment}) {
        kit.button(*t, ImVec2(a.min.x, y), ImVec2(a.max.x, y + choiceH), ButtonStyle::Primary);
        y += choiceH + gap * 3;
    }

    // Language buttons: each in its own language, the current one checked.
    const std::size_t n = vm.languages.size();
    if (n == 0) return out;
    const std::size_t perRow = theme.landscape() ? n : std::min<std::size_t>(n, 2);
    const float rowH = std::max(theme.m.minTargetPx * 1.3f, theme.m.buttonPx * 2.2f);
    const float w = (a.width() - static_cast<float>(perRow - 1) * gap * 2) / static_cast<float>(perRow);
    y = std::max(y + gap * 2, a.max.y - (rowH + gap * 2) * static_cast<float>((n + perRow - 1) / perRow));
    for (std::size_t i = 0; i < n; ++i) {
        const float x = a.min.x + static_cast<float>(i % perRow) * (w + gap * 2);
        const float top = y + static_cast<float>(i / perRow) * (rowH + gap * 2);
        kit.button(vm.languages[i], ImVec2(x, top), ImVec2(x + w, top + rowH), ButtonStyle::Secondary);
    }
    return out;
}

} // namespace loket::kiosk
