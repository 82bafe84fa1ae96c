// VisitNeeds: what a visitor needs at the counter — a desk at sitting height (a wheelchair), a
// hearing loop, an interpreter or a language, extra time, room for a companion. The host at the
// door (or the kiosk) marks them; the counter console shows them when the visitor is called, and
// dispatch sends a visitor who needs a sitting-height desk only to a counter that has one
// (visit_rules.hpp). Needs are personal data: staff see them, displays, kiosks and the visitor
// page never do, and they go with the day's tickets at rollover. Standard library only.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace loket::core {

struct VisitNeeds {
    bool sittingDesk = false;   // wheelchair: a counter with a desk at sitting height
    bool hearingLoop = false;
    bool interpreter = false;
    bool extraTime = false;
    bool companion = false;
    std::string language;       // the interpreter's (or the visit's) language, free text, ≤ 40 bytes

    bool any() const { return sittingDesk || hearingLoop || interpreter || extraTime || companion || !language.empty(); }
    bool operator==(const VisitNeeds&) const = default;
};

// The wire names of the flags, in a fixed order: sitting_desk, hearing_loop, interpreter,
// extra_time, companion.
const std::vector<std::string>& needNames();
std::vector<std::string> needList(const VisitNeeds& needs);
// Sets the flag called `name`; false when there is no such need.
bool setNeed(VisitNeeds& needs, const std::string& name);

constexpr std::size_t kMaxNeedLanguageBytes = 40;

} // namespace loket::core
