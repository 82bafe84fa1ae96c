#include "pairing_screen.hpp"

#include "screens.hpp"

namespace loket::kiosk {

namespace {

Text plain(const std::string& s) { return Text{s, s}; }

} // namespace

DrawOut drawPairing(const enrol::PairingVm& vm, const Theme& theme) {
    DrawOut out;
    beginScreenWindow("pairing", theme);
    {
        DrawKit kit(theme, out, false);
        const Palette& c = theme.colors;
        const float m = theme.m.marginPx, gap = theme.m.gapPx;
        const float left = m, width = theme.screen.x - 2 * m;
        float y = m + gap * 2;
        y += kit.paragraph(plain(vm.title.first), theme.fonts.title, ImVec2(left, y), width, Align::Center, c.text, c.background);
        if (!vm.title.second.empty())
            y += kit.paragraph(plain(vm.title.second), theme.fonts.body, ImVec2(left, y), width, Align::Center, c.mutedText, c.background);
        y += gap * 3;
        if (!vm.code.empty()) {
            // The code in a framed panel: label, then the digits at ticket-number size.
            const float numberH = theme.fonts.number->FontSize * 1.2f;
            const float labelH = kit.measure(vm.codeLabel.first, theme.fonts.bodyBold, width);
            const float panelH = labelH + numberH + gap * 4;
            kit.panel(ImVec2(left, y), ImVec2(left + width, y + panelH), c.secondary, c.border);
            float py = y + gap * 1.5f;
            py += kit.paragraph(plain(vm.codeLabel.first + (vm.codeLabel.second.empty() ? "" : " / " + vm.codeLabel.second)),
                                theme.fonts.bodyBold, ImVec2(left, py), width, Align::Center, c.text, c.secondary);
            kit.paragraph(plain(vm.code), theme.fonts.number, ImVec2(left, py), width, Align::Center, c.text, c.secondary, true);
            y += panelH + gap * 3;
        }
        if (!vm.notice.first.empty()) {
            const float inner = width - gap * 4;
            const float h = kit.measure(vm.notice.first, theme.fonts.bodyBold, inner) +
                            (vm.notice.second.empty() ? 0 : kit.measure(vm.notice.second, theme.fonts.body, inner)) + gap * 3;
            kit.panel(ImVec2(left, y), ImVec2(left + width, y + h), c.notice, c.border);
            float ny = y + gap * 1.5f;
            ny += kit.paragraph(plain(vm.notice.first), theme.fonts.bodyBold, ImVec2(left + gap * 2, ny), inner, Align::Left, c.text, c.notice);
            if (!vm.notice.second.empty())
                kit.paragraph(plain(vm.notice.second), theme.fonts.body, ImVec2(left + gap * 2, ny), inner, Align::Left, c.text, c.notice);
            y += h + gap * 3;
        }
        for (const auto& line : vm.lines) {
            y += kit.paragraph(plain(line.first), theme.fonts.bodyBold, ImVec2(left, y), width, Align::Left, c.text, c.background);
            if (!line.second.empty())
                y += kit.paragraph(plain(line.second), theme.fonts.body, ImVec2(left, y), width, Align::Left, c.mutedText, c.background);
            y += gap * 2;
        }
        // At the bottom, for a visitor who walks up to a kiosk that is being set up.
        const float bottomH = kit.measure(vm.staffOnly.first, theme.fonts.body, width) +
                              kit.measure(vm.staffOnly.second, theme.fonts.body, width);
        float by = std::max(y, theme.screen.y - m - bottomH);
        by += kit.paragraph(plain(vm.staffOnly.first), theme.fonts.body, ImVec2(left, by), width, Align::Left, c.text, c.background);
        if (!vm.staffOnly.second.empty())
            kit.paragraph(plain(vm.staffOnly.second), theme.fonts.body, ImVec2(left, by), width, Align::Left, c.mutedText, c.background);
    }
    endScreenWindow();
    return out;
}

} // namespace loket::kiosk
