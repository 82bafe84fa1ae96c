#include "flow.hpp"

#include "ticket_mapping.hpp"
#include "shared/proto/client_parse.hpp"

#include <algorithm>

namespace loket::kiosk {

const char* screenName(Screen screen) {
    switch (screen) {
    case Screen::Welcome: return "welcome";
    case Screen::CodeEntry: return "code_entry";
    case Screen::Services: return "services";
    case Screen::ServiceConfirm: return "service_confirm";
    case Screen::Needs: return "needs";
    case Screen::Working: return "working";
    case Screen::Ticket: return "ticket";
    case Screen::Problem: return "problem";
    case Screen::Offline: return "offline";
    }
    return "welcome";
}

const char* problemName(Problem problem) {
    switch (problem) {
    case Problem::InvalidCode: return "invalid_code";
    case Problem::UnknownCode: return "unknown_code";
    case Problem::TooEarly: return "too_early";
    case Problem::AlreadyCheckedIn: return "already_checked_in";
    case Problem::NotToday: return "not_today";
    case Problem::WalkInNotOffered: return "walk_in_not_offered";
    case Problem::HallClosed: return "hall_closed";
    case Problem::NoServices: return "no_services";
    case Problem::BookingUnavailable: return "booking_unavailable";
    case Problem::CodeNotCheckable: return "code_not_checkable";
    case Problem::Unexpected: return "unexpected";
    }
    return "unexpected";
}

Problem problemFor(ErrorCode code, bool codeTyped) {
    switch (code) {
    case ErrorCode::UnknownAppointment: return Problem::UnknownCode;
    case ErrorCode::TooEarly: return Problem::TooEarly;
    case ErrorCode::AlreadyCheckedIn: return Problem::AlreadyCheckedIn;
    case ErrorCode::AppointmentNotToday: return Problem::NotToday;
    case ErrorCode::WalkInNotOffered: return Problem::WalkInNotOffered;
    case ErrorCode::HallClosed: return Problem::HallClosed;
    case ErrorCode::BookingUnavailable: return Problem::BookingUnavailable;
    case ErrorCode::InvalidValue: return codeTyped ? Problem::InvalidCode : Problem::Unexpected;
    default: return Problem::Unexpected;
    }
}

namespace {
constexpr std::pair<ActionKind, const char*> kActionNames[] = {
    {ActionKind::ChooseAppointment, "choose_appointment"}, {ActionKind::ChooseWalkIn, "choose_walk_in"},
    {ActionKind::SetLanguage, "set_language"},           {ActionKind::ToggleSpeech, "toggle_speech"},
    {ActionKind::Repeat, "repeat"},                      {ActionKind::ToggleLargeText, "toggle_large_text"},
    {ActionKind::Back, "back"},                          {ActionKind::StartOver, "start_over"},
    {ActionKind::TypeChar, "type_char"},                 {ActionKind::Erase, "erase"},
    {ActionKind::SubmitCode, "submit_code"},             {ActionKind::ChooseService, "choose_service"},
    {ActionKind::ConfirmService, "confirm_service"},     {ActionKind::MoreTime, "more_time"},
    {ActionKind::ToggleNeed, "toggle_need"},             {ActionKind::ConfirmNeeds, "confirm_needs"},
    {ActionKind::SkipNeeds, "skip_needs"},
    {ActionKind::TryAgain, "try_again"},                 {ActionKind::OtherService, "other_service"},
    {ActionKind::Done, "done"},
};
} // namespace

const char* actionName(ActionKind kind) {
    for (const auto& [k, name] : kActionNames)
        if (k == kind) return name;
    return "done";
}

std::optional<ActionKind> actionFromName(std::string_view name) {
    for (const auto& [k, n] : kActionNames)
        if (name == n) return k;
    return std::nullopt;
}

Flow::Flow(const KioskConfig& config, BookingCodeRecognizer recognizer, TimePoint now)
    : m_config(config), m_recognizer(std::move(recognizer)) {
    m_s.language = config.defaultLanguage;
    m_s.lastActivity = now;
}

const proto::ClientService* Flow::service(const std::string& id) const {
    for (const auto& s : m_s.services)
        if (s.id == id) return &s;
    return nullptr;
}

std::vector<const proto::ClientService*> Flow::serviceTiles() const {
    std::vector<const proto::ClientService*> tiles;
    for (const auto& s : m_s.services)
        if (s.walkIn) tiles.push_back(&s);
    // Appointment-only services stay visible (marked) so a visitor who looks for one learns
    // how to get it instead of not finding it at all.
    for (const auto& s : m_s.services)
        if (!s.walkIn && s.appointment) tiles.push_back(&s);
    return tiles;
}

Effects Flow::handle(const Input& input, TimePoint now) {
    Effects fx;
    std::visit(
        [&](const auto& in) {
            using T = std::decay_t<decltype(in)>;
            if constexpr (std::is_same_v<T, ActionInput>) {
                touched(now);
                onAction(in.action, now, fx);
            } else if constexpr (std::is_same_v<T, TextInput>) {
                touched(now);
                onText(in.text, now, fx);
            } else if constexpr (std::is_same_v<T, EnterKey>) {
                touched(now);
                if (m_s.screen == Screen::CodeEntry) submitCode(fx);
            } else if constexpr (std::is_same_v<T, FocusInput>) {
                touched(now);
                if (m_s.focus != in.index) {
                    m_s.focus = in.index;
                    changed();
                    if (m_s.speechOn) fx.push_back(Announce{Cue::Focus});
                }
            } else if constexpr (std::is_same_v<T, Tick>) {
                onTick(now, fx);
            } else if constexpr (std::is_same_v<T, ServicesLoaded>) {
                // A change on the admin page (a name, what to bring, walk-in on or off) shows at once.
                if (m_s.services != in.services) changed();
                m_s.services = in.services;
                m_s.servicesLoaded = true;
                m_s.reachable = true;
                m_s.certificateRefused = false;
                if (m_s.screen == Screen::Offline && !m_s.pendingRequest) enter(Screen::Welcome, fx);
            } else if constexpr (std::is_same_v<T, Reachability>) {
                m_s.reachable = in.reachable;
                m_s.certificateRefused = !in.reachable && in.certificateRefused;
                // Only a visitor who has not started is moved; one mid-way finds out at check-in.
                if (!in.reachable && m_s.screen == Screen::Welcome) enter(Screen::Offline, fx);
                if (in.reachable && m_s.screen == Screen::Offline && !m_s.pendingRequest) enter(Screen::Welcome, fx);
            } else if constexpr (std::is_same_v<T, CheckInSucceeded>) {
                if (m_s.pendingRequest == in.requestId) succeeded(in, now, fx);
            } else if constexpr (std::is_same_v<T, CheckInRejected>) {
                if (m_s.pendingRequest == in.requestId) rejected(in, fx);
            } else if constexpr (std::is_same_v<T, CodeNotCheckable>) {
                if (m_s.pendingRequest == in.requestId) {
                    m_s.pendingRequest.reset();
                    m_s.codeInput.clear(); // the code is of no use now: never kept, never shown again
                    if (serviceTiles().empty()) showProblem(Problem::NoServices, {}, fx);
                    else showProblem(Problem::CodeNotCheckable, {}, fx);
                }
            } else if constexpr (std::is_same_v<T, CheckInUnreachable>) {
                if (m_s.pendingRequest == in.requestId && m_s.screen == Screen::Working) {
                    m_s.reachable = false;
                    enter(Screen::Offline, fx);
                }
            } else if constexpr (std::is_same_v<T, PrintFinished>) {
                if (!m_s.ticket || m_s.print != PrintState::Printing || in.requestId != m_printRequest) return;
                m_s.printerFault = in.fault;
                m_s.print = ticket::blocksPrinting(in.fault) ? PrintState::Failed : PrintState::Printed;
                if (m_s.print == PrintState::Failed) {
                    // The visitor now needs time to photograph the number: the idle clock restarts.
                    m_s.lastActivity = now;
                    if (m_s.speechOn) fx.push_back(Announce{Cue::Screen});
                }
                changed();
            } else if constexpr (std::is_same_v<T, BannerChanged>) {
                if (m_s.banner != in.banner) {
                    m_s.banner = in.banner;
                    changed();
                }
            } else if constexpr (std::is_same_v<T, HeadsetPlugged>) {
                if (!m_s.speechOn) {
                    m_s.speechOn = true;
                    fx.push_back(Announce{Cue::Screen});
                    changed();
                }
            }
        },
        input);
    return fx;
}

void Flow::touched(TimePoint now) {
    m_s.lastActivity = now;
    if (m_s.warning) {
        m_s.warning = false;
        changed();
    }
}

void Flow::onAction(const Action& a, TimePoint now, Effects& fx) {
    (void)now;
    switch (a.kind) {
    case ActionKind::SetLanguage:
        if (std::find(m_config.languages.begin(), m_config.languages.end(), a.arg) == m_config.languages.end()) return;
        m_s.language = a.arg;
        changed();
        if (m_s.speechOn) fx.push_back(Announce{Cue::Screen});
        return;
    case ActionKind::ToggleSpeech:
        m_s.speechOn = !m_s.speechOn;
        changed();
        fx.push_back(m_s.speechOn ? Effect{Announce{Cue::Screen}} : Effect{StopSpeech{}});
        return;
    case ActionKind::Repeat:
        fx.push_back(Announce{Cue::Screen});
        return;
    case ActionKind::ToggleLargeText:
        m_s.largeText = !m_s.largeText;
        changed();
        return;
    case ActionKind::MoreTime:
        return; // touched() already restarted the idle clock and hid the warning
    case ActionKind::StartOver:
        reset(fx);
        return;
    default:
        break;
    }

    switch (m_s.screen) {
    case Screen::Welcome:
        if (a.kind == ActionKind::ChooseAppointment) {
            m_s.codeInput.clear();
            enter(Screen::CodeEntry, fx);
        } else if (a.kind == ActionKind::ChooseWalkIn) {
            if (serviceTiles().empty()) showProblem(Problem::NoServices, {}, fx);
            else enter(Screen::Services, fx);
        }
        return;
    case Screen::CodeEntry:
        if (a.kind == ActionKind::TypeChar) onText(a.arg, now, fx);
        else if (a.kind == ActionKind::Erase && !m_s.codeInput.empty()) {
            m_s.codeInput.pop_back();
            changed();
        } else if (a.kind == ActionKind::SubmitCode) submitCode(fx);
        else if (a.kind == ActionKind::Back) {
            m_s.codeInput.clear();
            enter(Screen::Welcome, fx);
        }
        return;
    case Screen::Services:
        if (a.kind == ActionKind::ChooseService && service(a.arg)) {
            m_s.chosenService = a.arg;
            enter(Screen::ServiceConfirm, fx);
        } else if (a.kind == ActionKind::Back) {
            enter(Screen::Welcome, fx);
        }
        return;
    case Screen::ServiceConfirm:
        if (a.kind == ActionKind::ConfirmService && m_config.askNeeds) {
            m_s.needs.clear();
            enter(Screen::Needs, fx);
        } else if (a.kind == ActionKind::ConfirmService) {
            sendCheckIn(proto::walkInRequestBody(m_s.chosenService, m_s.language), fx);
        } else if (a.kind == ActionKind::Back) {
            enter(Screen::Services, fx);
        }
        return;
    case Screen::Needs:
        if (a.kind == ActionKind::ToggleNeed) {
            core::VisitNeeds probe;
            if (!core::setNeed(probe, a.arg)) return; // no such need
            auto it = std::find(m_s.needs.begin(), m_s.needs.end(), a.arg);
            if (it != m_s.needs.end()) m_s.needs.erase(it);
            else m_s.needs.push_back(a.arg);
            changed();
        } else if (a.kind == ActionKind::ConfirmNeeds || a.kind == ActionKind::SkipNeeds) {
            core::VisitNeeds needs;
            if (a.kind == ActionKind::ConfirmNeeds)
                for (const auto& name : m_s.needs) core::setNeed(needs, name);
            m_s.needs.clear(); // sent once, not kept
            sendCheckIn(proto::walkInRequestBody(m_s.chosenService, m_s.language, needs), fx);
        } else if (a.kind == ActionKind::Back) {
            m_s.needs.clear();
            enter(Screen::ServiceConfirm, fx);
        }
        return;
    case Screen::Problem:
        if (a.kind == ActionKind::TryAgain) {
            m_s.codeInput.clear();
            enter(Screen::CodeEntry, fx);
        } else if (a.kind == ActionKind::OtherService && !serviceTiles().empty()) {
            enter(Screen::Services, fx);
        } else if (a.kind == ActionKind::Done || a.kind == ActionKind::Back) {
            reset(fx);
        }
        return;
    case Screen::Ticket:
        if (a.kind == ActionKind::Done) reset(fx);
        return;
    case Screen::Offline:
        if (a.kind == ActionKind::Done || a.kind == ActionKind::Back) reset(fx);
        return;
    case Screen::Working:
        return; // nothing to do but wait; the worker answers within its time-outs
    }
}

void Flow::onText(const std::string& text, TimePoint now, Effects& fx) {
    (void)now;
    if (m_s.screen == Screen::Welcome) {
        // A scanner (or a keyboard) typing on the welcome screen is someone with a code.
        m_s.codeInput.clear();
        enter(Screen::CodeEntry, fx);
    }
    if (m_s.screen != Screen::CodeEntry) return;
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || m_s.codeInput.size() >= kMaxCodeInput) continue;
        m_s.codeInput += c;
    }
    // Typing takes the focus off the keypad targets, so the scanner's final Enter submits.
    m_s.focus = -1;
    changed();
}

