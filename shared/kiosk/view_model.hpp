// The view-models the kiosk's screens are drawn from: one struct per screen, plus the bar of
// accessibility buttons on every screen and the idle warning laid over any screen. Every text
// is a Text with what is shown and what is spoken (the ticket number "A012" is spoken "A 12";
// the booking code is shown but spoken only as a count of characters), so "every visible
// string has a spoken form" is a property the tests check on real view-models.
// Built by view_builder.hpp from the flow's state; drawn by kiosk/screens. Standard library and
// shared/ticket's QR matrix only — no ImGui, so tests and tools read them without a renderer.
#pragma once

#include "flow.hpp"
#include "shared/ticket/qr_code.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace loket::kiosk {

struct Text {
    std::string shown;
    std::string spoken;
    bool operator==(const Text&) const = default;
};

// Pictograms drawn by the kiosk's own code (kiosk/pictogram_draw); ids are stable names.
enum class Pictogram {
    None, Calendar, Person, Passport, Pickup, Car, House, Document, Baby, Rings, Question,
    Speaker, TextSize, Back, Clock, Printer, Warning, Closed, NoConnection, Check,
};

// One thing to touch or choose with the keypad.
struct Target {
    Action action;
    Text label;
    std::optional<Text> detail; // a second line (a service's B1 line)
    Pictogram icon = Pictogram::None;
    bool primary = false;  // the main choice on its screen (drawn filled)
    bool selected = false; // a toggle that is on / the current language (drawn with a check mark)
    bool focused = false;  // keypad focus (drawn with a thick outline, never colour alone)
    bool key = false;      // a key of the on-screen keyboard (not read in the screen's script)
};

struct WelcomeVm {
    Text title;
    Text subtitle;
    Target withAppointment;
    Target withoutAppointment;
    std::vector<Target> languages;
};

struct CodeEntryVm {
    Text title;
    Text instruction;
    Text where;   // where the code is written
    Text typed;   // shown: what was typed; spoken: only how many characters
    std::vector<std::vector<Target>> keyRows;
    Target erase;
    Target submit;
    Target back;
};

struct ServiceTileVm {
    Target target;                       // label: the service; detail: its B1 line
    std::optional<Text> online;          // "Dit kunt u ook online regelen."
    std::optional<Text> appointmentOnly; // "Alleen met afspraak"
};

struct ServicesVm {
    Text title;
    std::vector<ServiceTileVm> tiles;
    Target back;
};

struct ServiceConfirmVm {
    Text title; // the service
    Text line;  // its B1 line
    Pictogram icon = Pictogram::Document;
    std::optional<Text> bringTitle;
    std::optional<Text> bring;
    std::optional<Text> online;
    Target confirm;
    Target back;
};

// The optional needs step (KioskConfig::askNeeds): each need a toggle (selected: chosen); "Verder"
// takes the number with them, "Overslaan" without.
struct NeedsVm {
    Text title;
    Text line;
    std::vector<Target> needs;
    Target next;
    Target skip;
    Target back;
};

struct TicketVm {
    Text title;   // "Uw nummer"
    Text number;  // "A012" / "A 12"
    Text service;
    std::optional<Text> appointment; // "Afspraak om 10:30"
    std::optional<Text> wait;
    Text status;  // printing, or the printer-fault instruction
    Text watchScreen;
    bool onScreen = false;            // printer fault: number and QR large on screen
    std::optional<ticket::QrMatrix> qr; // set when onScreen
    std::optional<Text> qrHint;
    Target done;
};

// Errors, offline, and "one moment": a title, lines, maybe one big fact, next steps.
struct MessageVm {
    Text title;
    std::vector<Text> lines;
    std::optional<Text> highlight; // the time, the number or the date, large
    Pictogram icon = Pictogram::None;
    bool busy = false;             // waiting: an animated-free "working" mark
    std::vector<Target> actions;
};

struct TimeoutWarningVm {
    Text message;
    Text countdown;
    Target moreTime;
};

using ScreenVm = std::variant<WelcomeVm, CodeEntryVm, ServicesVm, ServiceConfirmVm, NeedsVm, TicketVm, MessageVm>;

struct KioskVm {
    std::string screenId; // "welcome", "problem.too_early", … (tests, screenshots, logs)
    std::string language;
    bool largeText = false;
    bool speechOn = false;
    ScreenVm screen;
    // The admin page's line on every screen, above the bar ("Vandaag zijn wij om 12:00 gesloten").
    std::optional<Text> banner;
    std::vector<Target> bar; // read aloud, repeat, larger text: on every screen
    std::optional<TimeoutWarningVm> warning;
    std::uint64_t revision = 0;
};

// Every target in keypad order: the warning's button alone while it shows; otherwise the
// screen's targets top to bottom, then the bar.
std::vector<const Target*> targetsOf(const KioskVm& vm);
std::vector<Target*> targetsOf(KioskVm& vm);
// Every text that is on screen, labels included, in reading order.
std::vector<const Text*> textsOf(const KioskVm& vm);

} // namespace loket::kiosk
