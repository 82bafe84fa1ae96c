#include "screens.hpp"

#include <algorithm>

namespace loket::kiosk {

constexpr ImGuiWindowFlags kFullScreen = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground |
                                         ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoFocusOnAppearing;

// A borderless window over the whole screen; drawing happens at absolute positions inside it.
void beginScreenWindow(const char* name, const Theme& theme) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(theme.screen);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::Begin(name, nullptr, kFullScreen);
}

void endScreenWindow() {
    ImGui::End();
    ImGui::PopStyleVar(2);
}

float barHeight(const Theme& theme) {
    return std::max(theme.m.minTargetPx * 1.2f, theme.m.buttonPx * 2.2f) + 2 * theme.m.gapPx;
}

Area contentArea(const Theme& theme) {
    const float m = theme.m.marginPx;
    return Area{ImVec2(m, m), ImVec2(theme.screen.x - m, theme.screen.y - barHeight(theme) - m * 0.5f)};
}

BarOut drawBar(const std::vector<Target>& bar, const Theme& theme) {
    BarOut out;
    DrawKit kit(theme, out);
    const float m = theme.m.marginPx;
    const float top = theme.screen.y - barHeight(theme);
    kit.drawList().AddRectFilled(ImVec2(0, top), theme.screen, theme.colors.secondary);
    kit.drawList().AddLine(ImVec2(0, top), ImVec2(theme.screen.x, top), theme.colors.border, 2.0f);
    const float gap = theme.m.gapPx;
    const float n = static_cast<float>(std::max<std::size_t>(bar.size(), 1));
    const float w = (theme.screen.x - 2 * m - (n - 1) * gap) / n;
    float x = m;
    for (const Target& t : bar) {
        kit.button(t, ImVec2(x, top + gap), ImVec2(x + w, theme.screen.y - gap), ButtonStyle::Secondary);
        x += w + gap;
    }
    return out;
}

TimeoutWarningOut drawTimeoutWarning(const TimeoutWarningVm& vm, const Theme& theme) {
    TimeoutWarningOut out;
    DrawKit kit(theme, out);
    const Palette& c = theme.colors;
    kit.drawList().AddRectFilled(ImVec2(0, 0), theme.screen, c.scrim);
    const float m = theme.m.marginPx;
    const float width = std::min(theme.screen.x - 2 * m, theme.mm(220));
    const float pad = theme.m.gapPx * 2;
    const float inner = width - 2 * pad;
    const float buttonH = std::max(theme.m.minTargetPx * 1.5f, theme.m.buttonPx * 2.4f);
    const float height = pad * 4 + kit.measure(vm.message.shown, theme.fonts.title, inner) +
                         kit.measure(vm.countdown.shown, theme.fonts.bodyBold, inner) + buttonH;
    const ImVec2 min((theme.screen.x - width) * 0.5f, (theme.screen.y - height) * 0.5f);
    kit.panel(min, ImVec2(min.x + width, min.y + height), c.panel, c.border);
    float y = min.y + pad;
    y += kit.paragraph(vm.message, theme.fonts.title, ImVec2(min.x + pad, y), inner, Align::Center, c.text, c.panel);
    y += pad * 0.5f;
    y += kit.paragraph(vm.countdown, theme.fonts.bodyBold, ImVec2(min.x + pad, y), inner, Align::Center, c.text, c.panel);
    y += pad;
    kit.button(vm.moreTime, ImVec2(min.x + pad, y), ImVec2(min.x + width - pad, y + buttonH), ButtonStyle::Primary);
    return out;
}

// The admin page's banner in a warm strip right above the bar; the screens draw above it (they
// get a theme whose screen ends where the strip starts). Returns the strip's height.
float bannerHeight(const KioskVm& vm, const Theme& theme) {
    if (!vm.banner) return 0;
    DrawOut scratch;
    DrawKit kit(theme, scratch);
    const float pad = theme.m.gapPx;
    return kit.measure(vm.banner->shown, theme.fonts.bodyBold, theme.screen.x - 2 * theme.m.marginPx - 2 * pad) + 2 * pad;
}

void drawBanner(const Text& banner, float height, const Theme& theme, DrawOut& out) {
    DrawKit kit(theme, out);
    const float m = theme.m.marginPx, pad = theme.m.gapPx;
    const float bottom = theme.screen.y - barHeight(theme) - pad * 0.5f;
    const ImVec2 min(m, bottom - height), max(theme.screen.x - m, bottom);
    kit.panel(min, max, theme.colors.notice, theme.colors.border);
    kit.paragraph(banner, theme.fonts.bodyBold, ImVec2(min.x + pad, min.y + pad), max.x - min.x - 2 * pad, Align::Center,
                  theme.colors.text, theme.colors.notice);
}

FrameOut drawFrame(const KioskVm& vm, const Theme& fullTheme) {
    FrameOut out;
    beginScreenWindow("kiosk", fullTheme);
    // Measured inside the window: a DrawKit outside one would open ImGui's implicit "Debug" window.
    const float banner = bannerHeight(vm, fullTheme);
    Theme theme = fullTheme;
    theme.screen.y -= banner > 0 ? banner + fullTheme.m.gapPx : 0;
    if (vm.warning) ImGui::BeginDisabled();
    if (vm.banner) drawBanner(*vm.banner, banner, fullTheme, out);
    out.merge(std::visit(
        [&](const auto& screen) -> DrawOut {
            using T = std::decay_t<decltype(screen)>;
            if constexpr (std::is_same_v<T, WelcomeVm>) return drawWelcome(screen, theme);
            else if constexpr (std::is_same_v<T, CodeEntryVm>) return drawCodeEntry(screen, theme);
            else if constexpr (std::is_same_v<T, ServicesVm>) return drawServices(screen, theme);
            else if constexpr (std::is_same_v<T, ServiceConfirmVm>) return drawServiceConfirm(screen, theme);
            else if constexpr (std::is_same_v<T, NeedsVm>) return drawNeeds(screen, theme);
            else if constexpr (std::is_same_v<T, TicketVm>) return drawTicket(screen, theme);
            else return drawMessage(screen, theme);
        },
        vm.screen));
    out.merge(drawBar(vm.bar, fullTheme));
    if (vm.warning) {
        // Under the warning nothing else can be chosen; its texts stay recorded (they are visible).
        ImGui::EndDisabled();
        out.action.reset();
        out.targets.clear();
    }
    endScreenWindow();
    if (vm.warning) {
        beginScreenWindow("warning", fullTheme);
        ImGui::SetWindowFocus();
        DrawOut warning = drawTimeoutWarning(*vm.warning, fullTheme);
        // Texts under the scrim are no longer readable at full contrast: only the warning's count.
        out.texts.clear();
        out.merge(std::move(warning));
        endScreenWindow();
    }
    return out;
}

} // namespace loket::kiosk
