// The kiosk's flow: one state machine from the welcome screen through the code entry or the
// service choice to the ticket, with a state and a next step for every error, an offline state
// that keeps trying, the printer-fault state (the ticket on screen), the idle time-out with its
// warning, large text, read-aloud and the language.
//
// Pure and deterministic: inputs (visitor actions, typed text, the clock, results from the
// worker) go in, effects (check in, print, speak, cancel) come out; time is a parameter. The
// program applies the effects on its worker thread and feeds results back as inputs. Used by
// loket-kiosk and the tests. Depends on shared/proto's client types and shared/ticket's content struct.
#pragma once

#include "booking_code.hpp"
#include "kiosk_config.hpp"
#include "shared/proto/client_types.hpp"
#include "shared/ticket/printer_status.hpp"
#include "shared/ticket/ticket_content.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace loket::kiosk {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

enum class Screen {
    Welcome,
    CodeEntry,
    Services,
    ServiceConfirm,
    Needs,    // optional (KioskConfig::askNeeds): what the visitor needs at the counter
    Working,  // waiting for the server's answer
    Ticket,   // printed, printing, or (printer fault) shown on screen
    Problem,  // an error with its next step
    Offline,  // the server cannot be reached; retrying in the background
};

// Every error a visitor can meet, each with its own B1 text and next step.
enum class Problem {
    InvalidCode,      // no pattern recognises what was typed or scanned
    UnknownCode,      // 404 unknown_appointment
    TooEarly,         // 422 too_early ("come back at 10:25": details.check_in_from)
    AlreadyCheckedIn, // 409 already_checked_in ("your number is A012": details.ticket_number)
    NotToday,         // 422 appointment_not_today (details.appointment_date)
    WalkInNotOffered, // 422 walk_in_not_offered
    HallClosed,       // 503 hall_closed (details.opens_at, closes_at)
    NoServices,       // no service to choose (none loaded, none open to walk-ins)
    BookingUnavailable, // 503 booking_unavailable: the booking system cannot check the code now
    CodeNotCheckable, // offline after a kiosk restart: no code can be checked; choose the service (walk-in)
    Unexpected,       // anything else: go to the desk
};

const char* screenName(Screen screen);
// The one mapping from the server's refusal of a check-in to the problem screen shown.
// `codeTyped`: the visitor typed or scanned a code (an `invalid_value` then means that code).
Problem problemFor(ErrorCode code, bool codeTyped);
const char* problemName(Problem problem);

// What a visitor can do; the same whether touched, chosen with the keypad or typed.
enum class ActionKind {
    ChooseAppointment,
    ChooseWalkIn,
    SetLanguage,     // arg: language code
    ToggleSpeech,    // "Voorlezen"
    Repeat,          // read the screen again
    ToggleLargeText, // "Grotere letters"
    Back,
    StartOver,       // back to the welcome screen, everything cleared
    TypeChar,        // arg: one character from the on-screen keyboard
    Erase,
    SubmitCode,
    ChooseService,   // arg: service id
    ConfirmService,
    ToggleNeed,      // arg: a need's wire name (sitting_desk, hearing_loop, …)
    ConfirmNeeds,    // take a number with the needs chosen
    SkipNeeds,       // take a number without
    MoreTime,
    TryAgain,        // type the code again
    OtherService,    // choose another service (walk-in)
    Done,
};

struct Action {
    ActionKind kind = ActionKind::Done;
    std::string arg;
    bool operator==(const Action&) const = default;
};

// snake_case names ("choose_walk_in") for scripts, screenshots and logs, and back.
const char* actionName(ActionKind kind);
std::optional<ActionKind> actionFromName(std::string_view name);

// ---- inputs --------------------------------------------------------------------------------
struct ActionInput { Action action; };
struct TextInput { std::string text; }; // printable text from a keyboard or a USB scanner
struct EnterKey {};                     // Enter with no focused target (a scanner ends with it)
struct FocusInput { int index = -1; };  // the keypad moved the focus to target `index`
struct Tick {};                         // the clock moved on
struct ServicesLoaded { std::vector<proto::ClientService> services; };
// `certificateRefused`: unreachable because the server's certificate did not verify (a device
// alert for IT on the screen; the kiosk never falls back to plain HTTP).
struct Reachability { bool reachable = true; bool certificateRefused = false; };
struct CheckInSucceeded { std::uint64_t requestId = 0; proto::IssuedTicket ticket; };
struct CheckInRejected { std::uint64_t requestId = 0; Error error; }; // the server's typed refusal
struct CheckInUnreachable { std::uint64_t requestId = 0; }; // the worker keeps trying the same request
// `at`: when the printer had the whole ticket (the worker's clock), for touch → printed ticket.
struct PrintFinished { std::uint64_t requestId = 0; ticket::PrinterFault fault = ticket::PrinterFault::None; TimePoint at{}; };
struct HeadsetPlugged {};
// Offline, and the kiosk restarted during the outage (the offline book's key lived in memory
// only): it cannot check the code. The visitor chooses the service and gets a walk-in ticket.
struct CodeNotCheckable { std::uint64_t requestId = 0; };
// The admin page changed the banner (or the kiosk loaded it): shown on every screen from the next frame.
struct BannerChanged { proto::LocalText banner; };

