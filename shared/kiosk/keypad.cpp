#include "keypad.hpp"

namespace loket::kiosk {
namespace {

bool hasTarget(const std::vector<const Target*>& targets, ActionKind kind) {
    for (const Target* t : targets)
        if (t->action.kind == kind) return true;
    return false;
}

} // namespace

std::optional<Input> inputForKey(const KioskVm& vm, int focus, NavKey key) {
    const auto targets = targetsOf(vm);
    const int n = static_cast<int>(targets.size());
    const bool onCode = std::holds_alternative<CodeEntryVm>(vm.screen) && !vm.warning;
    switch (key) {
    case NavKey::Next:
        if (n == 0) return std::nullopt;
        return FocusInput{focus < 0 ? 0 : (focus + 1) % n};
    case NavKey::Previous:
        if (n == 0) return std::nullopt;
        return FocusInput{focus <= 0 ? n - 1 : focus - 1};
    case NavKey::Activate:
        if (focus >= 0 && focus < n) return ActionInput{targets[static_cast<std::size_t>(focus)]->action};
        if (vm.warning) return ActionInput{Action{ActionKind::MoreTime, {}}};
        if (onCode) return EnterKey{};
        return FocusInput{0}; // the first press shows where the focus is
    case NavKey::Erase:
        if (onCode) return ActionInput{Action{ActionKind::Erase, {}}};
        [[fallthrough]];
    case NavKey::Back:
        if (vm.warning) return ActionInput{Action{ActionKind::MoreTime, {}}};
        if (hasTarget(targets, ActionKind::Back)) return ActionInput{Action{ActionKind::Back, {}}};
        if (hasTarget(targets, ActionKind::StartOver)) return ActionInput{Action{ActionKind::StartOver, {}}};
        if (hasTarget(targets, ActionKind::Done)) return ActionInput{Action{ActionKind::Done, {}}};
        return std::nullopt;
    case NavKey::Repeat:
        return ActionInput{Action{ActionKind::Repeat, {}}};
    }
    return std::nullopt;
}

} // namespace loket::kiosk
