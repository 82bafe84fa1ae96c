#include "display/pairing_screen.hpp"

#include <imgui.h>

#include <algorithm>
#include <cfloat>

namespace loket::display {

namespace {

using ui::packed;

// Draws `s` centred in [x, x + width] from `top`, wrapped to the width; returns the height used.
float centred(ImDrawList* dl, ImFont* font, float size, float x, float width, float top, ui::Rgb colour, const std::string& s) {
    if (s.empty()) return 0;
    const ImVec2 box = font->CalcTextSizeA(size, FLT_MAX, width, s.c_str());
    const float left = x + std::max(0.0f, (width - box.x) * 0.5f);
    dl->AddText(font, size, ImVec2(left, top), packed(colour), s.c_str(), nullptr, width);
    return box.y;
}

} // namespace

PairingLayout drawPairing(const enrol::PairingVm& vm, const ui::Theme& th) {
    PairingLayout out;
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float w = static_cast<float>(th.screen.widthPx), h = static_cast<float>(th.screen.heightPx);
    const float x = th.margin, width = w - 2 * th.margin;
    const auto& f = th.fonts;
    float y = th.margin;
    y += centred(dl, f.heading, f.headingSize, x, width, y, th.text, vm.title.first);
    y += centred(dl, f.body, f.bodySize, x, width, y, th.textMuted, vm.title.second) + th.gap;

    if (!vm.code.empty()) {
        y += centred(dl, f.body, f.bodySize, x, width, y, th.textMuted,
                     vm.codeLabel.first + (vm.codeLabel.second.empty() ? "" : " / " + vm.codeLabel.second));
        // As large as a called number, smaller only when the panel is narrow.
        float size = f.hugeSize;
        const float codeW = f.huge->CalcTextSizeA(size, FLT_MAX, 0, vm.code.c_str()).x;
        if (codeW > width * 0.9f) size *= width * 0.9f / codeW;
        const ImVec2 box = f.huge->CalcTextSizeA(size, FLT_MAX, 0, vm.code.c_str());
        const float left = x + (width - box.x) * 0.5f;
        dl->AddRectFilled(ImVec2(x, y), ImVec2(x + width, y + box.y + 2 * th.gap), packed(th.panel), th.rule * 2);
        dl->AddText(f.huge, size, ImVec2(left, y + th.gap), packed(th.text), vm.code.c_str());
        out.code = ui::Region{static_cast<int>(left), static_cast<int>(y + th.gap), static_cast<int>(box.x + 0.99f),
                              static_cast<int>(box.y + 0.99f)};
        out.codeSize = size;
        y += box.y + 3 * th.gap;
    }
    if (!vm.notice.first.empty()) {
        const float noticeH = f.body->CalcTextSizeA(f.bodySize, FLT_MAX, width - 2 * th.gap, vm.notice.first.c_str()).y +
                              f.body->CalcTextSizeA(f.bodySize, FLT_MAX, width - 2 * th.gap, vm.notice.second.c_str()).y;
        dl->AddRectFilled(ImVec2(x, y), ImVec2(x + width, y + noticeH + 2 * th.gap), packed(th.warning), th.rule * 2);
        float ny = y + th.gap;
        ny += centred(dl, f.body, f.bodySize, x + th.gap, width - 2 * th.gap, ny, th.onWarning, vm.notice.first);
        centred(dl, f.body, f.bodySize, x + th.gap, width - 2 * th.gap, ny, th.onWarning, vm.notice.second);
        y += noticeH + 3 * th.gap;
    }
    for (const auto& line : vm.lines) {
        if (y > h - th.margin) break;
        y += centred(dl, f.body, f.bodySize, x, width, y, th.text, line.first);
        y += centred(dl, f.body, f.bodySize, x, width, y, th.textMuted, line.second) + th.gap;
    }
    return out;
}

} // namespace loket::display
