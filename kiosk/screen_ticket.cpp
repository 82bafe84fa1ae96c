#include "screens.hpp"

#include <algorithm>
#include <cmath>

namespace loket::kiosk {
namespace {

// Only capitals, digits and ':' are in the number font's atlas.
bool fitsNumberFont(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == ':';
    });
}

void drawQr(DrawKit& kit, const ticket::QrMatrix& qr, ImVec2 topLeft, float module, const Palette& c) {
    const float side = static_cast<float>(qr.width + 2 * ticket::kQrQuietModules) * module;
    ImDrawList& d = kit.drawList();
    d.AddRectFilled(topLeft, ImVec2(topLeft.x + side, topLeft.y + side), IM_COL32(255, 255, 255, 255));
    d.AddRect(topLeft, ImVec2(topLeft.x + side, topLeft.y + side), c.border, 0, 0, 2.0f);
    const float q = static_cast<float>(ticket::kQrQuietModules) * module;
    for (int y = 0; y < qr.width; ++y)
        for (int x = 0; x < qr.width; ++x)
            if (qr.at(x, y)) {
                const ImVec2 p(topLeft.x + q + static_cast<float>(x) * module, topLeft.y + q + static_cast<float>(y) * module);
                d.AddRectFilled(p, ImVec2(p.x + module, p.y + module), IM_COL32(0, 0, 0, 255));
            }
}

} // namespace

TicketOut drawTicket(const TicketVm& vm, const Theme& theme) {
    TicketOut out;
    DrawKit kit(theme, out);
    const Palette& c = theme.colors;
    const Area full = contentArea(theme);
    const float gap = theme.m.gapPx;
    // Landscape with a QR code: the code gets the right-hand column, the words the left.
    const bool sideBySide = vm.qr && theme.landscape();
    Area a = full;
    if (sideBySide) a.max.x = full.min.x + full.width() * 0.58f;
    float y = a.min.y + gap;
    y += kit.paragraph(vm.title, theme.fonts.title, ImVec2(a.min.x, y), a.width(), Align::Center, c.text, c.background);
    // The number: black on white (21:1), as large as the number font.
    ImFont* numberFont = fitsNumberFont(vm.number.shown) ? theme.fonts.number : theme.fonts.title;
    y += kit.paragraph(vm.number, numberFont, ImVec2(a.min.x, y), a.width(), Align::Center, IM_COL32(0, 0, 0, 255),
                       c.background, true);
    y += kit.paragraph(vm.service, theme.fonts.button, ImVec2(a.min.x, y), a.width(), Align::Center, c.text, c.background);
    y += gap;
    if (vm.appointment)
        y += kit.paragraph(*vm.appointment, theme.fonts.bodyBold, ImVec2(a.min.x, y), a.width(), Align::Center, c.text, c.background);
    if (vm.wait) y += kit.paragraph(*vm.wait, theme.fonts.body, ImVec2(a.min.x, y), a.width(), Align::Center, c.text, c.background);
    y += gap * 3;

    // What happens with the paper: printing, or (printer fault) take a photo of this screen.
    const float pad = gap * 2;
    const float icon = theme.mm(14);
    const float inner = a.width() - 3 * pad - icon;
    ImFont* statusFont = vm.onScreen ? theme.fonts.bodyBold : theme.fonts.body;
    const float statusH = std::max(icon, kit.measure(vm.status.shown, statusFont, inner)) + 2 * pad;
    const ImU32 statusBg = vm.onScreen ? c.notice : c.secondary;
    kit.panel(ImVec2(a.min.x, y), ImVec2(a.max.x, y + statusH), statusBg, c.border);
    kit.pictogram(vm.onScreen ? Pictogram::Warning : Pictogram::Printer, ImVec2(a.min.x + pad + icon * 0.5f, y + statusH * 0.5f),
                  icon, c.text, statusBg);
    const float textH = kit.measure(vm.status.shown, statusFont, inner);
    kit.paragraph(vm.status, statusFont, ImVec2(a.min.x + 2 * pad + icon, y + (statusH - textH) * 0.5f), inner, Align::Left,
                  c.text, statusBg);
    y += statusH + gap * 3;

    const float buttonH = std::max(theme.m.minTargetPx * 1.3f, theme.m.buttonPx * 2.4f);
    if (vm.qr) {
        // As large as fits (75 mm at most) above the hint, the "watch the screen" line and the button.
        const Area q = sideBySide ? Area{ImVec2(a.max.x + gap * 3, full.min.y + gap), full.max} : Area{ImVec2(a.min.x, y), a.max};
        const float lineH = theme.fonts.body->FontSize * 1.2f;
        const float below = sideBySide ? lineH * 3 + gap * 2 : lineH * 4 + buttonH + gap * 6;
        const float wanted = std::min({theme.mm(75), q.width() * 0.8f, q.max.y - q.min.y - below});
        const float module = std::max(3.0f, std::floor(wanted / static_cast<float>(vm.qr->width + 2 * ticket::kQrQuietModules)));
        const float side = module * static_cast<float>(vm.qr->width + 2 * ticket::kQrQuietModules);
        float qy = q.min.y;
        drawQr(kit, *vm.qr, ImVec2(q.min.x + (q.width() - side) * 0.5f, qy), module, c);
        qy += side + gap;
        if (vm.qrHint)
            qy += kit.paragraph(*vm.qrHint, theme.fonts.body, ImVec2(q.min.x, qy), q.width(), Align::Center, c.text, c.background);
        if (!sideBySide) y = qy + gap * 2;
    }
    y += kit.paragraph(vm.watchScreen, theme.fonts.body, ImVec2(a.min.x, y), a.width(), Align::Center, c.text, c.background);

    const float top = std::max(y + gap * 2, a.max.y - buttonH);
    kit.button(vm.done, ImVec2(a.min.x + a.width() * 0.2f, top), ImVec2(a.max.x - a.width() * 0.2f, top + buttonH),
               ButtonStyle::Primary);
    return out;
}

