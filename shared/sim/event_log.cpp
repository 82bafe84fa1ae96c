#include "event_log.hpp"

#include "shared/core/overloaded.hpp"

namespace loket::sim {
namespace {

std::string num(std::int64_t v) { return std::to_string(v); }

std::string mask(const std::vector<core::ServiceIndex>& services) {
    std::string out;
    for (std::size_t i = 0; i < services.size(); ++i) {
        if (i) out += '+';
        out += num(services[i]);
    }
    return out;
}

std::string ticketLine(const core::Ticket& t) {
    return num(t.id) + " " + t.number + " " + core::ticketKindName(t.kind) + " s" + mask(t.services) + " t" +
           num(t.issuedAt) + (t.appointmentCode ? " a" + *t.appointmentCode + "@" + num(t.appointmentAt) : "");
}
} // namespace

std::string eventLine(const core::Event& event) {
    const std::string type = core::eventTypeName(event);
    return type + " " + std::visit(Overloaded{
        [](const core::TicketIssued& e) { return ticketLine(e.ticket); },
        [](const core::TicketCalled& e) { return num(e.ticket) + " c" + num(e.counter) + " t" + num(e.at); },
        [](const core::TicketRecalled& e) { return num(e.ticket) + " t" + num(e.at); },
        [](const core::TicketStarted& e) { return num(e.ticket) + " t" + num(e.at); },
        [](const core::TicketCompleted& e) {
            return num(e.ticket) + " t" + num(e.at) + " " + core::outcomeName(e.outcome);
        },
        [](const core::TicketNoShow& e) {
            return num(e.ticket) + " t" + num(e.at) + (e.requeue ? " requeue " + num(e.notBefore) : " gone");
        },
        [](const core::TicketTransferred& e) { return num(e.ticket) + " t" + num(e.at) + " s" + mask(e.services); },
        [](const core::TicketCancelled& e) { return num(e.ticket) + " t" + num(e.at); },
        [](const core::CounterUpdated& e) {
            // Appended rather than "c" + …: GCC 12's -O2 warns falsely (-Wstringop-overflow) on
            // operator+(const char*, std::string&&).
            std::string line = "c";
            line += num(e.counter);
            line += ' ';
            line += core::counterStateName(e.state);
            line += " m";
            line += std::to_string(static_cast<unsigned long long>(e.services));
            line += " t";
            line += num(e.at);
            return line;
        },
        [](const core::AppointmentBooked& e) {
            return e.appointment.code + " s" + mask(e.appointment.services) + " t" + num(e.appointment.startsAt) +
                   " d" + num(e.appointment.durationS);
        },
        [](const core::AppointmentRemoved& e) { return e.code; },
        [](const core::FeedbackGiven& e) { return num(e.ticket) + " " + num(e.score); },
        [](const core::DayStarted& e) { return core::formatDate(e.day) + " " + num(e.nextTicketId); },
        [](const core::NumbersLeased& e) {
            return num(e.lease.id) + " " + e.lease.kiosk + " " + num(e.lease.first) + "+" + num(e.lease.count);
        },
        [](const core::LeasesRenewed& e) { return e.kiosk + " t" + num(e.at); },
        [](const core::LeaseEnded& e) { return num(e.lease) + " t" + num(e.at) + " " + num(e.used); },
        [](const core::OfflineTicketPlaced& e) { return num(e.ticket) + " " + e.kiosk + " " + e.number; },
        [](const core::ConfigurationChanged& e) {
            return std::string(core::configChangeName(e.change)) + " " + core::configChangeTarget(e.change) + " t" + num(e.at);
        },
        // Needs are the visitor's own: the line says that they changed, not what they are.
        [](const core::NeedsSet& e) { return num(e.ticket) + " t" + num(e.at); },
        [](const core::AnsweredAtDoor& e) { return "s" + num(e.service) + " t" + num(e.at); },
    }, event);
}

void EventLog::add(const core::Event& event) {
    std::string line = eventLine(event);
    line += '\n';
    m_hash.update(line);
    ++m_count;
    if (m_keepLines) m_lines.push_back(std::move(line));
}

} // namespace loket::sim
