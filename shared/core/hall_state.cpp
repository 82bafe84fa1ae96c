#include "hall_state.hpp"

#include "shared/core/overloaded.hpp"

#include "configuration.hpp"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <numeric>

namespace loket::core {
namespace {

int prefixSlot(char prefix) { return (prefix >= 'A' && prefix <= 'Z') ? prefix - 'A' : 0; }

std::string formatNumber(char prefix, int seq) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%03d", prefix, seq);
    return buf;
}

int numberSeq(const std::string& number) { return number.size() == 4 ? std::atoi(number.c_str() + 1) : 0; }
} // namespace

// --- DurationModel ---------------------------------------------------------------------------

Seconds DurationModel::expected(const HallConfig& config, ServiceIndex service) const {
    const double seed = static_cast<double>(config.services[service].expectedDurationS);
    if (service >= m_sum.size()) return static_cast<Seconds>(seed);
    return static_cast<Seconds>((seed * kPriorWeight + m_sum[service]) / (kPriorWeight + m_count[service]) + 0.5);
}

Seconds DurationModel::expectedVisit(const HallConfig& config, const std::vector<ServiceIndex>& services) const {
    Seconds total = 0;
    for (auto s : services) total += expected(config, s);
    return total;
}

void DurationModel::observe(const HallConfig& config, const std::vector<ServiceIndex>& services, Seconds tookS) {
    if (services.empty() || tookS <= 0) return;
    // A visit with several services is split in proportion to what each was expected to take.
    double expectedTotal = 0;
    for (auto s : services) expectedTotal += static_cast<double>(config.services[s].expectedDurationS);
    for (auto s : services) {
        if (s >= m_sum.size()) continue;
        double share = expectedTotal > 0 ? config.services[s].expectedDurationS / expectedTotal : 1.0 / services.size();
        m_sum[s] += share * static_cast<double>(tookS);
        m_count[s] += 1;
    }
}

// --- HallState -------------------------------------------------------------------------------

HallState::HallState(const HallConfig& config)
    : m_config(std::make_shared<const HallConfig>(config)), m_counters(config.counters.size()), m_durations(config.services.size()) {}

const Ticket* HallState::ticket(TicketId id) const {
    auto it = m_ticketIndex.find(id);
    return it == m_ticketIndex.end() ? nullptr : &m_tickets[it->second];
}

Ticket& HallState::mutableTicket(TicketId id) {
    auto it = m_ticketIndex.find(id);
    assert(it != m_ticketIndex.end() && "an event names a ticket the state does not have");
    return m_tickets[it->second];
}

const Ticket* HallState::ticketByPublicCode(const std::string& code) const {
    auto it = m_byPublicCode.find(code);
    return it == m_byPublicCode.end() ? nullptr : ticket(it->second);
}

const Appointment* HallState::appointment(const std::string& code) const {
    auto it = m_appointments.find(code);
    return it == m_appointments.end() ? nullptr : &it->second;
}

std::string HallState::nextNumber(char prefix) const {
    if (prefix < 'A' || prefix > 'Z') return {}; // the configuration allows only these
    const std::size_t base = static_cast<std::size_t>(prefix - 'A') * kNumbersPerPrefix;
    int seq = m_lastSeq[static_cast<std::size_t>(prefixSlot(prefix))];
    for (int tries = 0; tries < 999; ++tries) {
        seq = seq >= 999 ? 1 : seq + 1;
        if (m_liveNumbers[base + static_cast<std::size_t>(seq)] == 0 && !m_offline.reserved(prefix, seq)) return formatNumber(prefix, seq);
    }
    return {};
}

void HallState::setStatus(Ticket& t, TicketStatus status) {
    countTicket(t, -1);
    t.status = status;
    countTicket(t, +1);
}

void HallState::countTicket(const Ticket& t, int delta) {
    if (t.status == TicketStatus::Waiting) m_waiting = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(m_waiting) + delta);
    if (!t.live() || t.number.size() != 4 || t.number[0] < 'A' || t.number[0] > 'Z') return;
    const int seq = numberSeq(t.number);
    if (seq < 1 || seq > 999) return;
    auto& holders = m_liveNumbers[static_cast<std::size_t>(t.number[0] - 'A') * kNumbersPerPrefix + static_cast<std::size_t>(seq)];
    holders = static_cast<std::uint16_t>(holders + delta);
}

int HallState::lastSeq(char prefix) const { return m_lastSeq[static_cast<std::size_t>(prefixSlot(prefix))]; }

std::size_t HallState::waitingCount(ServiceIndex service) const {
    return static_cast<std::size_t>(std::count_if(m_tickets.begin(), m_tickets.end(), [&](const Ticket& t) {
        return t.status == TicketStatus::Waiting && !t.services.empty() && t.services.front() == service;
    }));
}

void HallState::freeCounterOf(Ticket& t) {
    if (t.counter && *t.counter < m_counters.size() && m_counters[*t.counter].ticket == t.id)
        m_counters[*t.counter].ticket.reset();
}

void HallState::syncAppointment(const Ticket& t) {
    if (!t.appointmentCode) return;
    auto it = m_appointments.find(*t.appointmentCode);
    if (it == m_appointments.end()) return;
    it->second.ticket = t.id;
    switch (t.status) {
    case TicketStatus::Done: it->second.status = AppointmentStatus::Done; break;
    case TicketStatus::NoShow: it->second.status = AppointmentStatus::NoShow; break;
    case TicketStatus::Cancelled: it->second.status = AppointmentStatus::Cancelled; break;
    default: it->second.status = AppointmentStatus::CheckedIn; break;
    }
}

