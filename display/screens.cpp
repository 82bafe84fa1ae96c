#include "display/screens.hpp"

#include <imgui.h>

#include <algorithm>
#include <cfloat>

namespace loket::display {
namespace {

using ui::packed;
using ui::Rgb;

constexpr const char* kEllipsis = "\u2026";
constexpr const char* kWarningSign = "\u26A0";

struct Box {
    float x, y, w, h;
    float right() const { return x + w; }
    float bottom() const { return y + h; }
};

ui::Region region(float x, float y, float w, float h) {
    return ui::Region{static_cast<int>(x), static_cast<int>(y), static_cast<int>(w + 0.99f), static_cast<int>(h + 0.99f)};
}

float textWidth(ImFont* font, float size, const std::string& text) {
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str()).x;
}

// The largest size ≤ `size` at which `text` fits `width`.
float fitSize(ImFont* font, float size, const std::string& text, float width) {
    const float w = textWidth(font, size, text);
    return w <= width || w <= 0 ? size : size * width / w;
}

// `text`, shortened with an ellipsis to fit `width`.
std::string fitText(ImFont* font, float size, std::string text, float width) {
    if (textWidth(font, size, text) <= width) return text;
    while (!text.empty() && textWidth(font, size, text + kEllipsis) > width) {
        text.pop_back();
        while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back(); // UTF-8
    }
    return text + kEllipsis;
}

// Draws text with its cap top at `capTop` (ImGui positions by the line top).
void text(ImDrawList* dl, ImFont* font, float size, float x, float capTop, Rgb colour, const std::string& s,
          const ui::Theme& theme) {
    const float lineTop = capTop - (font->Ascent * size / font->FontSize - theme.fonts.capRatio * size);
    dl->AddText(font, size, ImVec2(x, lineTop), packed(colour), s.c_str());
}

float capOf(const ui::Theme& theme, float size) { return theme.fonts.capRatio * size; }

std::string both(const signage::TwoLanguages& t) { return t.first + "  \u00B7  " + t.second; }

// Header: hall name on the left, clock on the right, a rule below. Returns its height.
float drawHeader(ImDrawList* dl, const signage::HallVm& vm, const ui::Theme& th, float width) {
    const float size = th.fonts.headingSize;
    const float cap = capOf(th, size);
    const float top = th.margin;
    const float clockW = textWidth(th.fonts.heading, size, vm.clockText);
    text(dl, th.fonts.heading, size, th.margin, top, th.text,
         fitText(th.fonts.heading, size, vm.hallName, width - 3 * th.margin - clockW), th);
    text(dl, th.fonts.heading, size, width - th.margin - clockW, top, th.text, vm.clockText, th);
    const float ruleY = top + cap + th.gap;
    dl->AddRectFilled(ImVec2(th.margin, ruleY), ImVec2(width - th.margin, ruleY + th.rule), packed(th.textMuted));
    return ruleY + th.rule + th.gap;
}

// The admin page's banner ("Vandaag zijn wij om 12:00 gesloten") in a panel under the header,
// the second language beside it when it has its own text. Returns the new top.
float drawBanner(ImDrawList* dl, const signage::HallVm& vm, const ui::Theme& th, float top, float width, ScreenLayout& out) {
    if (vm.banner.empty()) return top;
    const float size = th.fonts.headingSize;
    const float h = capOf(th, size) + 2 * th.gap;
    const float w = width - 2 * th.margin;
    dl->AddRectFilled(ImVec2(th.margin, top), ImVec2(th.margin + w, top + h), packed(th.panel), th.rule);
    const std::string line = vm.bannerSecond.empty() ? vm.banner : vm.banner + "  \u00B7  " + vm.bannerSecond;
    text(dl, th.fonts.heading, size, th.margin + th.gap, top + th.gap, th.text, fitText(th.fonts.heading, size, line, w - 2 * th.gap), th);
    out.banner = region(th.margin, top, w, h);
    return top + h + th.gap;
}

// The newest call in a box: number on one line, "→ Balie 3 ↑" below, the English label under it.
void drawNewest(ImDrawList* dl, const signage::HallVm& vm, const ui::Theme& th, Box box, ScreenLayout& out) {
    const float headingSize = th.fonts.headingSize;
    text(dl, th.fonts.heading, headingSize, box.x, box.y, th.textMuted,
         fitText(th.fonts.heading, headingSize, both(vm.texts.nowServing), box.w), th);
    Box inner{box.x, box.y + capOf(th, headingSize) + th.gap, box.w, 0};
    inner.h = box.bottom() - inner.y;
    if (!vm.newest) return;

    const float pad = th.gap * 1.5f;
    const float usable = inner.w - 2 * pad;
    const auto& call = *vm.newest;
    // The number at its full size when it fits; the counter line a little smaller.
    const float numberSize = fitSize(th.fonts.huge, th.fonts.hugeSize, call.number, usable);
    const std::string counterLine = "\u2192 " + call.counterLabel + (call.direction.empty() ? "" : "  " + call.direction);
    float counterSize = fitSize(th.fonts.huge, th.fonts.hugeSize * 0.62f, counterLine, usable);
    const float secondSize = th.fonts.headingSize;
    // Fit vertically: number, gap, counter line, gap, second-language line; the box is as tall as that.
    const float needed = capOf(th, numberSize) + capOf(th, counterSize) + capOf(th, secondSize) + 4.2f * pad;
    if (needed > inner.h) counterSize *= std::max(0.4f, (inner.h - capOf(th, numberSize) - capOf(th, secondSize) - 4.2f * pad) / capOf(th, counterSize));
    inner.h = std::min(inner.h, needed);

    // Highlighted: a solid yellow box (pulse on) or a thick yellow frame with yellow text (pulse
    // off) — both unmistakable, and the heading says it in words too.
    Rgb fg = th.text;
    if (vm.highlight && vm.highlightOn) {
        dl->AddRectFilled(ImVec2(inner.x, inner.y), ImVec2(inner.right(), inner.bottom()), packed(th.highlight), th.rule * 2);
        fg = th.onHighlight;
    } else if (vm.highlight) {
        dl->AddRectFilled(ImVec2(inner.x, inner.y), ImVec2(inner.right(), inner.bottom()), packed(th.background), th.rule * 2);
        dl->AddRect(ImVec2(inner.x, inner.y), ImVec2(inner.right(), inner.bottom()), packed(th.highlight), th.rule * 2, 0,
                    th.rule * 3);
        fg = th.highlight;
    } else {
        dl->AddRectFilled(ImVec2(inner.x, inner.y), ImVec2(inner.right(), inner.bottom()), packed(th.panel), th.rule * 2);
    }


    float y = inner.y + pad;
    const float numberW = textWidth(th.fonts.huge, numberSize, call.number);
    text(dl, th.fonts.huge, numberSize, inner.x + pad, y, fg, call.number, th);
    out.number = region(inner.x + pad, y, numberW, capOf(th, numberSize));
    out.numberSize = numberSize;
    y += capOf(th, numberSize) + pad * 1.2f;
    const float counterW = textWidth(th.fonts.huge, counterSize, counterLine);
    text(dl, th.fonts.huge, counterSize, inner.x + pad, y, fg, counterLine, th);
    out.counter = region(inner.x + pad, y, counterW, capOf(th, counterSize));
    y += capOf(th, counterSize) + pad;
    text(dl, th.fonts.heading, secondSize, inner.x + pad, y, fg, call.counterLabelSecond, th);
}

void drawPrevious(ImDrawList* dl, const signage::HallVm& vm, const ui::Theme& th, Box box, ScreenLayout& out) {
    const float hs = th.fonts.headingSize, bs = th.fonts.headingSize;
    text(dl, th.fonts.heading, hs, box.x, box.y, th.textMuted, fitText(th.fonts.heading, hs, both(vm.texts.previous), box.w), th);
    float y = box.y + capOf(th, hs) + th.gap * 1.5f;
    const float row = capOf(th, bs) * 1.8f;
    for (auto& call : vm.previous) {
        if (y + capOf(th, bs) > box.bottom()) break;
        text(dl, th.fonts.heading, bs, box.x, y, th.text, call.number, th);
        const std::string where = "\u2192 " + call.counterLabel + (call.direction.empty() ? "" : " " + call.direction);
        text(dl, th.fonts.heading, bs, box.x + box.w * 0.30f, y, th.text, where, th);
        const float tw = textWidth(th.fonts.body, th.fonts.bodySize, call.timeText);
        text(dl, th.fonts.body, th.fonts.bodySize, box.right() - tw, y + capOf(th, bs) - capOf(th, th.fonts.bodySize), th.textMuted,
             call.timeText, th);
        y += row;
    }
    out.previous = region(box.x, box.y, box.w, std::min(y, box.bottom()) - box.y);
}

void drawWaiting(ImDrawList* dl, const signage::HallVm& vm, const ui::Theme& th, Box box, ScreenLayout& out) {
    const float hs = th.fonts.headingSize, bs = th.fonts.bodySize;
    text(dl, th.fonts.heading, hs, box.x, box.y, th.textMuted, fitText(th.fonts.heading, hs, both(vm.texts.waiting), box.w), th);
    float y = box.y + capOf(th, hs) + th.gap * 1.5f;
    const float row = capOf(th, bs) * 1.6f;
    const float countX = box.x + box.w * 0.70f;
    for (auto& w : vm.waiting) {
        if (y + capOf(th, bs) > box.bottom()) break;
        const std::string label = w.prefix + "  " + w.label;
        text(dl, th.fonts.body, bs, box.x, y, th.text, fitText(th.fonts.body, bs, label, countX - box.x - th.gap), th);
        text(dl, th.fonts.body, bs, countX, y, th.text, std::to_string(w.waiting), th);
        const float ew = textWidth(th.fonts.body, bs, w.expectedWait);
        text(dl, th.fonts.body, bs, box.right() - ew, y, th.textMuted, w.expectedWait, th);
        y += row;
    }
    out.waiting = region(box.x, box.y, box.w, std::min(y, box.bottom()) - box.y);
}

// "⚠ Verbinding verbroken · Connection lost" in a red bar at the bottom left: small, but not
// missable, and in words (never colour alone).
void drawDisconnected(ImDrawList* dl, const signage::HallVm& vm, const ui::Theme& th, float width, float height,
                      ScreenLayout& out) {
    if (!vm.disconnected) return;
    const float size = th.fonts.bodySize;
    const std::string label = std::string(kWarningSign) + "  " + both(vm.untrusted ? vm.texts.untrusted : vm.texts.disconnected);
    const float w = std::min(textWidth(th.fonts.body, size, label) + 2 * th.gap, width - 2 * th.margin);
    const float h = capOf(th, size) + 2 * th.gap;
    const float x = th.margin, y = height - th.margin - h;
    dl->AddRectFilled(ImVec2(x, y), ImVec2(x + w, y + h), packed(th.warning), th.rule);
    text(dl, th.fonts.body, size, x + th.gap, y + th.gap, th.onWarning, fitText(th.fonts.body, size, label, w - 2 * th.gap), th);
    out.disconnected = region(x, y, w, h);
}

} // namespace

