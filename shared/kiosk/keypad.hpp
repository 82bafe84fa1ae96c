// Keyboard and tactile-keypad operation of every screen: a few navigation keys move a focus
// through the screen's targets in reading order and choose the focused one; printable keys type
// into the code field (a USB scanner types the same way and ends with Enter).
// Used by loket-kiosk (mapping SDL keys) and the tests. Standard library only.
#pragma once

#include "flow.hpp"
#include "view_model.hpp"

#include <optional>

namespace loket::kiosk {

enum class NavKey {
    Next,     // Tab, arrow down/right, keypad 2/6
    Previous, // Shift+Tab, arrow up/left, keypad 8/4
    Activate, // Enter, Space, keypad Enter/5
    Back,     // Escape
    Erase,    // Backspace: erases on the code screen, otherwise goes back
    Repeat,   // F1 or keypad *: read the screen (again)
};

// The flow input a navigation key means on this view with this focus (nullopt: nothing).
std::optional<Input> inputForKey(const KioskVm& vm, int focus, NavKey key);

} // namespace loket::kiosk