MessageOut drawMessage(const MessageVm& vm, const Theme& theme) {
    MessageOut out;
    DrawKit kit(theme, out);
    const Palette& c = theme.colors;
    const Area a = contentArea(theme);
    const float gap = theme.m.gapPx;
    float y = a.min.y + a.height() * 0.06f;
    if (vm.icon != Pictogram::None) {
        const float icon = theme.mm(28);
        kit.pictogram(vm.icon, ImVec2(a.min.x + a.width() * 0.5f, y + icon * 0.5f), icon, c.text, c.background);
        y += icon + gap * 4;
    }
    y += kit.paragraph(vm.title, theme.fonts.title, ImVec2(a.min.x, y), a.width(), Align::Center, c.text, c.background);
    y += gap * 2;
    if (vm.highlight) {
        ImFont* f = fitsNumberFont(vm.highlight->shown) ? theme.fonts.number : theme.fonts.title;
        y += kit.paragraph(*vm.highlight, f, ImVec2(a.min.x, y), a.width(), Align::Center, IM_COL32(0, 0, 0, 255),
                           c.background, f == theme.fonts.number);
        y += gap * 2;
    }
    for (const Text& line : vm.lines) {
        y += kit.paragraph(line, theme.fonts.body, ImVec2(a.min.x, y), a.width(), Align::Center, c.text, c.background);
        y += gap;
    }
    if (vm.busy) {
        // A still "working" mark: three dots (no animation, so the kiosk need not redraw).
        const float r = theme.mm(2.5);
        y += gap * 3;
        for (int i = -1; i <= 1; ++i)
            kit.drawList().AddCircleFilled(ImVec2(a.min.x + a.width() * 0.5f + static_cast<float>(i) * r * 4, y + r), r, c.text, 24);
    }
    // Next steps stacked at the bottom, the main one first.
    const float buttonH = std::max(theme.m.minTargetPx * 1.4f, theme.m.buttonPx * 2.5f);
    float top = a.max.y - static_cast<float>(vm.actions.size()) * (buttonH + gap * 2) + gap * 2;
    for (const Target& t : vm.actions) {
        kit.button(t, ImVec2(a.min.x, top), ImVec2(a.max.x, top + buttonH), t.primary ? ButtonStyle::Primary : ButtonStyle::Secondary);
        top += buttonH + gap * 2;
    }
    return out;
}

} // namespace loket::kiosk
