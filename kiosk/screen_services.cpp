#include "screens.hpp"

#include <algorithm>
#include <vector>

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
    const float rowGap = gap * 1.5f;
    const float tileW = (a.width() - static_cast<float>(columns - 1) * gap * 2) / static_cast<float>(columns);
    const float iconW = theme.mm(16) + gap * 3;
    const float textW = tileW - iconW - gap;
    // Each row as tall as its text needs (at least a touch target); the rest of the height is
    // shared out. If even that does not fit (large text, many services), the B1 line gives
    // way: the service's name and the online / appointment notes always stay.
    auto rowHeights = [&](bool withDetail) {
        std::vector<float> heights(rows, theme.m.minTargetPx);
        for (std::size_t i = 0; i < vm.tiles.size(); ++i) {
            const auto& tile = vm.tiles[i];
            float h = kit.measure(tile.target.label.shown, theme.fonts.button, textW) + gap * 1.5f;
            if (withDetail && tile.target.detail) h += kit.measure(tile.target.detail->shown, theme.fonts.body, textW);
            if (tile.online) h += kit.measure(tile.online->shown, theme.fonts.bodyBold, textW);
            if (tile.appointmentOnly) h += kit.measure(tile.appointmentOnly->shown, theme.fonts.bodyBold, textW);
            heights[i / columns] = std::max(heights[i / columns], h);
        }
        return heights;
    };
    const float available = bottom - y - static_cast<float>(rows - 1) * rowGap;
    auto total = [](const std::vector<float>& v) {
        float sum = 0;
        for (float h : v) sum += h;
        return sum;
    };
    bool withDetail = true;
    std::vector<float> heights = rowHeights(true);
    if (total(heights) > available) {
        withDetail = false;
        heights = rowHeights(false);
    }
    const float extra = std::max(0.0f, (available - total(heights)) / static_cast<float>(rows));
    for (float& h : heights) h = std::min(h + extra, std::max(h, theme.mm(40)));
    float top = y;
    for (std::size_t i = 0; i < vm.tiles.size(); ++i) {
        const auto& tile = vm.tiles[i];
        const std::size_t row = i / columns;
        const float x = a.min.x + static_cast<float>(i % columns) * (tileW + gap * 2);
        std::vector<Text> notes;
        if (tile.appointmentOnly) notes.push_back(*tile.appointmentOnly);
        if (tile.online) notes.push_back(*tile.online);
        Target target = tile.target;
        if (!withDetail) target.detail.reset();
        kit.button(target, ImVec2(x, top), ImVec2(x + tileW, top + heights[row]), ButtonStyle::Tile, notes);
        if (i % columns == columns - 1 || i + 1 == vm.tiles.size()) top += heights[row] + rowGap;
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

NeedsOut drawNeeds(const NeedsVm& vm, const Theme& theme) {
    NeedsOut out;
    DrawKit kit(theme, out);
    const Palette& c = theme.colors;
    const Area a = contentArea(theme);
    const float gap = theme.m.gapPx;
    float y = a.min.y;
    y += kit.paragraph(vm.title, theme.fonts.title, ImVec2(a.min.x, y), a.width(), Align::Left, c.text, c.background);
    y += gap;
    y += kit.paragraph(vm.line, theme.fonts.body, ImVec2(a.min.x, y), a.width(), Align::Left, c.text, c.background);
    y += gap * 2;
    // At the bottom: "Verder" across the width, then "Terug" and "Overslaan" side by side.
    const float nextH = std::max(theme.m.minTargetPx * 1.5f, theme.m.buttonPx * 2.6f);
    const float lowH = std::max(theme.m.minTargetPx * 1.3f, theme.m.buttonPx * 2.4f);
    const float lowTop = a.max.y - lowH;
    const float nextTop = lowTop - gap * 3 - nextH;
    // The needs as toggles (a check mark when chosen), one column upright, two on a wide screen;
    // each at least a touch target high, sharing what height there is.
    const std::size_t columns = theme.landscape() ? 2 : 1;
    const std::size_t rows = (std::max<std::size_t>(vm.needs.size(), 1) + columns - 1) / columns;
    const float rowGap = gap * 1.5f;
    const float tileW = (a.width() - static_cast<float>(columns - 1) * gap * 2) / static_cast<float>(columns);
    const float available = nextTop - gap * 3 - y - static_cast<float>(rows - 1) * rowGap;
    const float rowH = std::clamp(available / static_cast<float>(rows), theme.m.minTargetPx, theme.mm(32));
    for (std::size_t i = 0; i < vm.needs.size(); ++i) {
        const float x = a.min.x + static_cast<float>(i % columns) * (tileW + gap * 2);
        const float top = y + static_cast<float>(i / columns) * (rowH + rowGap);
        kit.button(vm.needs[i], ImVec2(x, top), ImVec2(x + tileW, top + rowH), ButtonStyle::Tile);
    }
    kit.button(vm.next, ImVec2(a.min.x, nextTop), ImVec2(a.max.x, nextTop + nextH), ButtonStyle::Primary);
    kit.button(vm.back, ImVec2(a.min.x, lowTop), ImVec2(a.min.x + a.width() * 0.4f, a.max.y), ButtonStyle::Secondary);
    kit.button(vm.skip, ImVec2(a.max.x - a.width() * 0.55f, lowTop), ImVec2(a.max.x, a.max.y), ButtonStyle::Secondary);
    return out;
}

} // namespace loket::kiosk
