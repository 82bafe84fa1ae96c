// The hall display's pairing screen: shown while the display has no credential (shared/enrol),
// in the signage theme — the code at the called-number size so it can be read from the back of
// the hall, Dutch above English, what the hall manager does, and why a new code is shown.
// A free function of the view-model and the theme, drawn on the background draw list like the
// other display screens (display/screens.hpp); no I/O, no state.
#pragma once

#include "shared/enrol/pairing_view.hpp"
#include "shared/ui/contrast.hpp"
#include "shared/ui/theme.hpp"

namespace loket::display {

struct PairingLayout {
    ui::Region code;      // where the digits were drawn (empty without a code)
    float codeSize = 0;   // their font size
};

PairingLayout drawPairing(const enrol::PairingVm& vm, const ui::Theme& theme);

} // namespace loket::display
