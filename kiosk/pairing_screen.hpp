// The kiosk's pairing screen: shown instead of the visitor screens while the kiosk has no
// credential (shared/enrol). The six-digit code large in the middle, Dutch above English, what
// the hall manager does, and why a new code is shown (expired, revoked). No targets: a visitor
// can do nothing here. A free function like the other screens: view-model in, drawn texts out.
#pragma once

#include "draw_kit.hpp"
#include "shared/enrol/pairing_view.hpp"
#include "theme.hpp"

namespace loket::kiosk {

// Draws the whole frame (its own full-screen window).
DrawOut drawPairing(const enrol::PairingVm& vm, const Theme& theme);

} // namespace loket::kiosk