void Flow::submitCode(Effects& fx) {
    auto code = m_recognizer.recognise(m_s.codeInput);
    if (!code) {
        showProblem(Problem::InvalidCode, {}, fx);
        return;
    }
    sendCheckIn(proto::appointmentRequestBody(*code, m_s.language), fx);
}

void Flow::sendCheckIn(std::string body, Effects& fx) {
    if (m_s.pendingRequest) fx.push_back(CancelCheckIn{*m_s.pendingRequest});
    const std::uint64_t id = m_nextRequest++;
    m_s.pendingRequest = id;
    fx.push_back(SendCheckIn{id, std::move(body)});
    enter(Screen::Working, fx);
}

void Flow::succeeded(const CheckInSucceeded& r, TimePoint now, Effects& fx) {
    m_s.pendingRequest.reset();
    m_s.reachable = true;
    m_s.ticket = r.ticket;
    m_s.ticketShownAt = now;
    m_s.codeInput.clear();
    const proto::ClientService* svc = service(r.ticket.ticket.service);
    auto content = toTicketContent(r.ticket, svc, m_s.language, m_config.hallName);
    if (content) {
        m_s.print = PrintState::Printing;
        m_printRequest = r.requestId;
        fx.push_back(PrintTicket{r.requestId, std::move(*content)});
    } else {
        // A reply we cannot print from still gives a number: show it, as for a printer fault.
        m_s.print = PrintState::Failed;
    }
    enter(Screen::Ticket, fx);
}

