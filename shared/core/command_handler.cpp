#include "command_handler.hpp"

#include "shared/core/overloaded.hpp"

#include "configuration.hpp"
#include "dispatch_view.hpp"
#include "offline_lease.hpp"
#include "utf8.hpp"

#include <algorithm>

namespace loket::core {
namespace {

using Events = std::vector<Event>;
using Decision = Result<Events>;

class Decider {
public:
    Decider(const HallState& state, Now now) : m_state(state), m_config(state.config()), m_now(now), m_at(now.t) {}

    Decision operator()(const IssueWalkIn& cmd) {
        auto service = m_config.offeredServiceIndex(cmd.service);
        if (!service) return makeError(ErrorCode::UnknownService, "There is no service '" + cmd.service + "'.");
        const ServiceConfig& svc = m_config.services[*service];
        if (!svc.walkIn)
            return makeError(ErrorCode::WalkInNotOffered, "'" + svc.id + "' needs an appointment; it takes no walk-ins.");
        std::vector<ServiceIndex> services{*service};
        for (const auto& id : cmd.moreServices) {
            auto more = m_config.offeredServiceIndex(id);
            if (!more) return makeError(ErrorCode::UnknownService, "There is no service '" + id + "'.");
            if (!m_config.services[*more].walkIn)
                return makeError(ErrorCode::WalkInNotOffered, "'" + id + "' needs an appointment; it takes no walk-ins.");
            services.push_back(*more);
        }
        if (auto closed = checkOpen(m_config.hours)) return *closed;
        if (auto closed = checkOpen(m_config.walkInHours)) return *closed;
        if (auto bad = checkNeeds(cmd.needs)) return *bad;
        return issue(services, TicketKind::WalkIn, nullptr, cmd.language, cmd.publicCode, cmd.needs);
    }

    Decision operator()(const CheckInAppointment& cmd) {
        const std::string code = normaliseBookingCode(cmd.code);
        const Appointment* a = m_state.appointment(code);
        if (!a || a->status == AppointmentStatus::Cancelled)
            return makeError(ErrorCode::UnknownAppointment, "No appointment with code '" + code + "'.");
        if (a->day != m_state.day()) {
            Error error = makeError(ErrorCode::AppointmentNotToday, "This appointment is on " + formatDate(a->day) + ", not today.");
            error.details.appointmentDay = a->day;
            return error;
        }
        if (a->ticket) {
            const Ticket* existing = m_state.ticket(*a->ticket);
            Error error = makeError(ErrorCode::AlreadyCheckedIn,
                               "Already checked in with ticket " + (existing ? existing->number : std::string("?")) + ".");
            if (existing) error.details.ticketNumber = existing->number;
            return error;
        }
        if (auto closed = checkOpen(m_config.hours)) return *closed;
        if (m_at < a->startsAt - m_config.earlyCheckInS) {
            const Now from{a->startsAt - m_config.earlyCheckInS, m_now.utcOffsetS};
            Error error = makeError(ErrorCode::TooEarly, "Too early: check in from " + formatClock(localSecondOfDay(from)) + ".");
            error.details.checkInFrom = from;
            return error;
        }
        if (auto bad = checkNeeds(cmd.needs)) return *bad;
        return issue(a->services, TicketKind::Appointment, a, cmd.language, cmd.publicCode, cmd.needs);
    }

    Decision operator()(const OpenCounter& cmd) {
        auto counter = findCounter(cmd.counter);
        if (!counter) return counter.error();
        ServiceMask services = m_config.counters[*counter].skills;
        if (cmd.services) {
            services = 0;
            for (const auto& id : *cmd.services) {
                auto svc = m_config.offeredServiceIndex(id);
                if (!svc) return makeError(ErrorCode::UnknownService, "There is no service '" + id + "'.");
                if (!(m_config.counters[*counter].skills & bit(*svc)))
                    return makeError(ErrorCode::InvalidValue, "Counter '" + cmd.counter + "' is not set up for '" + id + "'.");
                services |= bit(*svc);
            }
            if (services == 0) return makeError(ErrorCode::InvalidValue, "Open a counter with at least one service.");
        }
        return Events{CounterUpdated{*counter, CounterState::Open, services, m_at}};
    }

