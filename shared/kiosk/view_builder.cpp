#include "view_builder.hpp"

#include "ticket_mapping.hpp"

#include "shared/core/ticket.hpp"
#include "shared/core/visit_needs.hpp"
#include "shared/proto/rfc3339.hpp"

#include <algorithm>

namespace loket::kiosk {
namespace {

using Args = std::map<std::string, std::string>;

// The catalog of the visitor's language, handing out Texts.
class Words {
public:
    explicit Words(const i18n::Catalog& catalog) : m_catalog(catalog) {}
    Text text(const std::string& key, const Args& args = {}) const {
        std::string shown = m_catalog.text(key, args);
        return Text{shown, shown};
    }
    // A text whose spoken form has its own key (a dash or a symbol that speech would mangle).
    Text text(const std::string& key, const std::string& spokenKey, const Args& shownArgs, const Args& spokenArgs) const {
        return Text{m_catalog.text(key, shownArgs), m_catalog.text(spokenKey, spokenArgs)};
    }
    std::string raw(const std::string& key, const Args& args = {}) const { return m_catalog.text(key, args); }

private:
    const i18n::Catalog& m_catalog;
};

Text same(const std::string& s) { return Text{s, s}; }

Target target(ActionKind kind, Text label, std::string arg = {}) {
    Target t;
    t.action = Action{kind, std::move(arg)};
    t.label = std::move(label);
    return t;
}

// The hall-local "HH:MM" of an instant.
std::string clockOf(core::Now at) { return core::formatClock(core::localSecondOfDay(at)); }

// 2026-11-24 → "24 november 2026" in the visitor's language.
std::string longDate(core::LocalDay day, const Words& w) {
    const std::string iso = core::formatDate(day);
    const int month = std::stoi(iso.substr(5, 2));
    const int dayOfMonth = std::stoi(iso.substr(8, 2));
    return std::to_string(dayOfMonth) + " " + w.raw("kiosk.month." + std::to_string(month)) + " " + iso.substr(0, 4);
}

WelcomeVm welcome(const FlowState& s, const KioskConfig& config, const Words& w) {
    WelcomeVm vm;
    vm.title = w.text("kiosk.welcome.title");
    vm.subtitle = w.text("kiosk.welcome.subtitle");
    vm.withAppointment = target(ActionKind::ChooseAppointment, w.text("kiosk.welcome.with_appointment"));
    vm.withAppointment.icon = Pictogram::Calendar;
    vm.withAppointment.primary = true;
    vm.withoutAppointment = target(ActionKind::ChooseWalkIn, w.text("kiosk.welcome.without_appointment"));
    vm.withoutAppointment.icon = Pictogram::Person;
    vm.withoutAppointment.primary = true;
    for (const auto& code : config.languages) {
        Target t = target(ActionKind::SetLanguage, w.text("kiosk.language." + code), code);
        t.selected = code == s.language;
        vm.languages.push_back(std::move(t));
    }
    return vm;
}

CodeEntryVm codeEntry(const FlowState& s, const Words& w) {
    CodeEntryVm vm;
    vm.title = w.text("kiosk.code.title");
    vm.instruction = w.text("kiosk.code.instruction");
    vm.where = w.text("kiosk.code.where");
    // The code is private: on screen yes, out loud never — only how much was typed.
    vm.typed.shown = s.codeInput;
    vm.typed.spoken = s.codeInput.empty() ? w.raw("kiosk.code.empty")
                                          : w.raw("kiosk.code.typed_count", {{"n", std::to_string(s.codeInput.size())}});
    for (const auto& row : keyboardRows()) {
        std::vector<Target> keys;
        for (char c : row) {
            Target k = target(ActionKind::TypeChar, same(std::string(1, c)), std::string(1, c));
            k.key = true;
            keys.push_back(std::move(k));
        }
        vm.keyRows.push_back(std::move(keys));
    }
    vm.erase = target(ActionKind::Erase, w.text("kiosk.code.erase"));
    vm.erase.icon = Pictogram::Back;
    vm.submit = target(ActionKind::SubmitCode, w.text("kiosk.code.continue"));
    vm.submit.primary = true;
    vm.back = target(ActionKind::Back, w.text("kiosk.bar.back"));
    return vm;
}

ServicesVm services(const Flow& flow, const Words& w) {
    const std::string& lang = flow.state().language;
    ServicesVm vm;
    vm.title = w.text("kiosk.services.title");
    for (const proto::ClientService* svc : flow.serviceTiles()) {
        ServiceTileVm tile;
        tile.target = target(ActionKind::ChooseService, same(serviceLabel(*svc, lang)), svc->id);
        // A sensitive service hides behind its neutral label: its pictogram must not tell either.
        tile.target.icon = svc->publicLabel ? Pictogram::Document : pictogramForService(svc->id);
        // A service with a neutral public label keeps its line private too.
        if (!svc->publicLabel) {
            std::string line = core::textIn(svc->description, lang);
            if (!line.empty()) tile.target.detail = same(line);
        }
        if (svc->online) tile.online = w.text("kiosk.services.online");
        if (!svc->walkIn) tile.appointmentOnly = w.text("kiosk.services.appointment_only");
        vm.tiles.push_back(std::move(tile));
    }
    vm.back = target(ActionKind::Back, w.text("kiosk.bar.back"));
    return vm;
}

ServiceConfirmVm serviceConfirm(const Flow& flow, const Words& w) {
    const std::string& lang = flow.state().language;
    ServiceConfirmVm vm;
    const proto::ClientService* svc = flow.service(flow.state().chosenService);
    vm.title = same(svc ? serviceLabel(*svc, lang) : flow.state().chosenService);
    vm.icon = svc && svc->publicLabel ? Pictogram::Document : pictogramForService(flow.state().chosenService);
    if (svc) {
        if (!svc->publicLabel) vm.line = same(core::textIn(svc->description, lang));
        std::string bring = core::textIn(svc->bring, lang);
        if (!bring.empty()) {
            vm.bringTitle = w.text("kiosk.confirm.bring");
            vm.bring = same(bring);
        }
        if (svc->online) vm.online = w.text("kiosk.services.online");
    }
    vm.confirm = target(ActionKind::ConfirmService, w.text("kiosk.confirm.take_number"));
    vm.confirm.primary = true;
    vm.back = target(ActionKind::Back, w.text("kiosk.bar.back"));
    return vm;
}

NeedsVm needsView(const FlowState& s, const Words& w) {
    NeedsVm vm;
    vm.title = w.text("kiosk.needs.title");
    vm.line = w.text("kiosk.needs.line");
    for (const std::string& name : core::needNames()) {
        Target t = target(ActionKind::ToggleNeed, w.text("kiosk.needs." + name), name);
        t.selected = std::find(s.needs.begin(), s.needs.end(), name) != s.needs.end();
        // Read aloud with its state, as the bar's toggles are.
        t.label.spoken += ", " + w.raw(t.selected ? "kiosk.bar.on" : "kiosk.bar.off");
        vm.needs.push_back(std::move(t));
    }
    vm.next = target(ActionKind::ConfirmNeeds, w.text("kiosk.needs.next"));
    vm.next.primary = true;
    vm.skip = target(ActionKind::SkipNeeds, w.text("kiosk.needs.skip"));
    vm.back = target(ActionKind::Back, w.text("kiosk.bar.back"));
    return vm;
}

TicketVm ticketView(const Flow& flow, const Words& w) {
    const FlowState& s = flow.state();
    const proto::IssuedTicket& t = *s.ticket;
    TicketVm vm;
    vm.title = w.text("kiosk.ticket.title");
    vm.number = Text{t.ticket.number, spokenTicketNumber(t.ticket.number)};
    const proto::ClientService* svc = flow.service(t.ticket.service);
    vm.service = same(svc ? serviceLabel(*svc, s.language) : t.ticket.service);
    if (t.appointmentStartsAt)
        if (auto at = proto::parseRfc3339(*t.appointmentStartsAt))
            vm.appointment = w.text("kiosk.ticket.appointment", {{"time", clockOf(*at)}});
    if (auto wait = waitMinutes(t)) {
        if (wait->second <= 2) {
            vm.wait = w.text("kiosk.ticket.wait_none");
        } else {
            const Args args{{"low", std::to_string(wait->first)}, {"high", std::to_string(wait->second)}};
            vm.wait = w.text("kiosk.ticket.wait", "kiosk.ticket.wait_spoken", args, args);
        }
    }
    vm.watchScreen = w.text("kiosk.ticket.watch_screen");
    vm.onScreen = s.print == PrintState::Failed;
    if (vm.onScreen) {
        vm.status = w.text("kiosk.ticket.print_failed");
        if (auto qr = ticket::encodeQr(t.visitorUrl)) {
            vm.qr = std::move(*qr);
            vm.qrHint = w.text("kiosk.ticket.qr_hint");
        }
    } else {
        vm.status = w.text("kiosk.ticket.printing");
    }
    vm.done = target(ActionKind::Done, w.text("kiosk.action.done"));
    vm.done.primary = true;
    return vm;
}

Target startOver(const Words& w) { return target(ActionKind::StartOver, w.text("kiosk.action.start_over")); }

MessageVm problemView(const Flow& flow, const Words& w) {
    const FlowState& s = flow.state();
    const std::string base = std::string("kiosk.problem.") + problemName(s.problem);
    MessageVm vm;
    vm.title = w.text(base + ".title");
    vm.icon = Pictogram::Warning;
    const ErrorDetails& facts = s.problemDetails;
    switch (s.problem) {
    case Problem::InvalidCode:
    case Problem::UnknownCode: {
        vm.lines.push_back(w.text(base + ".text"));
        Target again = target(ActionKind::TryAgain, w.text("kiosk.action.try_again"));
        again.primary = true;
        vm.actions.push_back(std::move(again));
        vm.actions.push_back(startOver(w));
        break;
    }
    case Problem::TooEarly: {
        vm.icon = Pictogram::Clock;
        if (facts.checkInFrom) {
            const std::string time = clockOf(*facts.checkInFrom);
            vm.lines.push_back(w.text(base + ".text", {{"time", time}}));
            vm.highlight = same(time);
        } else {
            vm.lines.push_back(w.text(base + ".text_no_time"));
        }
        if (flow.config().earlyArrivalWalkIn && !flow.serviceTiles().empty())
            vm.actions.push_back(target(ActionKind::OtherService, w.text("kiosk.action.walk_in_now")));
        Target done = target(ActionKind::Done, w.text("kiosk.action.done"));
        done.primary = true;
        vm.actions.insert(vm.actions.begin(), std::move(done));
        break;
    }
    case Problem::AlreadyCheckedIn: {
        vm.icon = Pictogram::Check;
        if (const auto& number = facts.ticketNumber) {
            vm.lines.push_back(w.text(base + ".text", "kiosk.problem.already_checked_in.text",
                                      {{"number", *number}}, {{"number", spokenTicketNumber(*number)}}));
            vm.highlight = Text{*number, spokenTicketNumber(*number)};
        } else {
            vm.lines.push_back(w.text(base + ".text_no_number"));
        }
        vm.lines.push_back(w.text("kiosk.ticket.watch_screen"));
        Target done = target(ActionKind::Done, w.text("kiosk.action.done"));
        done.primary = true;
        vm.actions.push_back(std::move(done));
        break;
    }
    case Problem::NotToday: {
        vm.icon = Pictogram::Calendar;
        if (facts.appointmentDay) {
            const std::string when = longDate(*facts.appointmentDay, w);
            vm.lines.push_back(w.text(base + ".text", {{"date", when}}));
            vm.highlight = same(when);
        } else {
            vm.lines.push_back(w.text(base + ".text_no_date"));
        }
        Target done = target(ActionKind::Done, w.text("kiosk.action.done"));
        done.primary = true;
        vm.actions.push_back(std::move(done));
        break;
    }
    case Problem::WalkInNotOffered: {
        vm.lines.push_back(w.text(base + ".text"));
        Target other = target(ActionKind::OtherService, w.text("kiosk.action.other_service"));
        other.primary = true;
        vm.actions.push_back(std::move(other));
        vm.actions.push_back(startOver(w));
        break;
    }
    case Problem::HallClosed: {
        vm.icon = Pictogram::Closed;
        if (facts.opensAt && facts.closesAt)
            vm.lines.push_back(w.text(base + ".text", {{"open", clockOf(*facts.opensAt)}, {"close", clockOf(*facts.closesAt)}}));
        else
            vm.lines.push_back(w.text(base + ".text_no_hours"));
        Target done = target(ActionKind::Done, w.text("kiosk.action.done"));
        done.primary = true;
        vm.actions.push_back(std::move(done));
        break;
    }
    case Problem::BookingUnavailable: {
        vm.lines.push_back(w.text(base + ".text"));
        Target done = target(ActionKind::Done, w.text("kiosk.action.done"));
        done.primary = true;
        vm.actions.push_back(std::move(done));
        if (!flow.serviceTiles().empty())
            vm.actions.push_back(target(ActionKind::OtherService, w.text("kiosk.action.walk_in_now")));
        break;
    }
    case Problem::CodeNotCheckable: {
        // Nothing alarming: the visitor chooses what they came for and gets a number.
        vm.icon = Pictogram::Document;
        vm.lines.push_back(w.text(base + ".text"));
        Target choose = target(ActionKind::OtherService, w.text("kiosk.action.choose_service"));
        choose.primary = true;
        vm.actions.push_back(std::move(choose));
        vm.actions.push_back(startOver(w));
        break;
    }
    case Problem::NoServices:
    case Problem::Unexpected: {
        vm.lines.push_back(w.text(base + ".text"));
        Target done = target(ActionKind::Done, w.text("kiosk.action.done"));
        done.primary = true;
        vm.actions.push_back(std::move(done));
        break;
    }
    }
    return vm;
}

MessageVm offlineView(const FlowState& s, const Words& w) {
    MessageVm vm;
    vm.icon = Pictogram::NoConnection;
    vm.title = w.text("kiosk.offline.title");
    vm.lines.push_back(w.text("kiosk.offline.text"));
    if (s.certificateRefused) vm.lines.push_back(w.text("kiosk.offline.untrusted"));
    if (s.pendingRequest) {
        vm.lines.push_back(w.text("kiosk.offline.still_trying"));
        vm.busy = true;
        vm.actions.push_back(startOver(w));
    }
    return vm;
}

MessageVm workingView(const Words& w) {
    MessageVm vm;
    vm.title = w.text("kiosk.working.title");
    vm.busy = true;
    vm.icon = Pictogram::Clock;
    return vm;
}

std::string screenIdOf(const FlowState& s) {
    if (s.screen == Screen::Problem) return std::string("problem.") + problemName(s.problem);
    if (s.screen == Screen::Ticket && s.print == PrintState::Failed) return "ticket.on_screen";
    return screenName(s.screen);
}

std::vector<Target> bar(const FlowState& s, const Words& w) {
    std::vector<Target> out;
    const std::string state = w.raw(s.speechOn ? "kiosk.bar.on" : "kiosk.bar.off");
    Target speech = target(ActionKind::ToggleSpeech, w.text("kiosk.bar.read_aloud"));
    speech.label.spoken += ", " + state;
    speech.icon = Pictogram::Speaker;
    speech.selected = s.speechOn;
    out.push_back(std::move(speech));
    if (s.speechOn) {
        Target repeat = target(ActionKind::Repeat, w.text("kiosk.bar.repeat"));
        repeat.icon = Pictogram::Speaker;
        out.push_back(std::move(repeat));
    }
    Target large = target(ActionKind::ToggleLargeText, w.text("kiosk.bar.larger_text"));
    large.label.spoken += ", " + w.raw(s.largeText ? "kiosk.bar.on" : "kiosk.bar.off");
    large.icon = Pictogram::TextSize;
    large.selected = s.largeText;
    out.push_back(std::move(large));
    return out;
}

} // namespace

std::string spokenTicketNumber(std::string_view number) {
    const core::SpokenNumber spoken = core::spokenNumber(number);
    return spoken.digits.empty() ? spoken.letter : spoken.letter + " " + spoken.digits;
}

const std::vector<std::string>& keyboardRows() {
    static const std::vector<std::string> kRows{"23456789", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"};
    return kRows;
}

Pictogram pictogramForService(std::string_view id) {
    if (id == "paspoort") return Pictogram::Passport;
    if (id == "ophalen") return Pictogram::Pickup;
    if (id == "rijbewijs") return Pictogram::Car;
    if (id == "verhuizing") return Pictogram::House;
    if (id == "uittreksel") return Pictogram::Document;
    if (id == "geboorte") return Pictogram::Baby;
    if (id == "huwelijk") return Pictogram::Rings;
    if (id == "overig") return Pictogram::Question;
    return Pictogram::Document;
}

KioskVm buildView(const Flow& flow, const i18n::Catalog& catalog) {
    const FlowState& s = flow.state();
    const Words w(catalog);
    KioskVm vm;
    vm.screenId = screenIdOf(s);
    vm.language = s.language;
    vm.largeText = s.largeText;
    vm.speechOn = s.speechOn;
    vm.revision = s.revision;
    switch (s.screen) {
    case Screen::Welcome: vm.screen = welcome(s, flow.config(), w); break;
    case Screen::CodeEntry: vm.screen = codeEntry(s, w); break;
    case Screen::Services: vm.screen = services(flow, w); break;
    case Screen::ServiceConfirm: vm.screen = serviceConfirm(flow, w); break;
    case Screen::Needs: vm.screen = needsView(s, w); break;
    case Screen::Working: vm.screen = workingView(w); break;
    case Screen::Ticket:
        if (s.ticket) vm.screen = ticketView(flow, w);
        else vm.screen = workingView(w);
        break;
    case Screen::Problem: vm.screen = problemView(flow, w); break;
    case Screen::Offline: vm.screen = offlineView(s, w); break;
    }
    if (const std::string& banner = core::textIn(s.banner, s.language); !banner.empty()) vm.banner = Text{banner, banner};
    vm.bar = bar(s, w);
    if (s.warning) {
        TimeoutWarningVm warning;
        warning.message = w.text("kiosk.timeout.message");
        warning.countdown = w.text("kiosk.timeout.countdown", {{"n", std::to_string(s.warningSecondsLeft)}});
        warning.moreTime = target(ActionKind::MoreTime, w.text("kiosk.timeout.more_time"));
        warning.moreTime.primary = true;
        vm.warning = std::move(warning);
    }
    auto targets = targetsOf(vm);
    if (s.focus >= 0 && s.focus < static_cast<int>(targets.size())) targets[static_cast<std::size_t>(s.focus)]->focused = true;
    return vm;
}

const std::vector<std::string>& kioskTextKeys() {
    static const std::vector<std::string> kKeys = [] {
        std::vector<std::string> keys{
            "kiosk.welcome.title", "kiosk.welcome.subtitle", "kiosk.welcome.with_appointment",
            "kiosk.welcome.without_appointment", "kiosk.code.title", "kiosk.code.instruction", "kiosk.code.where",
            "kiosk.code.empty", "kiosk.code.typed_count", "kiosk.code.erase", "kiosk.code.continue",
            "kiosk.services.title", "kiosk.services.online", "kiosk.services.appointment_only", "kiosk.confirm.bring",
            "kiosk.confirm.take_number", "kiosk.working.title", "kiosk.ticket.title", "kiosk.ticket.printing",
            "kiosk.ticket.wait", "kiosk.ticket.wait_spoken", "kiosk.ticket.wait_none", "kiosk.ticket.watch_screen",
            "kiosk.ticket.appointment", "kiosk.ticket.print_failed", "kiosk.ticket.qr_hint", "kiosk.offline.title",
            "kiosk.offline.text", "kiosk.offline.still_trying", "kiosk.offline.untrusted", "kiosk.action.try_again", "kiosk.action.start_over",
            "kiosk.action.done", "kiosk.action.other_service", "kiosk.action.walk_in_now", "kiosk.action.choose_service", "kiosk.bar.read_aloud",
            "kiosk.bar.repeat", "kiosk.bar.larger_text", "kiosk.bar.back", "kiosk.bar.on", "kiosk.bar.off",
            "kiosk.timeout.message", "kiosk.timeout.countdown", "kiosk.timeout.more_time",
            "kiosk.problem.too_early.text_no_time", "kiosk.problem.already_checked_in.text_no_number",
            "kiosk.problem.not_today.text_no_date", "kiosk.problem.hall_closed.text_no_hours",
            "kiosk.needs.title", "kiosk.needs.line", "kiosk.needs.next", "kiosk.needs.skip"};
        for (const std::string& need : core::needNames()) keys.push_back("kiosk.needs." + need);
        for (Problem p : {Problem::InvalidCode, Problem::UnknownCode, Problem::TooEarly, Problem::AlreadyCheckedIn,
                          Problem::NotToday, Problem::WalkInNotOffered, Problem::HallClosed, Problem::NoServices,
                          Problem::BookingUnavailable, Problem::CodeNotCheckable, Problem::Unexpected}) {
            keys.push_back(std::string("kiosk.problem.") + problemName(p) + ".title");
            keys.push_back(std::string("kiosk.problem.") + problemName(p) + ".text");
        }
        for (int m = 1; m <= 12; ++m) keys.push_back("kiosk.month." + std::to_string(m));
        for (const char* code : {"nl", "en", "tr", "pl"}) keys.push_back(std::string("kiosk.language.") + code);
        return keys;
    }();
    return kKeys;
}

} // namespace loket::kiosk