void Flow::rejected(const CheckInRejected& r, Effects& fx) {
    m_s.pendingRequest.reset();
    m_s.reachable = true;
    showProblem(problemFor(r.error.code, !m_s.codeInput.empty()), r.error.details, fx);
}

void Flow::showProblem(Problem problem, ErrorDetails details, Effects& fx) {
    m_s.problem = problem;
    m_s.problemDetails = std::move(details);
    enter(Screen::Problem, fx);
}

void Flow::enter(Screen screen, Effects& fx) {
    m_s.screen = screen;
    m_s.focus = -1;
    changed();
    if (m_s.speechOn) fx.push_back(Announce{Cue::Screen});
}

void Flow::reset(Effects& fx) {
    if (m_s.pendingRequest) fx.push_back(CancelCheckIn{*m_s.pendingRequest});
    const bool wasSpeaking = m_s.speechOn;
    m_s.pendingRequest.reset();
    m_s.language = m_config.defaultLanguage;
    m_s.largeText = false;
    m_s.speechOn = false;
    m_s.codeInput.clear();
    m_s.chosenService.clear();
    m_s.needs.clear();
    m_s.problemDetails = {};
    m_s.ticket.reset();
    m_s.print = PrintState::None;
    m_s.warning = false;
    if (wasSpeaking) fx.push_back(StopSpeech{});
    enter(m_s.reachable ? Screen::Welcome : Screen::Offline, fx);
}