    Decision operator()(const PauseCounter& cmd) {
        auto counter = findCounter(cmd.counter);
        if (!counter) return counter.error();
        const CounterStatus& st = m_state.counters()[*counter];
        if (st.state == CounterState::Closed)
            return makeError(ErrorCode::InvalidTransition, "Counter '" + cmd.counter + "' is closed; open it first.");
        return Events{CounterUpdated{*counter, CounterState::Paused, st.services, m_at}};
    }

    Decision operator()(const CloseCounter& cmd) {
        auto counter = findCounter(cmd.counter);
        if (!counter) return counter.error();
        if (auto busy = m_state.counters()[*counter].ticket)
            return makeError(ErrorCode::CounterBusy, "Counter '" + cmd.counter + "' still has ticket " +
                        m_state.ticket(*busy)->number + "; finish it first.");
        return Events{CounterUpdated{*counter, CounterState::Closed, 0, m_at}};
    }

    Decision operator()(const CallNext& cmd) {
        auto counter = readyCounter(cmd.counter);
        if (!counter) return counter.error();
        DispatchView view = buildDispatchView(m_state, m_at);
        auto chosen = chooseNext(view.input(m_config, m_at), view.counters[*counter]);
        if (!chosen) return Events{}; // nobody this counter may serve is waiting
        return Events{TicketCalled{view.waiting[*chosen].id, *counter, m_at}};
    }

    Decision operator()(const CallTicket& cmd) {
        auto counter = readyCounter(cmd.counter);
        if (!counter) return counter.error();
        auto ticket = findTicket(cmd.ticket, {TicketStatus::Waiting}, "called");
        if (!ticket) return ticket.error();
        return Events{TicketCalled{cmd.ticket, *counter, m_at}};
    }

    Decision operator()(const RecallTicket& cmd) {
        auto ticket = findTicket(cmd.ticket, {TicketStatus::Called}, "recalled");
        if (!ticket) return ticket.error();
        return Events{TicketRecalled{cmd.ticket, m_at}};
    }

    Decision operator()(const StartTicket& cmd) {
        auto ticket = findTicket(cmd.ticket, {TicketStatus::Called}, "started");
        if (!ticket) return ticket.error();
        return Events{TicketStarted{cmd.ticket, m_at}};
    }

    Decision operator()(const MarkNoShow& cmd) {
        auto ticket = findTicket(cmd.ticket, {TicketStatus::Called}, "marked as no-show");
        if (!ticket) return ticket.error();
        return Events{TicketNoShow{cmd.ticket, m_at, cmd.requeue, cmd.requeue ? m_at + m_config.noAnswerCooldownS : 0}};
    }

    Decision operator()(const CancelTicket& cmd) {
        auto ticket = findTicket(cmd.ticket, {TicketStatus::Waiting, TicketStatus::Called, TicketStatus::Serving},
                                 "cancelled");
        if (!ticket) return ticket.error();
        return Events{TicketCancelled{cmd.ticket, m_at}};
    }

    Decision operator()(const CompleteTicket& cmd) {
        auto ticket = findTicket(cmd.ticket, {TicketStatus::Called, TicketStatus::Serving}, "completed");
        if (!ticket) return ticket.error();
        if (cmd.outcome == Outcome::None)
            return makeError(ErrorCode::InvalidValue, "A visit ends with an outcome: handled, backoffice, partner or other.");
        return Events{TicketCompleted{cmd.ticket, m_at, cmd.outcome, cmd.note}};
    }

    Decision operator()(const TransferTicket& cmd) {
        auto ticket = findTicket(cmd.ticket, {TicketStatus::Waiting, TicketStatus::Called, TicketStatus::Serving},
                                 "transferred");
        if (!ticket) return ticket.error();
        if (cmd.service.has_value() == cmd.counter.has_value())
            return makeError(ErrorCode::InvalidValue, "Transfer to either a service or a counter.");
        TicketTransferred e{cmd.ticket, m_at, (*ticket)->services, std::nullopt};
        if (cmd.service) {
            auto svc = m_config.offeredServiceIndex(*cmd.service);
            if (!svc) return makeError(ErrorCode::UnknownService, "There is no service '" + *cmd.service + "'.");
            e.services = {*svc};
        } else {
            auto counter = findCounter(*cmd.counter);
            if (!counter) return counter.error();
            e.onlyCounter = *counter;
        }
        return Events{e};
    }

