#include "stats.hpp"

#include <algorithm>
#include <cmath>

namespace loket::core {

std::optional<Seconds> VisitRecord::waitS() const {
    if (!firstCalledAt) return std::nullopt;
    return std::max<Seconds>(0, *firstCalledAt - waitFrom());
}

VisitRecord visitRecordOf(const HallState& state, const Ticket& t, std::int32_t utcOffsetS) {
    const HallConfig& config = state.config();
    VisitRecord v;
    v.ticket = t.id;
    v.day = state.day();
    v.number = t.number;
    v.service = config.services[t.services.front()].id;
    for (std::size_t i = 0; i < t.services.size(); ++i)
        v.services += (i ? "+" : "") + config.services[t.services[i]].id;
    v.kind = t.kind;
    v.status = t.status;
    v.issuedAt = t.issuedAt;
    v.appointmentAt = t.kind == TicketKind::Appointment ? t.appointmentAt : 0;
    v.firstCalledAt = t.firstCalledAt;
    v.startedAt = t.startedAt;
    v.endedAt = t.endedAt;
    if (t.counter) v.counter = config.counters[*t.counter].id;
    v.outcome = t.outcome;
    v.feedbackScore = t.feedbackScore;
    v.limitS = ticketDueAt(t, config) - v.waitFrom();
    v.issuedHour = localSecondOfDay(Now{t.issuedAt, utcOffsetS}) / 3600;
    return v;
}

// Nearest-rank percentiles: a reported p95 is a wait some visitor really had.
WaitSummary summarise(std::vector<Seconds> waits) {
    WaitSummary s;
    s.count = static_cast<int>(waits.size());
    if (waits.empty()) return s;
    std::sort(waits.begin(), waits.end());
    auto rank = [&](double p) {
        auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(waits.size())));
        return waits[std::min(waits.size() - 1, k == 0 ? 0 : k - 1)];
    };
    s.p50 = rank(0.50);
    s.p95 = rank(0.95);
    s.max = waits.back();
    return s;
}

namespace {
std::optional<double> percent(int part, int whole) {
    if (whole == 0) return std::nullopt;
    return std::round(1000.0 * part / whole) / 10.0;
}
} // namespace

DoorAnswerCounts doorAnswerCounts(const HallState& state) {
    DoorAnswerCounts out;
    for (const AnsweredAtDoor& a : state.doorAnswers()) out[state.config().services[a.service].id] += 1;
    return out;
}

std::vector<DoorAnswerDay> doorAnswerDays(const HallState& state) {
    std::vector<DoorAnswerDay> out;
    if (!state.dayStarted()) return out;
    for (const auto& [service, count] : doorAnswerCounts(state)) out.push_back({state.day(), service, count});
    return out;
}

DayStats computeDayStats(const std::string& date, const std::vector<VisitRecord>& visits, const DoorAnswerCounts& door) {
    DayStats d;
    d.date = date;
    std::vector<Seconds> apptWaits, walkWaits;
    int apptOnTime = 0, walkOnTime = 0, feedbackSum = 0;
    std::map<std::string, std::pair<ServiceStats, std::vector<Seconds>>> services;
    std::map<int, std::pair<std::vector<Seconds>, std::vector<Seconds>>> hourWaits;
    std::map<int, HourStats> hours;
    std::map<int, int> hourOnTime;
    for (auto name : {"handled", "backoffice", "partner", "other"}) d.outcomes[name] = 0;

    for (const VisitRecord& v : visits) {
        const bool appt = v.kind == TicketKind::Appointment;
        d.visitors += 1;
        (appt ? d.appointments : d.walkIns) += 1;
        if (v.status == TicketStatus::NoShow) d.noShows += 1;
        if (v.status == TicketStatus::Waiting) d.waiting += 1;
        auto& [svc, svcWaits] = services[v.service];
        svc.service = v.service;
        svc.visitors += 1;
        if (v.status == TicketStatus::Waiting) svc.waiting += 1;
        HourStats& h = hours[v.issuedHour];
        h.hour = v.issuedHour;
        h.visitors += 1;
        if (auto w = v.waitS()) {
            const bool within = *w <= v.limitS;
            (appt ? apptWaits : walkWaits).push_back(*w);
            (appt ? apptOnTime : walkOnTime) += within ? 1 : 0;
            svcWaits.push_back(*w);
            (appt ? hourWaits[v.issuedHour].first : hourWaits[v.issuedHour].second).push_back(*w);
            if (appt && within) hourOnTime[v.issuedHour] += 1;
        }
        if (v.feedbackScore) {
            d.feedbackCount += 1;
            feedbackSum += *v.feedbackScore;
        }
        if (v.status == TicketStatus::Done && v.outcome != Outcome::None) d.outcomes[outcomeName(v.outcome)] += 1;
    }
    d.pctAppointmentsWithinNorm = percent(apptOnTime, static_cast<int>(apptWaits.size()));
    d.pctWalkInsWithinTarget = percent(walkOnTime, static_cast<int>(walkWaits.size()));
    d.appointmentWait = summarise(apptWaits);
    d.walkInWait = summarise(walkWaits);
    for (const auto& [service, count] : door) {
        d.answeredAtDoor += count;
        auto& svc = services[service].first;
        svc.service = service;
        svc.answeredAtDoor = count;
    }
    for (auto& [id, entry] : services) {
        entry.first.wait = summarise(entry.second);
        d.byService.push_back(entry.first);
    }
    for (auto& [hour, h] : hours) {
        auto& [appt, walk] = hourWaits[hour];
        h.appointmentWait = summarise(appt);
        h.walkInWait = summarise(walk);
        h.pctAppointmentsWithinNorm = percent(hourOnTime[hour], static_cast<int>(appt.size()));
        d.byHour.push_back(h);
    }
    if (d.feedbackCount) d.feedbackAverage = std::round(10.0 * feedbackSum / d.feedbackCount) / 10.0;
    return d;
}

} // namespace loket::core