void HallState::apply(const Event& event) {
    std::visit(Overloaded{
        [&](const TicketIssued& e) {
            m_ticketIndex[e.ticket.id] = m_tickets.size();
            m_tickets.push_back(e.ticket);
            countTicket(e.ticket, +1);
            if (!e.ticket.publicCode.empty()) m_byPublicCode[e.ticket.publicCode] = e.ticket.id;
            // A number from an offline kiosk's lease does not move the server's own counter.
            if (!m_offline.inAnyLease(e.ticket.number[0], numberSeq(e.ticket.number)))
                m_lastSeq[static_cast<std::size_t>(prefixSlot(e.ticket.number[0]))] = numberSeq(e.ticket.number);
            m_nextTicketId = std::max(m_nextTicketId, e.ticket.id + 1);
            syncAppointment(e.ticket);
        },
        [&](const TicketCalled& e) {
            Ticket& t = mutableTicket(e.ticket);
            setStatus(t, TicketStatus::Called);
            t.counter = e.counter;
            t.onlyCounter.reset();
            if (!t.firstCalledAt) t.firstCalledAt = e.at;
            t.lastCalledAt = e.at;
            t.calls += 1;
            m_counters[e.counter].ticket = t.id;
            m_recentCalls.push_front({t.id, t.number, e.counter, e.at, false});
            if (m_recentCalls.size() > kRecentCalls) m_recentCalls.pop_back();
        },
        [&](const TicketRecalled& e) {
            Ticket& t = mutableTicket(e.ticket);
            t.lastCalledAt = e.at;
            t.calls += 1;
            m_recentCalls.push_front({t.id, t.number, t.counter.value_or(0), e.at, true});
            if (m_recentCalls.size() > kRecentCalls) m_recentCalls.pop_back();
        },
        [&](const TicketStarted& e) {
            Ticket& t = mutableTicket(e.ticket);
            setStatus(t, TicketStatus::Serving);
            t.startedAt = e.at;
        },
        [&](const TicketCompleted& e) {
            Ticket& t = mutableTicket(e.ticket);
            Seconds began = t.startedAt.value_or(t.lastCalledAt.value_or(e.at));
            m_durations.observe(*m_config, t.services, e.at - began);
            setStatus(t, TicketStatus::Done);
            t.outcome = e.outcome;
            t.note = e.note;
            t.endedAt = e.at;
            freeCounterOf(t);
            syncAppointment(t);
        },
        [&](const TicketNoShow& e) {
            Ticket& t = mutableTicket(e.ticket);
            freeCounterOf(t);
            if (e.requeue) {
                setStatus(t, TicketStatus::Waiting);
                t.notBefore = e.notBefore;
                t.counter.reset();
            } else {
                setStatus(t, TicketStatus::NoShow);
                t.endedAt = e.at;
            }
            syncAppointment(t);
        },
        [&](const TicketTransferred& e) {
            Ticket& t = mutableTicket(e.ticket);
            freeCounterOf(t);
            setStatus(t, TicketStatus::Waiting);
            t.services = e.services;
            t.onlyCounter = e.onlyCounter;
            t.counter.reset();
            t.startedAt.reset();
        },
        [&](const TicketCancelled& e) {
            Ticket& t = mutableTicket(e.ticket);
            freeCounterOf(t);
            setStatus(t, TicketStatus::Cancelled);
            t.endedAt = e.at;
            syncAppointment(t);
        },
        [&](const CounterUpdated& e) {
            m_counters[e.counter].state = e.state;
            m_counters[e.counter].services = e.services;
        },
        [&](const AppointmentBooked& e) { m_appointments[e.appointment.code] = e.appointment; },
        [&](const AppointmentRemoved& e) { m_appointments.erase(e.code); },
        [&](const FeedbackGiven& e) {
            Ticket& t = mutableTicket(e.ticket);
            t.feedbackScore = e.score;
            t.feedbackComment = e.comment;
        },
        [&](const DayStarted& e) {
            m_day = e.day;
            m_dayStarted = true;
            m_tickets.clear();
            m_ticketIndex.clear();
            std::fill(m_liveNumbers.begin(), m_liveNumbers.end(), std::uint16_t{0});
            m_waiting = 0;
            m_byPublicCode.clear();
            m_appointments.clear();
            for (const auto& a : e.carried) m_appointments[a.code] = a;
            m_counters.assign(m_config->counters.size(), CounterStatus{});
            m_lastSeq.fill(0);
            m_recentCalls.clear();
            m_doorAnswers.clear();
            m_durations = DurationModel(m_config->services.size());
            m_nextTicketId = std::max(m_nextTicketId, e.nextTicketId);
            m_offline.startDay();
        },
        [&](const NumbersLeased& e) { m_offline.apply(e); },
        [&](const LeasesRenewed& e) { m_offline.apply(e); },
        [&](const LeaseEnded& e) { m_offline.apply(e); },
        [&](const OfflineTicketPlaced& e) {
            // An appointment code checked in twice: the later check-in keeps its place as a walk-in.
            if (e.demoted) {
                Ticket& t = mutableTicket(*e.demoted);
                t.kind = TicketKind::WalkIn;
                t.appointmentCode.reset();
                t.appointmentAt = 0;
            }
            m_offline.apply(e);
        },
        [&](const NeedsSet& e) { mutableTicket(e.ticket).needs = e.needs; },
        [&](const AnsweredAtDoor& e) { m_doorAnswers.push_back(e); },
        [&](const ConfigurationChanged& e) {
            auto next = std::make_shared<HallConfig>(*m_config);
            applyConfigurationChange(*next, e.change);
            m_config = std::move(next);
            m_counters.resize(m_config->counters.size()); // a new counter starts closed
        },
    }, event);
}

} // namespace loket::core
