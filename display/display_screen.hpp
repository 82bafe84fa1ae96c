// DisplayScreen: the ImGui context, theme and fonts of one display, drawing a view-model into
// any SDL_Renderer (a window's, or a HeadlessRenderer's). No network, no model.
#pragma once

#include "display/screens.hpp"
#include "shared/core/result.hpp"
#include "shared/i18n/catalog.hpp"
#include "shared/signage/display_config.hpp"
#include "shared/ui/ui_context.hpp"

#include <map>
#include <memory>
#include <string>

struct SDL_Renderer;

namespace loket::display {

class DisplayScreen {
public:
    static Result<std::unique_ptr<DisplayScreen>> create(SDL_Renderer* renderer, const signage::ScreenConfig& screen,
                                                         const std::map<std::string, i18n::Catalog>& catalogs);
    // Draws one frame of `vm` (not presented).
    ScreenLayout render(const signage::HallVm& vm, float deltaS);
    const ui::Theme& theme() const { return m_theme; }

private:
    DisplayScreen(SDL_Renderer* renderer, ui::Theme theme) : m_renderer(renderer), m_ui(renderer), m_theme(theme) {}
    SDL_Renderer* m_renderer;
    ui::UiContext m_ui;
    ui::Theme m_theme;
};

} // namespace loket::display
