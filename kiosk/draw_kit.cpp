#include "draw_kit.hpp"

#include <algorithm>
#include <cmath>

namespace loket::kiosk {
namespace {

ImU32 darker(ImU32 c, float f) {
    ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(v.x * f, v.y * f, v.z * f, v.w));
}

// The lines of a wrapped text: [begin, end) pointers into `text`.
std::vector<std::pair<const char*, const char*>> wrapLines(const std::string& text, ImFont* font, float width) {
    std::vector<std::pair<const char*, const char*>> lines;
    const char* s = text.c_str();
    const char* end = s + text.size();
    const float scale = 1.0f; // fonts are loaded at their drawing size
    while (s < end) {
        const char* lineEnd = font->CalcWordWrapPositionA(scale, s, end, width);
        if (lineEnd == s) lineEnd = s + 1; // a word wider than the line: never loop forever
        const char* newline = std::find(s, lineEnd, '\n');
        if (newline < lineEnd) lineEnd = newline;
        const char* trimmedEnd = lineEnd;
        while (trimmedEnd > s && trimmedEnd[-1] == ' ') --trimmedEnd;
        lines.emplace_back(s, trimmedEnd);
        s = lineEnd;
        while (s < end && (*s == ' ' || *s == '\n')) ++s;
    }
    return lines;
}

} // namespace

void DrawOut::merge(DrawOut&& other) {
    if (other.action && !action) action = std::move(other.action);
    targets.insert(targets.end(), std::make_move_iterator(other.targets.begin()), std::make_move_iterator(other.targets.end()));
    texts.insert(texts.end(), std::make_move_iterator(other.texts.begin()), std::make_move_iterator(other.texts.end()));
}

DrawKit::DrawKit(const Theme& theme, DrawOut& out, bool interactive)
    : m_theme(theme), m_out(out), m_draw(ImGui::GetWindowDrawList()), m_interactive(interactive) {}

float DrawKit::measure(const std::string& text, ImFont* font, float width) const {
    return static_cast<float>(wrapLines(text, font, width).size()) * font->FontSize * 1.2f;
}

float DrawKit::paragraph(const Text& text, ImFont* font, ImVec2 pos, float width, Align align, ImU32 fg, ImU32 bg,
                         bool number) {
    const float lineHeight = font->FontSize * 1.2f;
    float y = pos.y;
    ImVec2 boxMin(pos.x + width, pos.y), boxMax(pos.x, pos.y);
    for (const auto& [b, e] : wrapLines(text.shown, font, width)) {
        const float w = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, b, e).x;
        const float x = align == Align::Center ? pos.x + (width - w) * 0.5f : pos.x;
        m_draw->AddText(font, font->FontSize, ImVec2(x, y), fg, b, e);
        boxMin.x = std::min(boxMin.x, x);
        boxMax.x = std::max(boxMax.x, x + w);
        y += lineHeight;
    }
    boxMax.y = y;
    if (!text.shown.empty()) m_out.texts.push_back(DrawnText{text.shown, boxMin, boxMax, fg, bg, font->FontSize, number});
    return y - pos.y;
}

void DrawKit::panel(ImVec2 min, ImVec2 max, ImU32 fill, ImU32 border) {
    const float r = m_theme.m.gapPx;
    m_draw->AddRectFilled(min, max, fill, r);
    if (border) m_draw->AddRect(min, max, border, r, 0, std::max(2.0f, m_theme.m.gapPx * 0.25f));
}

