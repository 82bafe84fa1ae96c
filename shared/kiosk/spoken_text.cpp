#include "spoken_text.hpp"

#include <set>

namespace loket::kiosk {
namespace {

// Joins sentences so speech pauses between them: a piece without closing punctuation gets a full stop.
void append(std::string& script, const std::string& piece) {
    if (piece.empty()) return;
    if (!script.empty()) script += ' ';
    script += piece;
    const char last = piece.back();
    if (last != '.' && last != '!' && last != '?' && last != ':') script += '.';
}

} // namespace

std::string spokenScript(const KioskVm& vm, Cue cue) {
    std::string script;
    if (cue == Cue::Warning || (cue == Cue::Screen && vm.warning)) {
        if (!vm.warning) return script;
        append(script, vm.warning->message.spoken);
        append(script, vm.warning->countdown.spoken);
        append(script, vm.warning->moreTime.label.spoken);
        return script;
    }
    const auto targets = targetsOf(vm);
    if (cue == Cue::Focus) {
        for (const Target* t : targets) {
            if (!t->focused) continue;
            append(script, t->label.spoken);
            if (t->detail) append(script, t->detail->spoken);
        }
        return script;
    }
    std::set<const Text*> keyLabels;
    for (const Target* t : targets)
        if (t->key) keyLabels.insert(&t->label);
    for (const Text* text : textsOf(vm))
        if (!keyLabels.count(text)) append(script, text->spoken);
    return script;
}

} // namespace loket::kiosk