using Input = std::variant<ActionInput, TextInput, EnterKey, FocusInput, Tick, ServicesLoaded, Reachability,
                           CheckInSucceeded, CheckInRejected, CheckInUnreachable, PrintFinished, HeadsetPlugged,
                           CodeNotCheckable, BannerChanged>;

// ---- effects -------------------------------------------------------------------------------
// Check in (JSON body of api.md). The worker makes one Idempotency-Key per request id and keeps
// retrying with it until the server answers or the request is cancelled.
struct SendCheckIn { std::uint64_t requestId = 0; std::string body; };
struct CancelCheckIn { std::uint64_t requestId = 0; };
struct PrintTicket { std::uint64_t requestId = 0; ticket::TicketContent content; };
enum class Cue { Screen, Focus, Warning };
struct Announce { Cue cue = Cue::Screen; }; // speak the screen / the focused target / the warning
struct StopSpeech {};

using Effect = std::variant<SendCheckIn, CancelCheckIn, PrintTicket, Announce, StopSpeech>;
using Effects = std::vector<Effect>;

enum class PrintState { None, Printing, Printed, Failed };

// Everything the screens are drawn from. Read-only outside the Flow.
struct FlowState {
    Screen screen = Screen::Welcome;
    std::string language;
    bool largeText = false;
    bool speechOn = false;
    std::string codeInput;     // never spoken, never logged
    std::string chosenService; // service id on Services → ServiceConfirm
    // The needs chosen on the Needs screen (wire names, in needNames() order). Personal data:
    // sent with the check-in and then forgotten, never spoken aloud as a list of the visitor's.
    std::vector<std::string> needs;
    Problem problem = Problem::Unexpected;
    ErrorDetails problemDetails; // the server's facts for the problem: time, number, date
    std::optional<proto::IssuedTicket> ticket;
    PrintState print = PrintState::None;
    ticket::PrinterFault printerFault = ticket::PrinterFault::None;
    bool reachable = true;
    bool certificateRefused = false; // see Reachability
    std::vector<proto::ClientService> services;
    bool servicesLoaded = false; // a service list arrived (from the server, or the offline journal)
    proto::LocalText banner; // the admin page's line ("Vandaag zijn wij om 12:00 gesloten"); empty: none
    std::optional<std::uint64_t> pendingRequest;
    int focus = -1;             // index into the screen's targets; -1: none
    bool warning = false;       // the idle warning is showing
    int warningSecondsLeft = 0;
    TimePoint lastActivity{};
    TimePoint ticketShownAt{};
    std::uint64_t revision = 0; // changes whenever something visible changes
};

class Flow {
public:
    Flow(const KioskConfig& config, BookingCodeRecognizer recognizer, TimePoint now);

    Effects handle(const Input& input, TimePoint now);

    const FlowState& state() const { return m_s; }
    // When the flow next needs a Tick even if nothing happens (a time-out, the countdown).
    std::optional<TimePoint> nextDeadline() const;
    const proto::ClientService* service(const std::string& id) const;
    // The services shown as tiles: those open to walk-ins first, then those by appointment only.
    std::vector<const proto::ClientService*> serviceTiles() const;
    const KioskConfig& config() const { return m_config; }

private:
    void onAction(const Action& action, TimePoint now, Effects& fx);
    void onText(const std::string& text, TimePoint now, Effects& fx);
    void onTick(TimePoint now, Effects& fx);
    void submitCode(Effects& fx);
    void sendCheckIn(std::string body, Effects& fx);
    void rejected(const CheckInRejected& r, Effects& fx);
    void succeeded(const CheckInSucceeded& r, TimePoint now, Effects& fx);
    void enter(Screen screen, Effects& fx);
    void showProblem(Problem problem, ErrorDetails details, Effects& fx);
    void reset(Effects& fx);
    void touched(TimePoint now);
    bool idleTimed() const;
    void changed() { ++m_s.revision; }

    KioskConfig m_config;
    BookingCodeRecognizer m_recognizer;
    FlowState m_s;
    std::uint64_t m_nextRequest = 1;
    std::uint64_t m_printRequest = 0;
};

} // namespace loket::kiosk
