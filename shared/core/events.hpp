// Events: the facts the command handler decides. The hall state is the fold of the event log
// (hall_state.hpp); the server stores the log, streams it and rebuilds from it after a crash;
// the simulator records it for its determinism fingerprint. Standard library only.
#pragma once

#include "configuration_changes.hpp"
#include "offline_types.hpp"
#include "ticket.hpp"

#include <string>
#include <variant>
#include <vector>

namespace loket::core {

struct TicketIssued { Ticket ticket; };
struct TicketCalled { TicketId ticket; CounterIndex counter; Seconds at; };
struct TicketRecalled { TicketId ticket; Seconds at; };
struct TicketStarted { TicketId ticket; Seconds at; };
struct TicketCompleted { TicketId ticket; Seconds at; Outcome outcome; std::string note; };
// requeue: the visitor did not come to the call but may still be in the hall; they go back to
// the queue (same place) and cannot be called again before `notBefore`.
struct TicketNoShow { TicketId ticket; Seconds at; bool requeue = false; Seconds notBefore = 0; };
struct TicketTransferred {
    TicketId ticket;
    Seconds at;
    std::vector<ServiceIndex> services;
    std::optional<CounterIndex> onlyCounter;
};
struct TicketCancelled { TicketId ticket; Seconds at; };
struct CounterUpdated { CounterIndex counter; CounterState state; ServiceMask services; Seconds at; };
struct AppointmentBooked { Appointment appointment; };
struct AppointmentRemoved { std::string code; };
// The host marked what the visitor needs (replaces what was marked before).
struct NeedsSet { TicketId ticket; VisitNeeds needs; Seconds at; };
// A question answered at the door, without a number (counted in the day statistics).
struct AnsweredAtDoor { ServiceIndex service; Seconds at; };
struct FeedbackGiven { TicketId ticket; int score; std::string comment; };
// A new hall day: yesterday's tickets and personal data are gone; appointments of this and later
// days are carried over, ticket ids continue.
struct DayStarted { LocalDay day; TicketId nextTicketId; std::vector<Appointment> carried; };

// The hall's configuration changed (configuration.hpp): who changed what, when.
struct ConfigurationChanged { ConfigChange change; std::string by; Seconds at = 0; };

using Event = std::variant<TicketIssued, TicketCalled, TicketRecalled, TicketStarted, TicketCompleted,
                           TicketNoShow, TicketTransferred, TicketCancelled, CounterUpdated,
                           AppointmentBooked, AppointmentRemoved, FeedbackGiven, DayStarted, ConfigurationChanged,
                           NumbersLeased, LeasesRenewed, LeaseEnded, OfflineTicketPlaced, NeedsSet, AnsweredAtDoor>;

// "ticket.called": the API's event type names (api.md); internal ones are "appointment.booked" etc.
const char* eventTypeName(const Event& event);
// The ticket an event is about, if any.
std::optional<TicketId> eventTicket(const Event& event);

} // namespace loket::core