void DrawKit::button(const Target& t, ImVec2 min, ImVec2 max, ButtonStyle style, const std::vector<Text>& extraLines) {
    const Theme& th = m_theme;
    const Palette& c = th.colors;
    bool held = false;
    if (m_interactive) {
        ImGui::PushID(static_cast<int>(t.action.kind));
        ImGui::PushID(t.action.arg.c_str());
        ImGui::PushID(static_cast<int>(min.y * 8192 + min.x));
        ImGui::SetCursorScreenPos(min);
        if (ImGui::InvisibleButton("target", ImVec2(max.x - min.x, max.y - min.y))) m_out.action = t.action;
        held = ImGui::IsItemActive();
        ImGui::PopID();
        ImGui::PopID();
        ImGui::PopID();
        m_out.targets.push_back(DrawnTarget{t.action, min, max, t.key});
    }
    const bool filled = style == ButtonStyle::Primary || (t.primary && style != ButtonStyle::Tile);
    ImU32 fill = filled ? c.primary : (style == ButtonStyle::Key ? c.field : c.secondary);
    const ImU32 fg = filled ? c.onPrimary : c.text;
    if (held) fill = darker(fill, 0.85f);
    const float radius = th.m.gapPx;
    const float borderWidth = std::max(2.0f, static_cast<float>(th.m.pxPerMm) * (t.selected ? 1.5f : 0.6f));
    m_draw->AddRectFilled(min, max, fill, radius);
    m_draw->AddRect(min, max, filled ? darker(c.primary, 0.6f) : c.border, radius, 0, borderWidth);
    if (t.focused) {
        const float w = static_cast<float>(th.m.pxPerMm) * 1.5f;
        m_draw->AddRect(ImVec2(min.x - w, min.y - w), ImVec2(max.x + w, max.y + w), c.focus, radius + w, 0, w);
        m_draw->AddRect(ImVec2(min.x - w * 2.2f, min.y - w * 2.2f), ImVec2(max.x + w * 2.2f, max.y + w * 2.2f), c.focusHalo,
                        radius + 2 * w, 0, w);
    }

    const float height = max.y - min.y;
    const float pad = th.m.gapPx;
    float left = min.x + pad;
    if (t.selected) {
        // "On" is a drawn check mark, never only a colour.
        const float s = std::min(height * 0.45f, th.m.buttonPx * 1.1f);
        pictogram(Pictogram::Check, ImVec2(left + s * 0.5f, (min.y + max.y) * 0.5f), s, fg, fill);
        left += s + pad * 0.5f;
    }
    if (style == ButtonStyle::Key) {
        paragraph(t.label, th.fonts.key, ImVec2(min.x, (min.y + max.y - th.fonts.key->FontSize * 1.2f) * 0.5f),
                  max.x - min.x, Align::Center, fg, fill);
        return;
    }
    if (style == ButtonStyle::Tile) {
        const float iconSize = std::min(height - 2 * pad, static_cast<float>(th.m.pxPerMm) * 16);
        if (t.icon != Pictogram::None) {
            pictogram(t.icon, ImVec2(left + iconSize * 0.5f, (min.y + max.y) * 0.5f), iconSize, c.text, fill);
            left += iconSize + pad;
        }
        const float width = max.x - pad - left;
        float contentH = measure(t.label.shown, th.fonts.button, width);
        if (t.detail) contentH += measure(t.detail->shown, th.fonts.body, width);
        for (const auto& line : extraLines) contentH += measure(line.shown, th.fonts.body, width);
        float y = std::max(min.y + pad * 0.5f, (min.y + max.y - contentH) * 0.5f);
        y += paragraph(t.label, th.fonts.button, ImVec2(left, y), width, Align::Left, fg, fill);
        if (t.detail) y += paragraph(*t.detail, th.fonts.body, ImVec2(left, y), width, Align::Left, fg, fill);
        for (const auto& line : extraLines) y += paragraph(line, th.fonts.bodyBold, ImVec2(left, y), width, Align::Left, fg, fill);
        return;
    }
    // Primary / secondary: pictogram on the left, the label centred in the rest.
    if (t.icon != Pictogram::None && t.icon != Pictogram::Check) {
        const float iconSize = std::min(height * 0.55f, static_cast<float>(th.m.pxPerMm) * 18);
        pictogram(t.icon, ImVec2(left + iconSize * 0.5f, (min.y + max.y) * 0.5f), iconSize, fg, fill);
        left += iconSize + pad * 0.5f;
    }
    const float width = max.x - pad - left;
    const float h = measure(t.label.shown, th.fonts.button, width);
    paragraph(t.label, th.fonts.button, ImVec2(left, (min.y + max.y - h) * 0.5f), width, Align::Center, fg, fill);
}

