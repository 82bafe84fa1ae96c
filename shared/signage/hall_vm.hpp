// HallVm: everything one frame of a hall display shows, as plain resolved strings and flags.
// Built by SignageModel::view(); drawn by display/'s draw functions (drawHall, drawCounterTop),
// which read nothing else; the app redraws only when the view-model changes (operator==).
// Numbers only: there is no field that could hold a name or code.
#pragma once

#include "shared/signage/display_config.hpp"
#include "shared/signage/display_texts.hpp"

#include <optional>
#include <string>
#include <vector>

namespace loket::signage {

struct CallVm {
    std::string number;             // "A012"
    std::string counterId;          // "b3"
    std::string counterLabel;       // "Balie 3"
    std::string counterLabelSecond; // "Counter 3"
    std::string direction;          // configured arrow ("←"), or empty
    std::string timeText;           // "09:15", when it was called

    friend bool operator==(const CallVm&, const CallVm&) = default;
};

struct WaitingVm {
    std::string prefix;       // "A"
    std::string label;        // service name (or its neutral public label), first language
    int waiting = 0;
    std::string expectedWait; // "± 12 min", empty when nobody waits

    friend bool operator==(const WaitingVm&, const WaitingVm&) = default;
};

struct CounterTopVm {
    std::string counterLabel;       // "Balie 3"
    std::string counterLabelSecond; // "Counter 3"
    std::string number;             // the called or served number, empty when none
    bool closed = false;

    friend bool operator==(const CounterTopVm&, const CounterTopVm&) = default;
};

struct HallVm {
    Profile profile = Profile::Hall;
    std::string hallName;
    std::string clockText;
    DisplayTexts texts;
    std::optional<CallVm> newest;
    bool highlight = false;   // the newest call is within its highlight time
    bool highlightOn = false; // pulse phase: strong when true; changes at most twice a second
    std::vector<CallVm> previous;
    std::vector<WaitingVm> waiting;
    CounterTopVm counterTop;
    // The admin page's line ("Vandaag zijn wij om 12:00 gesloten"): in the first language, and in
    // the second when it has its own text; both empty when there is no banner.
    std::string banner;
    std::string bannerSecond;
    bool disconnected = false;
    // Disconnected because the server's certificate was refused: the mark says so (a device alert
    // for IT; the display never falls back to plain HTTP).
    bool untrusted = false;

    friend bool operator==(const HallVm&, const HallVm&) = default;
};

} // namespace loket::signage
