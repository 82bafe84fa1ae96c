// DisplayScreen: the signage theme and fonts of one display, drawing a view-model on a ui::Host
// (a window, or a headless surface for tests and `--headless`). No network, no model.
#pragma once

#include "display/pairing_screen.hpp"
#include "display/screens.hpp"
#include "shared/core/result.hpp"
#include "shared/i18n/catalog.hpp"
#include "shared/signage/display_config.hpp"
#include "shared/ui/host.hpp"

#include <map>
#include <memory>
#include <string>

namespace loket::display {

class DisplayScreen {
public:
    // Loads the fonts for `screen` into the host's atlas (before its first frame).
    static Result<std::unique_ptr<DisplayScreen>> create(ui::Host& host, const signage::ScreenConfig& screen,
                                                         const std::map<std::string, i18n::Catalog>& catalogs);
    // Draws one frame of `vm` and shows it (a window) or leaves it in the surface (headless).
    ScreenLayout render(const signage::HallVm& vm, float deltaS);
    // Draws the pairing screen (a display without a credential) and shows it.
    PairingLayout renderPairing(const enrol::PairingVm& vm, float deltaS);
    const ui::Theme& theme() const { return m_theme; }

private:
    DisplayScreen(ui::Host& host, ui::Theme theme) : m_host(host), m_theme(theme) {}
    ui::Host& m_host;
    ui::Theme m_theme;
};

} // namespace loket::display
