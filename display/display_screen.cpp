#include "display/display_screen.hpp"

#include <SDL.h>

namespace loket::display {

Result<std::unique_ptr<DisplayScreen>> DisplayScreen::create(SDL_Renderer* renderer, const signage::ScreenConfig& screen,
                                                             const std::map<std::string, i18n::Catalog>& catalogs) {
    ui::Theme theme = ui::makeSignageTheme(ui::ScreenSpec{screen.width, screen.height, screen.diagonalInches, screen.viewingDistanceM});
    std::unique_ptr<DisplayScreen> out(new DisplayScreen(renderer, theme));
    std::vector<std::string> texts = screenSymbols();
    std::vector<std::string> big;
    for (auto& [lang, catalog] : catalogs) {
        for (auto& key : catalog.keys()) texts.push_back(catalog.text(key));
        big.push_back(catalog.text("display.call.counter"));
    }
    ui::buildGlyphRanges(out->m_ui.glyphRanges(), texts, big);
    if (auto st = ui::loadFonts(out->m_ui.fonts(), out->m_theme, screen.font, out->m_ui.glyphRanges()); !st) return st.error();
    return out;
}

ScreenLayout DisplayScreen::render(const signage::HallVm& vm, float deltaS) {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(m_renderer, &w, &h);
    m_ui.beginFrame(w, h, deltaS);
    ScreenLayout layout = drawScreen(vm, m_theme);
    m_ui.endFrame(m_theme.background);
    return layout;
}

} // namespace loket::display