    Decision operator()(const BookAppointment& cmd) {
        const std::string code = normaliseBookingCode(cmd.code);
        if (!validBookingCode(code, cmd.codeSource))
            return makeError(ErrorCode::InvalidValue, "Booking code '" + cmd.code + "' must be " +
                        bookingCodeRuleText(cmd.codeSource) + ".");
        if (cmd.services.empty()) return makeError(ErrorCode::MissingField, "An appointment needs at least one service.");
        if (cmd.services.size() > kMaxServicesPerVisit)
            return makeError(ErrorCode::InvalidValue, "An appointment takes at most " + std::to_string(kMaxServicesPerVisit) +
                                                     " services; this one lists " + std::to_string(cmd.services.size()) + ".");
        if (cmd.persons < 1 || cmd.persons > 20) return makeError(ErrorCode::InvalidValue, "persons must be 1-20.");
        if (cmd.durationS < 0 || cmd.durationS > kMaxVisitS)
            return makeError(ErrorCode::InvalidValue, "duration must be between 0 and 8 hours.");
        if (cmd.name.size() > 200) return makeError(ErrorCode::InvalidValue, "name is longer than 200 characters.");
        Appointment a;
        a.code = code;
        for (const auto& id : cmd.services) {
            auto svc = m_config.offeredServiceIndex(id);
            if (!svc) return makeError(ErrorCode::UnknownService, "There is no service '" + id + "'.");
            if (!m_config.services[*svc].appointment)
                return makeError(ErrorCode::InvalidValue, "Service '" + id + "' takes no appointments.");
            a.services.push_back(*svc);
        }
        a.startsAt = cmd.startsAt;
        a.day = cmd.day;
        a.durationS = cmd.durationS > 0 ? cmd.durationS : m_state.durations().expectedVisit(m_config, a.services);
        if (a.durationS > kMaxVisitS)
            return makeError(ErrorCode::InvalidValue, "The services take " + std::to_string(a.durationS / 60) +
                                                     " minutes together; one appointment lasts at most 8 hours.");
        a.persons = cmd.persons;
        a.name = cmd.name;
        if (a.day < m_state.day()) return makeError(ErrorCode::InvalidValue, "The appointment is in the past (" + formatDate(a.day) + ").");
        if (const Appointment* existing = m_state.appointment(code)) {
            if (existing->status != AppointmentStatus::Booked)
                return makeError(ErrorCode::InvalidTransition, "Appointment " + code + " is already " +
                            appointmentStatusName(existing->status) + "; it can no longer change.");
            if (existing->services == a.services && existing->startsAt == a.startsAt && existing->day == a.day &&
                existing->durationS == a.durationS && existing->persons == a.persons && existing->name == a.name)
                return Events{}; // the same booking again changes nothing
        }
        return Events{AppointmentBooked{a}};
    }

    Decision operator()(const RemoveAppointment& cmd) {
        const Appointment* a = m_state.appointment(normaliseBookingCode(cmd.code));
        if (!a) return makeError(ErrorCode::UnknownAppointment, "No appointment with code '" + cmd.code + "'.");
        if (a->status != AppointmentStatus::Booked)
            return makeError(ErrorCode::InvalidTransition, "Appointment " + a->code + " is already " +
                        appointmentStatusName(a->status) + "; it can no longer be removed.");
        return Events{AppointmentRemoved{a->code}};
    }

    Decision operator()(const GiveFeedback& cmd) {
        const Ticket* ticket = m_state.ticketByPublicCode(cmd.publicCode);
        if (!ticket) return makeError(ErrorCode::UnknownVisit, "This ticket is unknown or has expired.");
        if (cmd.score < 1 || cmd.score > 10) return makeError(ErrorCode::InvalidValue, "score must be a whole number from 1 to 10.");
        if (ticket->status != TicketStatus::Done)
            return makeError(ErrorCode::FeedbackNotAllowed, "Feedback can be given after the visit.");
        if (ticket->feedbackScore) return makeError(ErrorCode::FeedbackNotAllowed, "Feedback for this visit was already given.");
        if (cmd.comment.size() > 1000) return makeError(ErrorCode::InvalidValue, "comment is longer than 1000 characters.");
        return Events{FeedbackGiven{ticket->id, cmd.score, cmd.comment}};
    }

