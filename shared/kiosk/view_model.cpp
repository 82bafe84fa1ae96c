#include "view_model.hpp"

namespace loket::kiosk {
namespace {

// One walk over a view-model in reading and keypad order, for both const and non-const use.
template <class Vm, class OnTarget, class OnText>
void walk(Vm& vm, OnTarget&& onTarget, OnText&& onText) {
    auto both = [&](auto& t) {
        onText(t.label);
        if (t.detail) onText(*t.detail);
        onTarget(t);
    };
    if (vm.warning) {
        // While the warning shows, it is the only thing that can be chosen.
        onText(vm.warning->message);
        onText(vm.warning->countdown);
        both(vm.warning->moreTime);
    }
    const bool screenTargets = !vm.warning;
    auto maybe = [&](auto& t) {
        if (screenTargets) both(t);
        else {
            onText(t.label);
            if (t.detail) onText(*t.detail);
        }
    };
    std::visit(
        [&](auto& s) {
            using T = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<T, WelcomeVm>) {
                onText(s.title);
                onText(s.subtitle);
                maybe(s.withAppointment);
                maybe(s.withoutAppointment);
                for (auto& t : s.languages) maybe(t);
            } else if constexpr (std::is_same_v<T, CodeEntryVm>) {
                onText(s.title);
                onText(s.instruction);
                onText(s.where);
                onText(s.typed);
                for (auto& row : s.keyRows)
                    for (auto& k : row) maybe(k);
                maybe(s.erase);
                maybe(s.submit);
                maybe(s.back);
            } else if constexpr (std::is_same_v<T, ServicesVm>) {
                onText(s.title);
                for (auto& tile : s.tiles) {
                    maybe(tile.target);
                    if (tile.online) onText(*tile.online);
                    if (tile.appointmentOnly) onText(*tile.appointmentOnly);
                }
                maybe(s.back);
            } else if constexpr (std::is_same_v<T, ServiceConfirmVm>) {
                onText(s.title);
                if (!s.line.shown.empty()) onText(s.line);
                if (s.bringTitle) onText(*s.bringTitle);
                if (s.bring) onText(*s.bring);
                if (s.online) onText(*s.online);
                maybe(s.confirm);
                maybe(s.back);
            } else if constexpr (std::is_same_v<T, NeedsVm>) {
                onText(s.title);
                onText(s.line);
                for (auto& t : s.needs) maybe(t);
                maybe(s.next);
                maybe(s.skip);
                maybe(s.back);
            } else if constexpr (std::is_same_v<T, TicketVm>) {
                onText(s.title);
                onText(s.number);
                onText(s.service);
                if (s.appointment) onText(*s.appointment);
                if (s.wait) onText(*s.wait);
                onText(s.status);
                onText(s.watchScreen);
                if (s.qrHint) onText(*s.qrHint);
                maybe(s.done);
            } else if constexpr (std::is_same_v<T, MessageVm>) {
                onText(s.title);
                if (s.highlight) onText(*s.highlight);
                for (auto& line : s.lines) onText(line);
                for (auto& t : s.actions) maybe(t);
            }
        },
        vm.screen);
    if (vm.banner) onText(*vm.banner);
    for (auto& t : vm.bar) maybe(t);
}

} // namespace

std::vector<const Target*> targetsOf(const KioskVm& vm) {
    std::vector<const Target*> out;
    walk(vm, [&](const Target& t) { out.push_back(&t); }, [](const Text&) {});
    return out;
}

std::vector<Target*> targetsOf(KioskVm& vm) {
    std::vector<Target*> out;
    walk(vm, [&](Target& t) { out.push_back(&t); }, [](Text&) {});
    return out;
}

std::vector<const Text*> textsOf(const KioskVm& vm) {
    std::vector<const Text*> out;
    walk(vm, [](const Target&) {}, [&](const Text& t) { out.push_back(&t); });
    return out;
}

} // namespace loket::kiosk
