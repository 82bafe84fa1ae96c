// Ticket, appointment and counter records of the hall model. Plain data; the rules that change
// them live in command_handler.cpp, the fold that applies them in hall_state.cpp.
// Standard library only.
#pragma once

#include "hall_config.hpp"
#include "visit_needs.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loket::core {

using TicketId = std::int64_t;

enum class TicketKind { Appointment, WalkIn };
// waiting → called → serving → done; or no_show, cancelled. A transfer puts it back to waiting.
enum class TicketStatus { Waiting, Called, Serving, Done, NoShow, Cancelled };
enum class Outcome { None, Handled, Backoffice, Partner, Other };

const char* ticketKindName(TicketKind kind);
const char* ticketStatusName(TicketStatus status);
const char* outcomeName(Outcome outcome);
std::optional<Outcome> parseOutcome(const std::string& name);
std::optional<TicketStatus> parseTicketStatus(const std::string& name);

// How a ticket number is said: the letter, then the digits as a number without leading zeros
// ("A012" → letter "A", digits "12"; people say "A twaalf", not "A nul een twee"). A text that is
// not a letter prefix and digits comes back whole in `letter` with no digits.
struct SpokenNumber {
    std::string letter;
    std::string digits;
};
SpokenNumber spokenNumber(std::string_view number);

struct Ticket {
    TicketId id = 0;
    std::string number;                       // "A012": prefix of the first service + 3 digits
    std::vector<ServiceIndex> services;       // every service of the visit; the first names it
    TicketKind kind = TicketKind::WalkIn;
    TicketStatus status = TicketStatus::Waiting;
    // The visitor's place in the queue: check-in time. A transfer keeps it, so the question
    // travels and the visitor does not go to the back of the line.
    Seconds issuedAt = 0;
    std::optional<std::string> appointmentCode;
    Seconds appointmentAt = 0;                // valid when kind == Appointment
    std::optional<CounterIndex> counter;      // where it is called or served
    std::optional<CounterIndex> onlyCounter;  // transferred to one counter: only that one may call it
    std::optional<Seconds> firstCalledAt;     // statistics and the norm use the first call
    std::optional<Seconds> lastCalledAt;
    std::optional<Seconds> startedAt;
    std::optional<Seconds> endedAt;
    int calls = 0;
    Seconds notBefore = 0;                    // after an unanswered call: not callable before this
    std::string language = "nl";
    std::string publicCode;                   // the visitor page's secret; never on a display
    Outcome outcome = Outcome::None;
    std::string note;                         // staff only
    std::optional<int> feedbackScore;
    std::string feedbackComment;              // the visitor's remark; gone with the day
    VisitNeeds needs;                         // staff only (visit_needs.hpp); gone with the day

    ServiceMask serviceMask() const;
    bool live() const { return status == TicketStatus::Waiting || status == TicketStatus::Called || status == TicketStatus::Serving; }
};

// When a waiting ticket breaches its norm (appointment) or target (walk-in).
Seconds ticketDueAt(const Ticket& ticket, const HallConfig& config);

enum class AppointmentStatus { Booked, CheckedIn, Done, NoShow, Cancelled };
const char* appointmentStatusName(AppointmentStatus status);

struct Appointment {
    std::string code;                         // 6–10 of A–Z and 2–9, upper case
    std::vector<ServiceIndex> services;
    Seconds startsAt = 0;
    LocalDay day = 0;                         // the hall's local date of startsAt
    Seconds durationS = 0;
    int persons = 1;
    std::string name;                         // optional; only ever shown to staff
    AppointmentStatus status = AppointmentStatus::Booked;
    std::optional<TicketId> ticket;
};

enum class CounterState { Closed, Open, Paused };
const char* counterStateName(CounterState state);

struct CounterStatus {
    CounterState state = CounterState::Closed;
    ServiceMask services = 0;                 // what it serves now (a subset of its skills)
    std::optional<TicketId> ticket;           // called or serving here
};

} // namespace loket::core
