// The hall display's screens: free functions of the view-model and the theme. They draw with
// ImGui's background draw list (no windows, no input: a display takes none) and return where
// they put the main elements, so tests can measure those regions on the rendered pixels.
// No I/O, no state, no SDL.
#pragma once

#include "shared/signage/hall_vm.hpp"
#include "shared/ui/contrast.hpp"
#include "shared/ui/theme.hpp"

#include <string>
#include <vector>

namespace loket::display {

struct ScreenLayout {
    ui::Region number;       // the newest call's number (or the counter-top number)
    ui::Region counter;      // "→ Balie 3"
    ui::Region previous;     // the previous calls list
    ui::Region waiting;      // the waiting list
    ui::Region disconnected; // the "verbinding verbroken" mark, when shown
    ui::Region banner;       // the admin page's line under the header, when there is one
    float numberSize = 0;    // font size the number was drawn at
};

// The whole hall or one zone: newest call, previous calls, waiting per service, clock, name.
ScreenLayout drawHall(const signage::HallVm& vm, const ui::Theme& theme);
// A small screen above one counter: its label and its current number.
ScreenLayout drawCounterTop(const signage::HallVm& vm, const ui::Theme& theme);
// Picks the screen for the view-model's profile.
ScreenLayout drawScreen(const signage::HallVm& vm, const ui::Theme& theme);

// Every string the screens can draw beyond the translations: for the font glyph ranges.
std::vector<std::string> screenSymbols();
// The characters the huge font needs besides digits and capitals: the arrows of the counter
// line and the dash.
std::string hugeSymbols();

} // namespace loket::display