bool Flow::idleTimed() const {
    switch (m_s.screen) {
    case Screen::Welcome:
        // An untouched welcome screen has nothing to clear; a changed one has (language, text size).
        return m_s.language != m_config.defaultLanguage || m_s.largeText || m_s.speechOn;
    case Screen::Offline: return m_s.pendingRequest.has_value() || m_s.largeText || m_s.speechOn ||
                                 m_s.language != m_config.defaultLanguage;
    case Screen::Working: return false; // bounded by the worker's time-outs
    case Screen::Ticket: return m_s.print == PrintState::Failed;
    default: return true;
    }
}

void Flow::onTick(TimePoint now, Effects& fx) {
    using std::chrono::seconds;
    const auto& t = m_config.timing;
    if (m_s.screen == Screen::Ticket && m_s.print != PrintState::Failed) {
        if (now - m_s.ticketShownAt >= seconds(t.ticketScreenS) && m_s.print != PrintState::Printing) reset(fx);
        // A printer that never answers must not keep the ticket screen forever.
        else if (now - m_s.ticketShownAt >= seconds(t.ticketScreenS * 3)) reset(fx);
        return;
    }
    if (!idleTimed()) return;
    const auto idle = now - m_s.lastActivity;
    if (idle >= seconds(t.idleTimeoutS)) {
        reset(fx);
        return;
    }
    if (idle >= seconds(t.idleTimeoutS - t.idleWarningS)) {
        const auto left = seconds(t.idleTimeoutS) - idle;
        const int secondsLeft = static_cast<int>((left + seconds(1) - std::chrono::nanoseconds(1)) / seconds(1));
        if (!m_s.warning) {
            m_s.warning = true;
            m_s.focus = -1;
            fx.push_back(Announce{Cue::Warning});
            changed();
        }
        if (secondsLeft != m_s.warningSecondsLeft) {
            m_s.warningSecondsLeft = secondsLeft;
            changed();
        }
    }
}

std::optional<TimePoint> Flow::nextDeadline() const {
    using std::chrono::seconds;
    const auto& t = m_config.timing;
    if (m_s.screen == Screen::Ticket && m_s.print != PrintState::Failed) {
        if (m_s.print == PrintState::Printing) return m_s.ticketShownAt + seconds(t.ticketScreenS * 3);
        return m_s.ticketShownAt + seconds(t.ticketScreenS);
    }
    if (!idleTimed()) return std::nullopt;
    const TimePoint warnAt = m_s.lastActivity + seconds(t.idleTimeoutS - t.idleWarningS);
    const TimePoint resetAt = m_s.lastActivity + seconds(t.idleTimeoutS);
    if (!m_s.warning) return warnAt;
    // During the warning the countdown changes every second.
    const TimePoint nextSecond = resetAt - seconds(std::max(0, m_s.warningSecondsLeft - 1));
    return std::min(nextSecond, resetAt);
}

} // namespace loket::kiosk
