#include "events.hpp"

#include "shared/core/overloaded.hpp"

namespace loket::core {

const char* eventTypeName(const Event& event) {
    return std::visit(Overloaded{
        [](const TicketIssued&) { return "ticket.issued"; },
        [](const TicketCalled&) { return "ticket.called"; },
        [](const TicketRecalled&) { return "ticket.recalled"; },
        [](const TicketStarted&) { return "ticket.started"; },
        [](const TicketCompleted&) { return "ticket.completed"; },
        [](const TicketNoShow&) { return "ticket.no_show"; },
        [](const TicketTransferred&) { return "ticket.transferred"; },
        [](const TicketCancelled&) { return "ticket.cancelled"; },
        [](const CounterUpdated&) { return "counter.updated"; },
        [](const AppointmentBooked&) { return "appointment.booked"; },
        [](const AppointmentRemoved&) { return "appointment.removed"; },
        [](const FeedbackGiven&) { return "feedback.given"; },
        [](const DayStarted&) { return "day.started"; },
        [](const NumbersLeased&) { return "offline.lease_granted"; },
        [](const LeasesRenewed&) { return "offline.leases_renewed"; },
        [](const LeaseEnded&) { return "offline.lease_ended"; },
        [](const OfflineTicketPlaced&) { return "offline.ticket_placed"; },
        [](const ConfigurationChanged&) { return "configuration.changed"; },
        [](const NeedsSet&) { return "ticket.needs_set"; },
        [](const AnsweredAtDoor&) { return "door.answered"; },
    }, event);
}

std::optional<TicketId> eventTicket(const Event& event) {
    return std::visit(Overloaded{
        [](const TicketIssued& e) -> std::optional<TicketId> { return e.ticket.id; },
        [](const CounterUpdated&) -> std::optional<TicketId> { return std::nullopt; },
        [](const AppointmentBooked&) -> std::optional<TicketId> { return std::nullopt; },
        [](const AppointmentRemoved&) -> std::optional<TicketId> { return std::nullopt; },
        [](const DayStarted&) -> std::optional<TicketId> { return std::nullopt; },
        [](const NumbersLeased&) -> std::optional<TicketId> { return std::nullopt; },
        [](const LeasesRenewed&) -> std::optional<TicketId> { return std::nullopt; },
        [](const LeaseEnded&) -> std::optional<TicketId> { return std::nullopt; },
        [](const ConfigurationChanged&) -> std::optional<TicketId> { return std::nullopt; },
        [](const AnsweredAtDoor&) -> std::optional<TicketId> { return std::nullopt; },
        [](const auto& e) -> std::optional<TicketId> { return e.ticket; },
    }, event);
}

} // namespace loket::core
