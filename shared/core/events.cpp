#include "events.hpp"

namespace loket::core {
namespace {
template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>; // clang 16 (the fuzz tree) has no aggregate CTAD
} // namespace

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
        [](const ConfigurationChanged&) { return "configuration.changed"; },
    }, event);
}

std::optional<TicketId> eventTicket(const Event& event) {
    return std::visit(Overloaded{
        [](const TicketIssued& e) -> std::optional<TicketId> { return e.ticket.id; },
        [](const CounterUpdated&) -> std::optional<TicketId> { return std::nullopt; },
        [](const AppointmentBooked&) -> std::optional<TicketId> { return std::nullopt; },
        [](const AppointmentRemoved&) -> std::optional<TicketId> { return std::nullopt; },
        [](const DayStarted&) -> std::optional<TicketId> { return std::nullopt; },
        [](const ConfigurationChanged&) -> std::optional<TicketId> { return std::nullopt; },
        [](const auto& e) -> std::optional<TicketId> { return e.ticket; },
    }, event);
}

} // namespace loket::core