    // Needs may change while the visitor is in the hall (waiting, called or at the counter).
    Decision operator()(const SetNeeds& cmd) {
        auto ticket = findTicket(cmd.ticket, {TicketStatus::Waiting, TicketStatus::Called, TicketStatus::Serving},
                                 "given needs");
        if (!ticket) return ticket.error();
        if (auto bad = checkNeeds(cmd.needs)) return *bad;
        if ((*ticket)->needs == cmd.needs) return Events{}; // the same needs again change nothing
        return Events{NeedsSet{cmd.ticket, cmd.needs, m_at}};
    }

    // Counted while the hall is open: a question at the door outside the hours is no hall contact.
    Decision operator()(const AnswerAtDoor& cmd) {
        auto service = m_config.offeredServiceIndex(cmd.service);
        if (!service) return makeError(ErrorCode::UnknownService, "There is no service '" + cmd.service + "'.");
        if (auto closed = checkOpen(m_config.hours)) return *closed;
        return Events{AnsweredAtDoor{*service, m_at}};
    }

    Decision operator()(const StartDay&) { return Events{}; } // the rollover itself happens in decide()

    // Offline kiosks: the rules live in offline_lease.cpp.
    Decision operator()(const LeaseNumbers& cmd) { return decideLeaseNumbers(m_state, cmd, m_now); }
    Decision operator()(const RenewLeases& cmd) { return decideRenewLeases(m_state, cmd, m_now); }
    Decision operator()(const ReturnLease& cmd) { return decideReturnLease(m_state, cmd, m_now); }
    Decision operator()(const EndKioskLeases& cmd) { return decideEndKioskLeases(m_state, cmd, m_now); }
    Decision operator()(const AcceptOfflineTicket& cmd) { return decideAcceptOfflineTicket(m_state, cmd, m_now); }
    Decision operator()(const Configure& cmd) { return decideConfiguration(m_state, cmd, m_now); }

private:
    static std::optional<Error> checkNeeds(const VisitNeeds& needs) {
        if (needs.language.size() > kMaxNeedLanguageBytes)
            return makeError(ErrorCode::InvalidValue, "language is longer than " + std::to_string(kMaxNeedLanguageBytes) + " bytes.");
        if (invalidUtf8At(needs.language)) return makeError(ErrorCode::InvalidValue, "language is not valid UTF-8 text.");
        return std::nullopt;
    }

    std::optional<Error> checkOpen(const OpeningHours& hours) const {
        if (hours.isOpen(m_now)) return std::nullopt;
        Error error = makeError(ErrorCode::HallClosed, "The hall is closed now.");
        const LocalDay today = localDay(m_now);
        if (auto range = hours.dayRangeOn(today)) {
            error.message += " Open today from " + formatClock(range->first) + " to " + formatClock(range->second) + ".";
            error.details.opensAt = localInstant(today, range->first);
            error.details.closesAt = localInstant(today, range->second);
        }
        return error;
    }

    // A local time of day today as an instant, with today's offset (the core knows no time-zone
    // rules; the server passes the offset in force now).
    Now localInstant(LocalDay day, std::int32_t secondOfDay) const {
        return Now{instantOf(day, secondOfDay, m_now.utcOffsetS), m_now.utcOffsetS};
    }

    Result<CounterIndex> findCounter(const std::string& id) const {
        auto counter = m_config.activeCounterIndex(id);
        if (!counter) return makeError(ErrorCode::UnknownCounter, "There is no counter '" + id + "'.");
        return *counter;
    }

    // A counter that may call: open, and not still busy with a visitor.
    Result<CounterIndex> readyCounter(const std::string& id) const {
        auto counter = findCounter(id);
        if (!counter) return counter;
        const CounterStatus& st = m_state.counters()[*counter];
        if (st.state != CounterState::Open)
            return makeError(ErrorCode::CounterClosed, "Counter '" + id + "' is " + counterStateName(st.state) + "; open it first.");
        if (st.ticket)
            return makeError(ErrorCode::CounterBusy, "Counter '" + id + "' still has ticket " + m_state.ticket(*st.ticket)->number +
                        "; complete, transfer or mark it first.");
        return counter;
    }

    Result<const Ticket*> findTicket(TicketId id, std::initializer_list<TicketStatus> allowed, const char* verb) const {
        const Ticket* ticket = m_state.ticket(id);
        if (!ticket) return makeError(ErrorCode::UnknownTicket, "There is no ticket " + std::to_string(id) + " today.");
        if (std::find(allowed.begin(), allowed.end(), ticket->status) == allowed.end())
            return makeError(ErrorCode::InvalidTransition, "Ticket " + ticket->number + " is " +
                        ticketStatusName(ticket->status) + "; it cannot be " + verb + ".");
        return ticket;
    }