std::vector<std::string> screenSymbols() {
    return {kEllipsis, kWarningSign, "\u00B7", "\u00B1", "\u2190\u2191\u2192\u2193\u2196\u2197\u2198\u2199"};
}

std::string hugeSymbols() { return "\u2192\u2190\u2191\u2193\u2196\u2197\u2198\u2199\u2014"; }

ScreenLayout drawHall(const signage::HallVm& vm, const ui::Theme& th) {
    ScreenLayout out;
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float width = ImGui::GetIO().DisplaySize.x, height = ImGui::GetIO().DisplaySize.y;
    const float top = drawBanner(dl, vm, th, drawHeader(dl, vm, th, width), width, out);
    const float bottomReserve = capOf(th, th.fonts.bodySize) + 2 * th.gap + th.margin; // room for the mark
    const float contentH = height - top - bottomReserve;
    if (width >= height) {
        // Landscape: the newest call on the left (58%), previous calls and waiting on the right.
        const float leftW = (width - 2 * th.margin) * 0.54f;
        drawNewest(dl, vm, th, Box{th.margin, top, leftW, contentH}, out);
        const float rx = th.margin + leftW + th.margin;
        const float rw = width - th.margin - rx;
        const float previousH = contentH * 0.52f;
        drawPrevious(dl, vm, th, Box{rx, top, rw, previousH}, out);
        drawWaiting(dl, vm, th, Box{rx, top + previousH + th.gap, rw, contentH - previousH - th.gap}, out);
    } else {
        // Portrait: stacked.
        const float cw = width - 2 * th.margin;
        const float newestH = std::min(contentH * 0.42f, capOf(th, th.fonts.hugeSize) * 2.6f + capOf(th, th.fonts.headingSize) * 3);
        drawNewest(dl, vm, th, Box{th.margin, top, cw, newestH}, out);
        const float y = top + newestH + th.gap * 2;
        const float previousH = (contentH - newestH - th.gap * 2) * 0.5f;
        drawPrevious(dl, vm, th, Box{th.margin, y, cw, previousH}, out);
        drawWaiting(dl, vm, th, Box{th.margin, y + previousH + th.gap, cw, contentH - newestH - previousH - th.gap * 3}, out);
    }
    drawDisconnected(dl, vm, th, width, height, out);
    return out;
}

