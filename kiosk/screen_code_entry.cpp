#include "screens.hpp"

#include <algorithm>

namespace loket::kiosk {

CodeEntryOut drawCodeEntry(const CodeEntryVm& vm, const Theme& theme) {
    CodeEntryOut out;
    DrawKit kit(theme, out);
    const Palette& c = theme.colors;
    const Area a = contentArea(theme);
    const float gap = theme.m.gapPx;
    float y = a.min.y;
    y += kit.paragraph(vm.title, theme.fonts.title, ImVec2(a.min.x, y), a.width(), Align::Left, c.text, c.background);
    y += gap;
    y += kit.paragraph(vm.instruction, theme.fonts.body, ImVec2(a.min.x, y), a.width(), Align::Left, c.text, c.background);
    y += gap * 0.5f;
    y += kit.paragraph(vm.where, theme.fonts.body, ImVec2(a.min.x, y), a.width(), Align::Left, c.mutedText, c.background);
    y += gap * 2;

    // The field: what was typed, large and spaced. A scanned link is long: show its end.
    const float fieldH = theme.fonts.key->FontSize * 2.0f;
    kit.panel(ImVec2(a.min.x, y), ImVec2(a.max.x, y + fieldH), c.field, c.border);
    std::string shown = vm.typed.shown;
    const float maxW = a.width() - 2 * gap;
    while (!shown.empty() && theme.fonts.bodyBold->CalcTextSizeA(theme.fonts.key->FontSize, FLT_MAX, 0, shown.c_str()).x > maxW)
        shown.erase(0, 1);
    if (!shown.empty()) {
        if (shown.size() < vm.typed.shown.size()) shown = "…" + shown.substr(std::min<std::size_t>(shown.size(), 3));
        ImFont* f = theme.fonts.bodyBold; // the key font has capitals and digits only; a scan may hold more
        const float px = theme.fonts.key->FontSize;
        const float w = f->CalcTextSizeA(px, FLT_MAX, 0, shown.c_str()).x;
        const ImVec2 pos(a.min.x + (a.width() - w) * 0.5f, y + (fieldH - px) * 0.5f);
        kit.drawList().AddText(f, px, pos, c.text, shown.c_str());
        out.texts.push_back(DrawnText{shown, pos, ImVec2(pos.x + w, pos.y + px), c.text, c.field, px});
    }
    y += fieldH + gap * 3;

    // The keyboard: the widest row sets the key size.
    std::size_t widest = 1;
    for (const auto& row : vm.keyRows) widest = std::max(widest, row.size());
    const float keyW = std::min((a.width() - static_cast<float>(widest - 1) * gap) / static_cast<float>(widest),
                                theme.mm(30));
    const float keyH = std::max(theme.m.minTargetPx, std::min(keyW, theme.mm(24)));
    for (const auto& row : vm.keyRows) {
        const float rowW = static_cast<float>(row.size()) * keyW + static_cast<float>(row.size() - 1) * gap;
        float x = a.min.x + (a.width() - rowW) * 0.5f;
        for (const Target& key : row) {
            kit.button(key, ImVec2(x, y), ImVec2(x + keyW, y + keyH), ButtonStyle::Key);
            x += keyW + gap;
        }
        y += keyH + gap;
    }

    // Back, erase and continue along the bottom, continue the widest.
    const float buttonH = std::max(theme.m.minTargetPx * 1.3f, theme.m.buttonPx * 2.4f);
    const float top = std::max(y + gap * 2, a.max.y - buttonH);
    const float unit = (a.width() - 2 * gap * 2) / 4.0f;
    kit.button(vm.back, ImVec2(a.min.x, top), ImVec2(a.min.x + unit, top + buttonH), ButtonStyle::Secondary);
    kit.button(vm.erase, ImVec2(a.min.x + unit + gap * 2, top), ImVec2(a.min.x + 2 * unit + gap * 2, top + buttonH),
               ButtonStyle::Secondary);
    kit.button(vm.submit, ImVec2(a.max.x - 2 * unit, top), ImVec2(a.max.x, top + buttonH), ButtonStyle::Primary);
    return out;
}

} // namespace loket::kiosk
