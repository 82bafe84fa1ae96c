#include "display/display_screen.hpp"

namespace loket::display {

Result<std::unique_ptr<DisplayScreen>> DisplayScreen::create(ui::Host& host, const signage::ScreenConfig& screen,
                                                             const std::map<std::string, i18n::Catalog>& catalogs) {
    ui::Theme theme = ui::makeSignageTheme(ui::ScreenSpec{screen.width, screen.height, screen.diagonalInches, screen.viewingDistanceM});
    std::unique_ptr<DisplayScreen> out(new DisplayScreen(host, theme));
    std::vector<std::string> texts = screenSymbols();
    // The huge font draws the counter line too: its word, the arrows and the dash.
    std::vector<std::string> big = {hugeSymbols()};
    for (auto& [lang, catalog] : catalogs) {
        for (auto& key : catalog.keys()) texts.push_back(catalog.text(key));
        big.push_back(catalog.text("display.call.counter"));
    }
    ui::GlyphRanges& ranges = host.ui().glyphRanges();
    ui::buildGlyphRanges(ranges, texts, big);
    if (auto st = ui::loadFonts(host.fonts(), out->m_theme, screen.font, ranges); !st) return st.error();
    return out;
}

ScreenLayout DisplayScreen::render(const signage::HallVm& vm, float deltaS) {
    m_host.beginFrame(deltaS);
    ScreenLayout layout = drawScreen(vm, m_theme);
    m_host.endFrame(m_theme.background);
    return layout;
}

PairingLayout DisplayScreen::renderPairing(const enrol::PairingVm& vm, float deltaS) {
    m_host.beginFrame(deltaS);
    PairingLayout layout = drawPairing(vm, m_theme);
    m_host.endFrame(m_theme.background);
    return layout;
}

} // namespace loket::display
