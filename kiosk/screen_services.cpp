#include "screens.hpp"

#include <algorithm>

namespace loket::kiosk {

ServicesOut drawServices(const ServicesVm& vm, const Theme& theme) {
    ServicesOut out;
    DrawKit kit(theme, out);
    const Palette& c = theme.colors;
    const Area a = contentArea(theme);
    const float gap = theme.m.gapPx;
    float y = a.min.y;
    y += kit.paragraph(vm.title, theme.fonts.title, ImVec2(a.min.x, y), a.width(), Align::Left, c.text, c.background);
    y += gap * 2;

    const float backH = std::max(theme.m.minTargetPx * 1.3f, theme.m.buttonPx * 2.4f);
    const float bottom = a.max.y - backH - gap * 3;
    const std::size_t n = std::max<std::size_t>(vm.tiles.size(), 1);
    const std::size_t columns = theme.landscape() ? 2 : 1;
    const std::size_t rows = (n + columns - 1) / columns;
    const float tileW = (a.width() - static_cast<float>(columns - 1) * gap * 2) / static_cast<float>(columns);
    const float tileH = std::clamp((bottom - y - static_cast<float>(rows - 1) * gap * 1.5f) / static_cast<float>(rows),
                                   theme.m.minTargetPx, theme.mm(40));
    // Does every tile's text fit? If not (large text, many services), the B1 line gives way:
    // the service's name and the online / appointment notes always stay.
    const float iconW = std::min(tileH - 2 * gap, theme.mm(16)) + gap * 3;
    bool withDetail = true;
    for (const auto& tile : vm.tiles) {
        float h = kit.measure(tile.target.label.shown, theme.fonts.button, tileW - iconW) + gap;
        if (tile.target.detail) h += kit.measure(tile.target.detail->shown, theme.fonts.body, tileW - iconW);
        if (tile.online) h += kit.measure(tile.online->shown, theme.fonts.body, tileW - iconW);
        if (tile.appointmentOnly) h += kit.measure(tile.appointmentOnly->shown, theme.fonts.body, tileW - iconW);
        if (h > tileH) withDetail = false;
    }
    for (std::size_t i = 0; i < vm.tiles.size(); ++i) {
        const auto& tile = vm.tiles[i];
        const float x = a.min.x + static_cast<float>(i % columns) * (tileW + gap * 2);
        const float top = y + static_cast<float>(i / columns) * (tileH + gap * 1.5f);
        std::vector<Text> notes;
        if (tile.appointmentOnly) notes.push_back(*tile.appointmentOnly);
        if (tile.online) notes.push_back(*tile.online);
        Target target = tile.target;
        if (!withDetail) target.detail.reset();
        kit.button(target, ImVec2(x, top), ImVec2(x + tileW, top + tileH), ButtonStyle::Tile, notes);
    }
    const float backTop = a.max.y - backH;
    kit.button(vm.back, ImVec2(a.min.x, backTop), ImVec2(a.min.x + a.width() * 0.4f, a.max.y), ButtonStyle::Secondary);
    return out;
}

ServiceConfirmOut drawServiceConfirm(const ServiceConfirmVm& vm, const Theme& theme) {
    ServiceConfirmOut out;
    DrawKit kit(theme, out);
    const Palette& c = theme.colors;
    const Area a = contentArea(theme);
    const float gap = theme.m.gapPx;
    float y = a.min.y + gap * 2;
    const float icon = theme.mm(30);
    kit.pictogram(vm.icon, ImVec2(a.min.x + a.width() * 0.5f, y + icon * 0.5f), icon, c.text, c.background);
    y += icon + gap * 3;
    y += kit.paragraph(vm.title, theme.fonts.title, ImVec2(a.min.x, y), a.width(), Align::Center, c.text, c.background);
    y += gap;
    if (!vm.line.shown.empty())
        y += kit.paragraph(vm.line, theme.fonts.body, ImVec2(a.min.x, y), a.width(), Align::Center, c.text, c.background);
    y += gap * 3;
    if (vm.bring || vm.online) {
        const float pad = gap * 2;
        const float inner = a.width() - 2 * pad;
        float h = pad * 2;
        if (vm.bringTitle) h += kit.measure(vm.bringTitle->shown, theme.fonts.bodyBold, inner);
        if (vm.bring) h += kit.measure(vm.bring->shown, theme.fonts.body, inner);
        if (vm.online) h += kit.measure(vm.online->shown, theme.fonts.bodyBold, inner) + (vm.bring ? gap * 2 : 0);
        kit.panel(ImVec2(a.min.x, y), ImVec2(a.max.x, y + h), c.notice, c.border);
        float py = y + pad;
        if (vm.bringTitle)
            py += kit.paragraph(*vm.bringTitle, theme.fonts.bodyBold, ImVec2(a.min.x + pad, py), inner, Align::Left, c.text, c.notice);
        if (vm.bring) py += kit.paragraph(*vm.bring, theme.fonts.body, ImVec2(a.min.x + pad, py), inner, Align::Left, c.text, c.notice);
        if (vm.online) {
            if (vm.bring) py += gap * 2;
            kit.paragraph(*vm.online, theme.fonts.bodyBold, ImVec2(a.min.x + pad, py), inner, Align::Left, c.text, c.notice);
        }
    }
    const float buttonH = std::max(theme.m.minTargetPx * 1.5f, theme.m.buttonPx * 2.6f);
    const float backH = std::max(theme.m.minTargetPx * 1.3f, theme.m.buttonPx * 2.4f);
    const float backTop = a.max.y - backH;
    const float confirmTop = backTop - gap * 3 - buttonH;
    kit.button(vm.confirm, ImVec2(a.min.x, confirmTop), ImVec2(a.max.x, confirmTop + buttonH), ButtonStyle::Primary);
    kit.button(vm.back, ImVec2(a.min.x, backTop), ImVec2(a.min.x + a.width() * 0.4f, a.max.y), ButtonStyle::Secondary);
    return out;
}

} // namespace loket::kiosk