void DrawKit::pictogram(Pictogram p, ImVec2 ctr, float size, ImU32 col, ImU32 bg) {
    ImDrawList& d = *m_draw;
    const float s = size * 0.5f;           // half size
    const float w = std::max(2.0f, size * 0.07f); // stroke
    auto P = [&](float x, float y) { return ImVec2(ctr.x + x * s, ctr.y + y * s); };
    switch (p) {
    case Pictogram::None: return;
    case Pictogram::Calendar:
        d.AddRect(P(-0.85f, -0.7f), P(0.85f, 0.85f), col, s * 0.1f, 0, w);
        d.AddRectFilled(P(-0.85f, -0.7f), P(0.85f, -0.35f), col, s * 0.1f);
        d.AddLine(P(-0.45f, -0.95f), P(-0.45f, -0.55f), col, w);
        d.AddLine(P(0.45f, -0.95f), P(0.45f, -0.55f), col, w);
        for (int r = 0; r < 2; ++r)
            for (int k = 0; k < 3; ++k)
                d.AddRectFilled(P(-0.6f + k * 0.45f, -0.15f + r * 0.45f), P(-0.35f + k * 0.45f, 0.1f + r * 0.45f), col);
        return;
    case Pictogram::Person:
        d.AddCircleFilled(P(0, -0.45f), s * 0.38f, col, 32);
        d.AddRectFilled(P(-0.7f, 0.1f), P(0.7f, 0.95f), col, s * 0.5f, ImDrawFlags_RoundCornersTop);
        return;
    case Pictogram::Passport:
        d.AddRect(P(-0.65f, -0.9f), P(0.65f, 0.9f), col, s * 0.08f, 0, w);
        d.AddCircle(P(0, -0.15f), s * 0.35f, col, 32, w);
        d.AddLine(P(-0.35f, -0.15f), P(0.35f, -0.15f), col, w * 0.7f);
        d.AddLine(P(-0.35f, 0.55f), P(0.35f, 0.55f), col, w);
        return;
    case Pictogram::Pickup:
        d.AddRect(P(-0.8f, -0.2f), P(0.8f, 0.9f), col, 0, 0, w);
        d.AddLine(P(0, -0.95f), P(0, 0.45f), col, w);
        d.AddTriangleFilled(P(-0.3f, 0.15f), P(0.3f, 0.15f), P(0, 0.5f), col);
        return;
    case Pictogram::Car:
        d.AddRectFilled(P(-0.95f, -0.1f), P(0.95f, 0.45f), col, s * 0.12f);
        d.AddQuadFilled(P(-0.55f, -0.1f), P(-0.35f, -0.55f), P(0.4f, -0.55f), P(0.6f, -0.1f), col);
        d.AddCircleFilled(P(-0.5f, 0.5f), s * 0.22f, bg, 20);
        d.AddCircleFilled(P(0.5f, 0.5f), s * 0.22f, bg, 20);
        d.AddCircleFilled(P(-0.5f, 0.5f), s * 0.15f, col, 20);
        d.AddCircleFilled(P(0.5f, 0.5f), s * 0.15f, col, 20);
        return;
    case Pictogram::House:
        d.AddTriangleFilled(P(-0.95f, -0.05f), P(0, -0.9f), P(0.95f, -0.05f), col);
        d.AddRectFilled(P(-0.7f, -0.1f), P(0.7f, 0.9f), col);
        d.AddRectFilled(P(-0.18f, 0.35f), P(0.18f, 0.9f), bg);
        return;
    case Pictogram::Document:
        d.AddRect(P(-0.65f, -0.9f), P(0.65f, 0.9f), col, 0, 0, w);
        for (int i = 0; i < 4; ++i) d.AddLine(P(-0.4f, -0.5f + i * 0.35f), P(0.4f, -0.5f + i * 0.35f), col, w);
        return;
    case Pictogram::Baby:
        d.AddCircle(P(0.1f, 0.1f), s * 0.75f, col, 40, w);
        d.AddCircleFilled(P(0.1f, 0.05f), s * 0.3f, col, 24);
        d.AddLine(P(-0.65f, 0.1f), P(-0.95f, -0.6f), col, w);
        return;
    case Pictogram::Rings:
        d.AddCircle(P(-0.3f, 0.15f), s * 0.5f, col, 36, w * 1.2f);
        d.AddCircle(P(0.3f, 0.15f), s * 0.5f, col, 36, w * 1.2f);
        return;
    case Pictogram::Question: {
        d.AddCircle(ctr, s * 0.9f, col, 40, w);
        ImFont* f = m_theme.fonts.title;
        const float px = size * 0.75f;
        const ImVec2 ts = f->CalcTextSizeA(px, FLT_MAX, 0, "?");
        d.AddText(f, px, ImVec2(ctr.x - ts.x * 0.5f, ctr.y - ts.y * 0.5f), col, "?");
        return;
    }
    case Pictogram::Speaker:
        d.AddRectFilled(P(-0.9f, -0.3f), P(-0.45f, 0.3f), col);
        d.AddTriangleFilled(P(-0.5f, -0.3f), P(0.05f, -0.8f), P(0.05f, 0.8f), col);
        d.AddTriangleFilled(P(-0.5f, -0.3f), P(0.05f, 0.8f), P(-0.5f, 0.3f), col);
        d.PathArcTo(P(0.2f, 0), s * 0.4f, -0.9f, 0.9f, 12);
        d.PathStroke(col, 0, w);
        d.PathArcTo(P(0.2f, 0), s * 0.75f, -0.9f, 0.9f, 16);
        d.PathStroke(col, 0, w);
        return;
    case Pictogram::TextSize: {
        ImFont* f = m_theme.fonts.title;
        d.AddText(f, size * 0.5f, P(-0.95f, -0.05f), col, "A");
        d.AddText(f, size * 0.95f, P(-0.3f, -0.95f), col, "A");
        return;
    }
    case Pictogram::Back:
        d.AddLine(P(-0.7f, 0), P(0.8f, 0), col, w * 1.3f);
        d.AddTriangleFilled(P(-0.95f, 0), P(-0.35f, -0.5f), P(-0.35f, 0.5f), col);
        return;
    case Pictogram::Clock:
        d.AddCircle(ctr, s * 0.9f, col, 40, w);
        d.AddLine(ctr, P(0, -0.6f), col, w);
        d.AddLine(ctr, P(0.45f, 0.2f), col, w);
        return;
    case Pictogram::Printer:
        d.AddRect(P(-0.9f, -0.3f), P(0.9f, 0.5f), col, 0, 0, w);
        d.AddRectFilled(P(-0.5f, -0.9f), P(0.5f, -0.3f), col);
        d.AddRect(P(-0.5f, 0.2f), P(0.5f, 0.95f), col, 0, 0, w);
        return;
    case Pictogram::Warning: {
        d.AddTriangle(P(0, -0.9f), P(0.95f, 0.8f), P(-0.95f, 0.8f), col, w * 1.2f);
        d.AddLine(P(0, -0.35f), P(0, 0.3f), col, w * 1.4f);
        d.AddCircleFilled(P(0, 0.55f), w, col, 12);
        return;
    }
    case Pictogram::Closed:
        d.AddRect(P(-0.7f, -0.1f), P(0.7f, 0.9f), col, s * 0.1f, 0, w);
        d.PathArcTo(P(0, -0.1f), s * 0.45f, 3.14159f, 6.28318f, 16);
        d.PathStroke(col, 0, w);
        d.AddCircleFilled(P(0, 0.4f), w * 1.2f, col, 12);
        return;
    case Pictogram::NoConnection:
        for (int i = 1; i <= 3; ++i) {
            d.PathArcTo(P(0, 0.7f), s * 0.5f * static_cast<float>(i), -2.4f, -0.75f, 16);
            d.PathStroke(col, 0, w);
        }
        d.AddLine(P(-0.9f, -0.9f), P(0.9f, 0.9f), col, w * 1.3f);
        return;
    case Pictogram::Check:
        d.AddLine(P(-0.8f, 0.05f), P(-0.25f, 0.6f), col, w * 1.8f);
        d.AddLine(P(-0.25f, 0.6f), P(0.85f, -0.6f), col, w * 1.8f);
        return;
    }
}

} // namespace loket::kiosk
