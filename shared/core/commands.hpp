// Commands: every change to the hall, from any source (kiosk check-in, counter actions, admin
// import, visitor feedback, day rollover), as plain data with wire-level ids. The command handler
// validates them against the state and answers with events or a typed error.
// Standard library only.
#pragma once

#include "configuration_changes.hpp"
#include "offline_types.hpp"
#include "ticket.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace loket::core {

// A walk-in for `service`; `moreServices` when the visit needs several (the simulator's traces; a
// counter then needs every one of them, and the visit takes their summed duration).
struct IssueWalkIn {
    std::string service;
    std::string language = "nl";
    std::string publicCode;
    std::vector<std::string> moreServices = {};
    VisitNeeds needs = {};  // marked by the host at the door (visit_needs.hpp)
};
struct CheckInAppointment {
    std::string code;
    std::string language = "nl";
    std::string publicCode;
    VisitNeeds needs = {};
};
struct OpenCounter { std::string counter; std::optional<std::vector<std::string>> services; };
struct PauseCounter { std::string counter; };
struct CloseCounter { std::string counter; };
struct CallNext { std::string counter; };
struct CallTicket { std::string counter; TicketId ticket = 0; };
struct RecallTicket { TicketId ticket = 0; };
struct StartTicket { TicketId ticket = 0; };
struct MarkNoShow { TicketId ticket = 0; bool requeue = false; };
struct CancelTicket { TicketId ticket = 0; };
struct CompleteTicket { TicketId ticket = 0; Outcome outcome = Outcome::Handled; std::string note; };
struct TransferTicket { TicketId ticket = 0; std::optional<std::string> service; std::optional<std::string> counter; };
// Where a booking code comes from decides its format (command_handler.hpp: the code rule per
// source): Loket's own codes, or a booking system's own appointment id kept as the code.
enum class CodeSource { Loket, Jcc, Qmatic, Calendar };

struct BookAppointment {
    std::string code;
    std::vector<std::string> services;
    Seconds startsAt = 0;
    LocalDay day = 0;
    Seconds durationS = 0;   // 0: the sum of the services' expected durations
    int persons = 1;
    std::string name;
    CodeSource codeSource = CodeSource::Loket;
};
struct RemoveAppointment { std::string code; };
// The host marks (or changes) what a visitor needs at the counter; an empty set clears them.
struct SetNeeds { TicketId ticket = 0; VisitNeeds needs; };
// The host answered a question at the door: a contact for `service` handled without a number.
struct AnswerAtDoor { std::string service; };
struct GiveFeedback { std::string publicCode; int score = 0; std::string comment; };
struct StartDay { LocalDay day = 0; };
// A change on the admin page (configuration.hpp): `by` is who made it; `confirmed` accepts a
// change that would disturb today's visitors after the handler explained what it would do.
struct Configure { ConfigChange change; std::string by; bool confirmed = false; };

using Command = std::variant<IssueWalkIn, CheckInAppointment, OpenCounter, PauseCounter, CloseCounter,
                             CallNext, CallTicket, RecallTicket, StartTicket, MarkNoShow, CancelTicket,
                             CompleteTicket, TransferTicket, BookAppointment, RemoveAppointment,
                             GiveFeedback, StartDay, Configure, LeaseNumbers, RenewLeases, ReturnLease,
                             EndKioskLeases, AcceptOfflineTicket, SetNeeds, AnswerAtDoor>;

const char* commandName(const Command& command);

} // namespace loket::core