    Decision issue(const std::vector<ServiceIndex>& services, TicketKind kind, const Appointment* appointment,
                   const std::string& language, const std::string& publicCode, const VisitNeeds& needs) {
        const char prefix = m_config.services[services.front()].prefix;
        std::string number = m_state.nextNumber(prefix);
        if (number.empty())
            return makeError(ErrorCode::NumbersExhausted, std::string("All 999 numbers with ") + prefix + " are in use.");
        if (!publicCode.empty() && m_state.ticketByPublicCode(publicCode))
            return makeError(ErrorCode::Internal, "visitor code collision"); // 128 random bits: a programming error
        Ticket ticket;
        ticket.id = m_state.nextTicketId();
        ticket.number = number;
        ticket.services = services;
        ticket.kind = kind;
        ticket.issuedAt = m_at;
        ticket.language = language.empty() ? "nl" : language;
        ticket.publicCode = publicCode;
        ticket.needs = needs;
        if (appointment) {
            ticket.appointmentCode = appointment->code;
            ticket.appointmentAt = appointment->startsAt;
        }
        return Events{TicketIssued{ticket}};
    }

    const HallState& m_state;
    const HallConfig& m_config;
    Now m_now;     // when the command happens, with the hall's offset
    Seconds m_at;  // m_now.t: the time stamped on every event
};

DayStarted rollover(const HallState& state, LocalDay day) {
    DayStarted e{day, state.nextTicketId(), {}};
    for (const auto& [code, a] : state.appointments())
        if (a.day >= day && a.status == AppointmentStatus::Booked) e.carried.push_back(a);
    return e;
}

} // namespace

Result<std::vector<Event>> decide(const HallState& state, const Command& command, Now now) {
    const LocalDay today = localDay(now);
    if (const auto* start = std::get_if<StartDay>(&command)) {
        if (state.dayStarted() && start->day <= state.day()) return Events{};
        return Events{rollover(state, start->day)};
    }
    if (!state.dayStarted() || today > state.day()) {
        HallState next = state;
        Event day = rollover(state, today);
        next.apply(day);
        auto rest = std::visit(Decider(next, now), command);
        if (!rest) return rest.error();
        Events events{std::move(day)};
        for (auto& e : rest.value()) events.push_back(std::move(e));
        return events;
    }
    return std::visit(Decider(state, now), command);
}

Result<std::vector<Event>> execute(HallState& state, const Command& command, Now now) {
    auto events = decide(state, command, now);
    if (events)
        for (const auto& e : events.value()) state.apply(e);
    return events;
}

const char* commandName(const Command& command) {
    return std::visit(Overloaded{
        [](const IssueWalkIn&) { return "issue_walk_in"; },
        [](const CheckInAppointment&) { return "check_in"; },
        [](const OpenCounter&) { return "open_counter"; },
        [](const PauseCounter&) { return "pause_counter"; },
        [](const CloseCounter&) { return "close_counter"; },
        [](const CallNext&) { return "call_next"; },
        [](const CallTicket&) { return "call_ticket"; },
        [](const RecallTicket&) { return "recall"; },
        [](const StartTicket&) { return "start"; },
        [](const MarkNoShow&) { return "no_show"; },
        [](const CancelTicket&) { return "cancel"; },
        [](const CompleteTicket&) { return "complete"; },
        [](const TransferTicket&) { return "transfer"; },
        [](const BookAppointment&) { return "book_appointment"; },
        [](const RemoveAppointment&) { return "remove_appointment"; },
        [](const GiveFeedback&) { return "feedback"; },
        [](const StartDay&) { return "start_day"; },
        [](const LeaseNumbers&) { return "lease_numbers"; },
        [](const RenewLeases&) { return "renew_leases"; },
        [](const ReturnLease&) { return "return_lease"; },
        [](const EndKioskLeases&) { return "end_kiosk_leases"; },
        [](const AcceptOfflineTicket&) { return "accept_offline_ticket"; },
        [](const Configure&) { return "configure"; },
        [](const SetNeeds&) { return "set_needs"; },
        [](const AnswerAtDoor&) { return "answer_at_door"; },
    }, command);
}

} // namespace loket::core
