// What the kiosk says: the script of the whole screen (for "Voorlezen" and "Nog een keer"),
// the focused target (for keypad users), and the idle warning. Built only from the spoken forms
// in the view-model, so the booking code can never reach the loudspeaker: its Text speaks just
// the number of characters typed. Keys of the on-screen keyboard are spoken when focused, not
// read out in the screen's script.
// Used by loket-kiosk (handing the text to shared/speech) and the tests. Standard library only.
#pragma once

#include "flow.hpp"
#include "view_model.hpp"

#include <string>

namespace loket::kiosk {

std::string spokenScript(const KioskVm& vm, Cue cue);

} // namespace loket::kiosk
