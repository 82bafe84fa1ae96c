// Day statistics against the norm: what the dashboard, /api/v1/stats and the export report.
// Computed from VisitRecords — a visit without personal data (no names, codes or notes), which
// the server also keeps after the day's personal data are purged. Standard library only.
#pragma once

#include "hall_state.hpp"
#include "visit_rules.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace loket::core {

struct VisitRecord {
    TicketId ticket = 0;
    LocalDay day = 0;
    std::string number;
    std::string service;              // id of the first service
    std::string services;             // all ids, joined with '+'
    TicketKind kind = TicketKind::WalkIn;
    TicketStatus status = TicketStatus::Waiting;
    Seconds issuedAt = 0;
    Seconds appointmentAt = 0;        // 0 for walk-ins
    std::optional<Seconds> firstCalledAt;
    std::optional<Seconds> startedAt;
    std::optional<Seconds> endedAt;
    std::string counter;              // counter id of the (last) call
    Outcome outcome = Outcome::None;
    std::optional<int> feedbackScore;
    Seconds limitS = 0;               // the norm (appointments) or the walk-in target
    int issuedHour = 0;               // local hour of check-in

    // When the wait starts: check-in, or the appointment time for an early visitor.
    Seconds waitFrom() const { return waitStartsAt(kind, appointmentAt, issuedAt); }
    std::optional<Seconds> waitS() const;
};

VisitRecord visitRecordOf(const HallState& state, const Ticket& ticket, std::int32_t utcOffsetS);

struct WaitSummary { int count = 0; Seconds p50 = 0; Seconds p95 = 0; Seconds max = 0; };

struct ServiceStats { std::string service; int visitors = 0; int waiting = 0; WaitSummary wait; int answeredAtDoor = 0; };
struct HourStats {
    int hour = 0;
    int visitors = 0;
    WaitSummary appointmentWait;
    WaitSummary walkInWait;
    std::optional<double> pctAppointmentsWithinNorm;
};

struct DayStats {
    std::string date;
    int visitors = 0, appointments = 0, walkIns = 0, noShows = 0, waiting = 0;
    WaitSummary appointmentWait, walkInWait;
    std::optional<double> pctAppointmentsWithinNorm; // of appointment visitors called
    std::optional<double> pctWalkInsWithinTarget;
    std::vector<ServiceStats> byService;
    std::vector<HourStats> byHour;
    int feedbackCount = 0;
    std::optional<double> feedbackAverage;
    std::map<std::string, int> outcomes;              // handled, backoffice, partner, other
    // Contacts the host handled at the door, without a number: not visitors (they never waited),
    // but handled at the first level — the question never travelled.
    int answeredAtDoor = 0;
};

// Questions answered at the door by service id (anonymous counts; HallState::doorAnswers).
using DoorAnswerCounts = std::map<std::string, int>;
DoorAnswerCounts doorAnswerCounts(const HallState& state);

// What the store keeps of a day's door answers when the day's events are purged: a count per
// service, nothing about who asked. Written with the finished day's visit records, so the
// statistics of a past day still show them.
struct DoorAnswerDay {
    LocalDay day = 0;
    std::string service; // service id
    int count = 0;
    bool operator==(const DoorAnswerDay&) const = default;
};
// The running day's counts as records of state.day(); none before the first day started.
std::vector<DoorAnswerDay> doorAnswerDays(const HallState& state);

DayStats computeDayStats(const std::string& date, const std::vector<VisitRecord>& visits, const DoorAnswerCounts& door);
WaitSummary summarise(std::vector<Seconds> waits);

} // namespace loket::core
