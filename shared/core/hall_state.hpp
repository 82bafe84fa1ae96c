// HallState: the hall as it stands — today's tickets, the appointment book, counters, numbering,
// the durations learned today — and the fold that applies one event to it. Applying an event
// never fails: events are facts the command handler already checked. Standard library only.
#pragma once

#include "events.hpp"
#include "offline_ledger.hpp"

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace loket::core {

struct RecentCall {
    TicketId ticket = 0;
    std::string number;
    CounterIndex counter = 0;
    Seconds at = 0;
    bool recall = false;
};

// Expected service durations: the configured figure, pulled toward what today's completed visits
// took (a prior worth a few visits, so one odd visit does not swing the estimate).
class DurationModel {
public:
    explicit DurationModel(std::size_t services = 0) : m_sum(services, 0), m_count(services, 0) {}
    Seconds expected(const HallConfig& config, ServiceIndex service) const;
    Seconds expectedVisit(const HallConfig& config, const std::vector<ServiceIndex>& services) const;
    void observe(const HallConfig& config, const std::vector<ServiceIndex>& services, Seconds tookS);

private:
    static constexpr double kPriorWeight = 3.0;
    std::vector<double> m_sum;
    std::vector<int> m_count;
};

class HallState {
public:
    explicit HallState(const HallConfig& config);

    void apply(const Event& event);

    // The configuration as today's events left it (configuration.hpp changes it through the fold).
    const HallConfig& config() const { return *m_config; }
    LocalDay day() const { return m_day; }
    bool dayStarted() const { return m_dayStarted; }

    const std::vector<Ticket>& tickets() const { return m_tickets; }
    const Ticket* ticket(TicketId id) const;
    const Ticket* ticketByPublicCode(const std::string& code) const;
    const std::map<std::string, Appointment>& appointments() const { return m_appointments; }
    const Appointment* appointment(const std::string& code) const;
    const std::vector<CounterStatus>& counters() const { return m_counters; }
    const std::deque<RecentCall>& recentCalls() const { return m_recentCalls; }
    const DurationModel& durations() const { return m_durations; }
    // Questions the host answered at the door today, in order (no visitor data).
    const std::vector<AnsweredAtDoor>& doorAnswers() const { return m_doorAnswers; }
    TicketId nextTicketId() const { return m_nextTicketId; }
    // Offline kiosks: number leases, clock offsets, uploads placed (offline_lease.hpp).
    const OfflineLedger& offline() const { return m_offline; }
    // The last number the server itself issued with a prefix today (0: none yet).
    int lastSeq(char prefix) const;

    // The next free number for a prefix: counts 001…999 per day, wraps, and skips numbers that
    // a live ticket still holds or an offline kiosk's lease reserves. Empty when all 999 are taken.
    std::string nextNumber(char prefix) const;
    std::size_t waitingCount(ServiceIndex service) const;
    // Tickets waiting now, all services (kept by the fold: no pass over the day's tickets).
    std::size_t waitingTotal() const { return m_waiting; }

    static constexpr std::size_t kRecentCalls = 12;

private:
    Ticket& mutableTicket(TicketId id);
    void freeCounterOf(Ticket& t);
    void syncAppointment(const Ticket& t);
    // Every change of a ticket's status goes through setStatus, so the counts below stay the
    // fold of the tickets: the number index nextNumber reads and the number waiting.
    void setStatus(Ticket& t, TicketStatus status);
    void countTicket(const Ticket& t, int delta);

    std::shared_ptr<const HallConfig> m_config; // shared by copies; a change makes a new one
    LocalDay m_day = 0;
    bool m_dayStarted = false;
    std::vector<Ticket> m_tickets;                        // in id order
    std::unordered_map<TicketId, std::size_t> m_ticketIndex;
    std::unordered_map<std::string, TicketId> m_byPublicCode;
    std::map<std::string, Appointment> m_appointments;
    std::vector<CounterStatus> m_counters;
    std::array<int, 26> m_lastSeq{};                      // per prefix letter
    std::deque<RecentCall> m_recentCalls;                 // newest first
    DurationModel m_durations;
    std::vector<AnsweredAtDoor> m_doorAnswers;
    TicketId m_nextTicketId = 1;
    OfflineLedger m_offline;
    // How many live tickets hold each number, [letter - 'A'][seq]: a check-in asks for a free
    // number, and a pass over the day's tickets for it grew with the queue (4 % of the server's
    // CPU with 6,900 waiting).
    static constexpr std::size_t kNumbersPerPrefix = 1000;
    std::vector<std::uint16_t> m_liveNumbers = std::vector<std::uint16_t>(26 * kNumbersPerPrefix, 0);
    std::size_t m_waiting = 0;
};

} // namespace loket::core
