#include "ticket.hpp"

#include "visit_rules.hpp"

#include <algorithm>
#include <cctype>

namespace loket::core {

SpokenNumber spokenNumber(std::string_view number) {
    std::size_t letters = 0;
    while (letters < number.size() && std::isalpha(static_cast<unsigned char>(number[letters]))) ++letters;
    const std::string_view digits = number.substr(letters);
    const bool allDigits = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char ch) {
        return std::isdigit(static_cast<unsigned char>(ch)) != 0;
    });
    if (letters == 0 || !allDigits) return SpokenNumber{std::string(number), ""};
    std::size_t first = 0;
    while (first + 1 < digits.size() && digits[first] == '0') ++first;
    return SpokenNumber{std::string(number.substr(0, letters)), std::string(digits.substr(first))};
}

const char* ticketKindName(TicketKind kind) { return kind == TicketKind::Appointment ? "appointment" : "walk_in"; }

const char* ticketStatusName(TicketStatus status) {
    switch (status) {
    case TicketStatus::Waiting: return "waiting";
    case TicketStatus::Called: return "called";
    case TicketStatus::Serving: return "serving";
    case TicketStatus::Done: return "done";
    case TicketStatus::NoShow: return "no_show";
    case TicketStatus::Cancelled: return "cancelled";
    }
    return "waiting";
}

std::optional<TicketStatus> parseTicketStatus(const std::string& name) {
    for (auto s : {TicketStatus::Waiting, TicketStatus::Called, TicketStatus::Serving, TicketStatus::Done,
                   TicketStatus::NoShow, TicketStatus::Cancelled})
        if (name == ticketStatusName(s)) return s;
    return std::nullopt;
}

const char* outcomeName(Outcome outcome) {
    switch (outcome) {
    case Outcome::None: return "none";
    case Outcome::Handled: return "handled";
    case Outcome::Backoffice: return "backoffice";
    case Outcome::Partner: return "partner";
    case Outcome::Other: return "other";
    }
    return "none";
}

std::optional<Outcome> parseOutcome(const std::string& name) {
    for (auto o : {Outcome::Handled, Outcome::Backoffice, Outcome::Partner, Outcome::Other})
        if (name == outcomeName(o)) return o;
    return std::nullopt;
}

const char* appointmentStatusName(AppointmentStatus status) {
    switch (status) {
    case AppointmentStatus::Booked: return "booked";
    case AppointmentStatus::CheckedIn: return "checked_in";
    case AppointmentStatus::Done: return "done";
    case AppointmentStatus::NoShow: return "no_show";
    case AppointmentStatus::Cancelled: return "cancelled";
    }
    return "booked";
}

const char* counterStateName(CounterState state) {
    switch (state) {
    case CounterState::Closed: return "closed";
    case CounterState::Open: return "open";
    case CounterState::Paused: return "paused";
    }
    return "closed";
}

ServiceMask Ticket::serviceMask() const {
    ServiceMask mask = 0;
    for (auto s : services) mask |= bit(s);
    return mask;
}

Seconds ticketDueAt(const Ticket& ticket, const HallConfig& config) {
    if (ticket.kind == TicketKind::Appointment)
        return waitStartsAt(ticket) + config.normS;
    Seconds target = 0;
    for (auto s : ticket.services) target = std::max(target, config.services[s].walkInTargetS);
    return ticket.issuedAt + target;
}

} // namespace loket::core
