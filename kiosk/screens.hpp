// The kiosk's screens: one free function per screen, view-model in, what was chosen out.
// `XxxOut drawXxx(const XxxVm&, const Theme&)` — no I/O, no application state, no statics;
// each draws into the current ImGui window at absolute positions from the Theme's physical
// sizes, and reports the targets and texts it drew (for tests, screenshots and the keypad's
// focus ring). drawFrame() puts a whole KioskVm on screen: the screen, the accessibility bar
// and, over everything, the idle warning.
#pragma once

#include "draw_kit.hpp"
#include "shared/kiosk/view_model.hpp"
#include "theme.hpp"

namespace loket::kiosk {

using WelcomeOut = DrawOut;
using CodeEntryOut = DrawOut;
using ServicesOut = DrawOut;
using ServiceConfirmOut = DrawOut;
using NeedsOut = DrawOut;
using TicketOut = DrawOut;
using MessageOut = DrawOut;
using BarOut = DrawOut;
using TimeoutWarningOut = DrawOut;
using FrameOut = DrawOut;

WelcomeOut drawWelcome(const WelcomeVm& vm, const Theme& theme);
CodeEntryOut drawCodeEntry(const CodeEntryVm& vm, const Theme& theme);
ServicesOut drawServices(const ServicesVm& vm, const Theme& theme);
ServiceConfirmOut drawServiceConfirm(const ServiceConfirmVm& vm, const Theme& theme);
NeedsOut drawNeeds(const NeedsVm& vm, const Theme& theme);
TicketOut drawTicket(const TicketVm& vm, const Theme& theme);
MessageOut drawMessage(const MessageVm& vm, const Theme& theme);
BarOut drawBar(const std::vector<Target>& bar, const Theme& theme);
TimeoutWarningOut drawTimeoutWarning(const TimeoutWarningVm& vm, const Theme& theme);

// The whole frame inside its own full-screen ImGui windows (call between NewFrame and Render).
FrameOut drawFrame(const KioskVm& vm, const Theme& theme);

// A borderless window over the whole screen (draw at absolute positions inside it), and its end.
void beginScreenWindow(const char* name, const Theme& theme);
void endScreenWindow();

// The area screens draw in: the screen minus its margins and the bar at the bottom.
struct Area {
    ImVec2 min, max;
    float width() const { return max.x - min.x; }
    float height() const { return max.y - min.y; }
};
Area contentArea(const Theme& theme);
float barHeight(const Theme& theme);

} // namespace loket::kiosk