ScreenLayout drawCounterTop(const signage::HallVm& vm, const ui::Theme& th) {
    ScreenLayout out;
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float width = ImGui::GetIO().DisplaySize.x, height = ImGui::GetIO().DisplaySize.y;
    const auto& ct = vm.counterTop;
    const float hs = th.fonts.headingSize;
    const std::string title = ct.counterLabel + "  \u00B7  " + ct.counterLabelSecond;
    text(dl, th.fonts.heading, hs, th.margin, th.margin, th.text, fitText(th.fonts.heading, hs, title, width - 2 * th.margin), th);
    const float top = drawBanner(dl, vm, th, th.margin + capOf(th, hs) + th.gap * 2, width, out);
    const float usable = width - 2 * th.margin;
    if (!ct.number.empty()) {
        const float size = fitSize(th.fonts.huge, th.fonts.hugeSize, ct.number, usable);
        const float w = textWidth(th.fonts.huge, size, ct.number);
        const float capTop = top + (height - top - th.margin - capOf(th, size)) * 0.45f;
        text(dl, th.fonts.huge, size, (width - w) / 2, capTop, th.text, ct.number, th);
        out.number = region((width - w) / 2, capTop, w, capOf(th, size));
        out.numberSize = size;
    } else {
        const signage::TwoLanguages& t = ct.closed ? vm.texts.counterClosed : vm.texts.counterFree;
        const float w = textWidth(th.fonts.heading, hs, t.first);
        const float y = top + (height - top) * 0.3f;
        text(dl, th.fonts.heading, hs, (width - w) / 2, y, th.text, t.first, th);
        const float w2 = textWidth(th.fonts.body, th.fonts.bodySize, t.second);
        text(dl, th.fonts.body, th.fonts.bodySize, (width - w2) / 2, y + capOf(th, hs) * 2, th.textMuted, t.second, th);
    }
    drawDisconnected(dl, vm, th, width, height, out);
    return out;
}

ScreenLayout drawScreen(const signage::HallVm& vm, const ui::Theme& theme) {
    return vm.profile == signage::Profile::CounterTop ? drawCounterTop(vm, theme) : drawHall(vm, theme);
}

} // namespace loket::display
