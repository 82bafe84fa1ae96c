#include "replay.hpp"

#include "event_log.hpp"
#include "hall_from_trace.hpp"
#include "shared/core/command_handler.hpp"
#include "shared/core/dispatch_view.hpp"
#include "shared/core/visit_rules.hpp"
#include "shared/core/wait_prediction.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <queue>
#include <unordered_map>

namespace loket::sim {
namespace {

using core::TicketId;

// The fixed order of things that happen at the same second (sim-trace.md).
enum class Kind { CounterDown = 0, ServiceEnd = 1, CounterUp = 2, CheckIn = 3, AppointmentTime = 4, Wake = 5 };

struct Item {
    Seconds t = 0;
    Kind kind = Kind::Wake;
    std::size_t seq = 0;          // insertion order: ties within a kind keep trace order
    std::size_t subject = 0;      // counter index or visit index
    // ServiceEnd: true = the visit is done, false = nobody came. CounterDown/Up: true = a
    // counter_event (the counter breaks or is repaired), false = a shift boundary.
    bool flag = false;
    bool requeue = false;         // ServiceEnd after an unanswered call
    bool operator>(const Item& o) const {
        return std::tie(t, kind, seq) > std::tie(o.t, o.kind, o.seq);
    }
};

Seconds sum(const std::vector<Seconds>& v) { return std::accumulate(v.begin(), v.end(), Seconds{0}); }

class Replayer {
public:
    Replayer(const Trace& trace, const ReplayOptions& options, core::HallConfig config, core::LocalDay day)
        : m_trace(trace), m_opt(options), m_config(std::move(config)), m_state(m_config),
          m_base(static_cast<Seconds>(day) * 86400), m_day(day), m_log(options.keepLog),
          m_counters(trace.counters.size()), m_calls(trace.visits.size(), 0) {}

    Result<ReplayResult> run() {
        if (auto s = command(core::StartDay{m_day}, 0, "start of day"); !s) return s.error();
        for (std::size_t i = 0; i < m_trace.visits.size(); ++i) {
            const TraceVisit& v = m_trace.visits[i];
            if (!v.appointment) continue;
            m_visitOfCode[bookingCodeOf(i)] = i;
            core::BookAppointment book{bookingCodeOf(i), v.services, m_base + v.tAppt, m_day, 0, 1, ""};
            if (auto s = command(book, 0, "booking of " + v.id); !s) return s.error();
        }
        schedule();
        while (!m_queue.empty()) {
            const Seconds t = m_queue.top().t;
            while (!m_queue.empty() && m_queue.top().t == t) {
                Item item = m_queue.top();
                m_queue.pop();
                if (auto s = handle(item); !s) return s.error();
            }
            if (auto s = dispatch(t); !s) return s.error();
        }
        return finish();
    }

private:
    struct CounterTrack {
        bool down = false;
        std::optional<Seconds> openSince;
        Seconds callAt = 0;
        Seconds endAt = 0;     // when the visit in progress ends (truth; clairvoyant view only)
        bool idle = false;     // free while an eligible visitor waits, since the last dispatch
    };

    void push(Seconds t, Kind kind, std::size_t subject, bool flag = false, bool requeue = false) {
        m_queue.push(Item{t, kind, m_seq++, subject, flag, requeue});
    }

    void schedule() {
        for (std::size_t c = 0; c < m_trace.counters.size(); ++c)
            for (auto [start, end] : m_trace.counters[c].shifts) {
                push(start, Kind::CounterUp, c);
                push(end, Kind::CounterDown, c);
                m_dayEnd = std::max(m_dayEnd, end);
            }
        for (const CounterEvent& e : m_trace.counterEvents) {
            const std::size_t c = *m_config.counterIndex(e.counter);
            push(e.t, e.kind == "down" ? Kind::CounterDown : Kind::CounterUp, c, true);
            if (e.kind == "down" && e.until > e.t) push(e.until, Kind::CounterUp, c, true);
        }
        for (std::size_t i = 0; i < m_trace.visits.size(); ++i) {
            const TraceVisit& v = m_trace.visits[i];
            if (v.appointment) push(v.tAppt, Kind::AppointmentTime, i);
            if (!v.truth.show) continue;
            Seconds at = v.truth.tCheckIn;
            // A visitor earlier than the kiosk allows waits until it does.
            if (v.appointment) at = std::max(at, v.tAppt - m_trace.rules.earlyCheckInWindowS);
            push(at, Kind::CheckIn, i);
        }
    }

    core::Now now(Seconds t) const { return core::Now{m_base + t, 0}; }

    Result<std::vector<core::Event>> command(const core::Command& cmd, Seconds t, const std::string& what) {
        auto events = core::execute(m_state, cmd, now(t));
        if (!events)
            return makeError(events.error().code, "at " + core::formatClock(static_cast<std::int32_t>(t % 86400)) + ", " +
                                                      what + ": " + events.error().message);
        for (const auto& e : events.value()) m_log.add(e);
        return events;
    }

    bool inShift(std::size_t c, Seconds t) const {
        for (auto [start, end] : m_trace.counters[c].shifts)
            if (t >= start && t < end) return true;
        return false;
    }

    Status syncCounter(std::size_t c, Seconds t) {
        const bool want = inShift(c, t) && !m_counters[c].down;
        const core::CounterState st = m_state.counters()[c].state;
        const std::string& id = m_config.counters[c].id;
        CounterTrack& track = m_counters[c];
        if (want && st != core::CounterState::Open) {
            if (auto s = command(core::OpenCounter{id, std::nullopt}, t, "opening " + id); !s) return s.error();
            track.openSince = t;
        } else if (!want && st == core::CounterState::Open) {
            // It finishes the visit in progress and takes no new one.
            if (auto s = command(core::PauseCounter{id}, t, "closing " + id); !s) return s.error();
            if (track.openSince) m_result.availableS += t - *track.openSince;
            track.openSince.reset();
        }
        return Ok{};
    }

    Status handle(const Item& item) {
        switch (item.kind) {
        case Kind::CounterDown:
            if (item.flag) m_counters[item.subject].down = true;
            return syncCounter(item.subject, item.t);
        case Kind::CounterUp:
            if (item.flag) m_counters[item.subject].down = false;
            return syncCounter(item.subject, item.t);
        case Kind::ServiceEnd: return endVisit(item);
        case Kind::CheckIn: return checkIn(item.subject, item.t);
        case Kind::AppointmentTime:
        case Kind::Wake: return Ok{}; // only a moment to dispatch again
        }
        return Ok{};
    }

    Status checkIn(std::size_t i, Seconds t) {
        const TraceVisit& v = m_trace.visits[i];
        core::Command cmd = v.appointment
            ? core::Command{core::CheckInAppointment{bookingCodeOf(i), "nl", ""}}
            : core::Command{core::IssueWalkIn{v.services.front(), "nl", "",
                                              std::vector<std::string>(v.services.begin() + 1, v.services.end())}};
        auto events = command(cmd, t, "check-in of " + v.id);
        if (!events) return events.error();
        for (const auto& e : events.value())
            if (const auto* issued = std::get_if<core::TicketIssued>(&e)) {
                m_visitOfTicket[issued->ticket.id] = i;
                VisitOutcome o;
                o.visit = i;
                o.appointment = v.appointment;
                o.checkInAt = t;
                o.waitFrom = core::waitStartsAt(issued->ticket) - m_base;
                o.limitS = v.appointment ? m_trace.rules.apptNormS : m_trace.rules.walkInNormS;
                if (m_opt.scorePredictions) {
                    auto prediction = core::predictWaits(m_state, m_base + t);
                    if (auto it = prediction.tickets.find(issued->ticket.id); it != prediction.tickets.end())
                    {
                        o.predictedWaitS = it->second.waitS;
                        o.predictedLowS = it->second.lowS;
                        o.predictedHighS = it->second.highS;
                    }
                    o.queueEstimateS = queueEstimate(issued->ticket);
                }
                m_outcomeOfTicket[issued->ticket.id] = m_result.visits.size();
                m_result.visits.push_back(o);
            }
        return Ok{};
    }

    // The plain estimate a hall without a model would print: the visitors ahead who need a counter
    // this visitor could also use, times their average expected duration, over the open counters
    // that can serve this visit.
    std::optional<Seconds> queueEstimate(const core::Ticket& ticket) const {
        const core::ServiceMask need = ticket.serviceMask();
        core::ServiceMask reach = 0;
        int open = 0;
        for (std::size_t c = 0; c < m_config.counters.size(); ++c) {
            const core::CounterStatus& st = m_state.counters()[c];
            const core::ServiceMask skills = st.state == core::CounterState::Open ? st.services : 0;
            if (core::servesAll(skills, need)) {
                ++open;
                reach |= skills;
            }
        }
        if (open == 0) {
            // Before opening: the counters as configured.
            for (const auto& cc : m_config.counters)
                if (core::servesAll(cc.skills, need)) { ++open; reach |= cc.skills; }
        }
        if (open == 0) return std::nullopt;
        Seconds work = 0;
        for (const core::Ticket& t : m_state.tickets())
            if (t.id != ticket.id && t.status == core::TicketStatus::Waiting && core::servesAll(reach, t.serviceMask()))
                work += m_state.durations().expectedVisit(m_config, t.services);
        return work / open;
    }

    Status endVisit(const Item& item) {
        const TicketId ticket = static_cast<TicketId>(item.subject);
        const core::Ticket* t = m_state.ticket(ticket);
        const std::size_t c = *t->counter;
        m_result.busyS += item.t - m_counters[c].callAt;
        m_result.lastEndS = std::max(m_result.lastEndS, item.t);
        if (item.flag) {
            if (auto s = command(core::CompleteTicket{ticket, core::Outcome::Handled, ""}, item.t, "end of a visit"); !s) return s.error();
            m_result.visits[m_outcomeOfTicket.at(ticket)].served = true;
            return Ok{};
        }
        if (auto s = command(core::MarkNoShow{ticket, item.requeue}, item.t, "no answer"); !s) return s.error();
        if (item.requeue) push(item.t + m_config.noAnswerCooldownS, Kind::Wake, 0);
        return Ok{};
    }

    // Does the visitor come to their k-th call (0-based) at t? And may they be called again?
    std::pair<bool, bool> answers(const TraceVisit& v, int k, Seconds t) const {
        const auto& calls = v.truth.answersCall;
        const std::size_t total = std::max<std::size_t>(calls.size(), 1);
        const bool more = static_cast<std::size_t>(k) + 1 < total;
        if (v.truth.tLeave && t >= *v.truth.tLeave) return {false, more};
        const bool answered = calls.empty() ? true : calls[std::min(static_cast<std::size_t>(k), calls.size() - 1)];
        return {answered, more};
    }

    Status called(TicketId ticket, std::size_t c, Seconds t) {
        const std::size_t i = m_visitOfTicket.at(ticket);
        const TraceVisit& v = m_trace.visits[i];
        VisitOutcome& o = m_result.visits[m_outcomeOfTicket.at(ticket)];
        if (!o.firstCallAt) o.firstCallAt = t;
        const auto [answered, more] = answers(v, m_calls[i]++, t);
        m_counters[c].callAt = t;
        if (answered) {
            if (auto s = command(core::StartTicket{ticket}, t, "start of " + v.id); !s) return s.error();
            m_counters[c].endAt = t + sum(v.truth.durS);
            push(m_counters[c].endAt, Kind::ServiceEnd, static_cast<std::size_t>(ticket), true);
        } else {
            m_counters[c].endAt = t + m_trace.rules.noAnswerS;
            push(m_counters[c].endAt, Kind::ServiceEnd, static_cast<std::size_t>(ticket), false, more);
        }
        return Ok{};
    }

    // What the visit will really take at its next call: the clairvoyant view's duration.
    Seconds trueDuration(TicketId ticket, Seconds t) const {
        const std::size_t i = m_visitOfTicket.at(ticket);
        const TraceVisit& v = m_trace.visits[i];
        return answers(v, m_calls[i], t).first ? sum(v.truth.durS) : m_trace.rules.noAnswerS;
    }

    core::DispatchView clairvoyantView(Seconds t) const {
        core::DispatchView view = core::buildDispatchView(m_state, m_base + t);
        for (auto& cand : view.waiting) cand.expectedDurationS = trueDuration(cand.id, t);
        for (std::size_t c = 0; c < view.counters.size(); ++c)
            if (m_state.counters()[c].ticket) view.counters[c].freeAt = m_base + m_counters[c].endAt;
        view.upcoming.clear();
        for (const auto& [code, a] : m_state.appointments()) {
            if (a.status != core::AppointmentStatus::Booked || a.day != m_state.day()) continue;
            if (a.startsAt + m_config.normS < m_base + t) continue;
            const TraceVisit& v = m_trace.visits[m_visitOfCode.at(code)];
            if (!v.truth.show) continue; // the clairvoyant knows who will not come
            core::ServiceMask mask = 0;
            for (auto s : a.services) mask |= core::bit(s);
            view.upcoming.push_back({a.startsAt, mask, sum(v.truth.durS)});
        }
        return view;
    }

    Result<std::optional<TicketId>> callNext(std::size_t c, Seconds t) {
        const std::string& id = m_config.counters[c].id;
        if (m_opt.clairvoyant) {
            core::DispatchView view = clairvoyantView(t);
            auto chosen = core::chooseNext(view.input(m_config, m_base + t), view.counters[c]);
            if (!chosen) return std::optional<TicketId>{};
            const TicketId ticket = view.waiting[*chosen].id;
            if (auto s = command(core::CallTicket{id, ticket}, t, "call at " + id); !s) return s.error();
            return std::optional<TicketId>{ticket};
        }
        const auto started = std::chrono::steady_clock::now();
        auto events = command(core::CallNext{id}, t, "call at " + id);
        if (m_opt.timeDecisions)
            m_result.decisionUs.push_back(
                std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count());
        if (!events) return events.error();
        for (const auto& e : events.value())
            if (const auto* call = std::get_if<core::TicketCalled>(&e)) return std::optional<TicketId>{call->ticket};
        return std::optional<TicketId>{};
    }

    // Is anyone waiting whom counter `c` may call now? (The idle-time metric; the core's own rule.)
    bool eligibleWaiting(std::size_t c, Seconds t) {
        const auto& tickets = m_state.tickets();
        // Tickets are in check-in order and a finished one never waits again: skip the done head.
        while (m_firstLive < tickets.size() && !tickets[m_firstLive].live()) ++m_firstLive;
        const core::ServiceMask services = m_state.counters()[c].services;
        return std::any_of(tickets.begin() + static_cast<std::ptrdiff_t>(m_firstLive), tickets.end(), [&](const core::Ticket& ticket) {
            return core::counterMayServe(static_cast<core::CounterIndex>(c), services,
                                         m_state.config().counters[c].sittingDesk, ticket, m_base + t);
        });
    }

    Status dispatch(Seconds t) {
        // Idle time since the last dispatch counts until now.
        for (auto& track : m_counters)
            if (track.idle) m_result.idleWhileWaitingS += t - m_lastDispatch;
        m_lastDispatch = t;
        for (std::size_t c = 0; c < m_config.counters.size(); ++c) {
            m_counters[c].idle = false;
            const core::CounterStatus& st = m_state.counters()[c];
            if (st.state != core::CounterState::Open || st.ticket) continue;
            // Nobody this counter may call: a real counter does not press "next" at an empty
            // queue either (and CallNext would answer with no event).
            if (!eligibleWaiting(c, t)) continue;
            auto ticket = callNext(c, t);
            if (!ticket) return ticket.error();
            if (ticket.value()) {
                if (auto s = called(*ticket.value(), c, t); !s) return s;
            } else {
                m_counters[c].idle = true; // the policy held the counter back from an eligible visitor
            }
        }
        return Ok{};
    }

    Result<ReplayResult> finish() {
        for (auto& track : m_counters)
            if (track.openSince) {
                m_result.availableS += std::max(m_dayEnd, m_lastDispatch) - *track.openSince;
                track.openSince.reset();
            }
        // Booked visitors who never came: part of the book, not of the waits.
        for (std::size_t i = 0; i < m_trace.visits.size(); ++i) {
            const TraceVisit& v = m_trace.visits[i];
            if (v.truth.show) continue;
            VisitOutcome o;
            o.visit = i;
            o.appointment = true;
            o.showed = false;
            m_result.visits.push_back(o);
        }
        m_result.events = m_log.size();
        m_result.log = m_log.lines();
        m_result.fingerprint = m_log.fingerprint();
        m_result.doorsCloseS = m_trace.rules.doorsCloseS;
        m_result.dayEndS = std::max(m_dayEnd, m_result.lastEndS);
        return std::move(m_result);
    }

    const Trace& m_trace;
    const ReplayOptions& m_opt;
    core::HallConfig m_config;
    core::HallState m_state;
    Seconds m_base;
    core::LocalDay m_day;
    EventLog m_log;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> m_queue;
    std::size_t m_seq = 0;
    std::vector<CounterTrack> m_counters;
    std::vector<int> m_calls;
    std::unordered_map<TicketId, std::size_t> m_visitOfTicket;
    std::unordered_map<TicketId, std::size_t> m_outcomeOfTicket;
    std::unordered_map<std::string, std::size_t> m_visitOfCode;
    Seconds m_lastDispatch = 0;
    std::size_t m_firstLive = 0;
    Seconds m_dayEnd = 0;
    ReplayResult m_result;
};

} // namespace

Result<ReplayResult> replay(const Trace& trace, const ReplayOptions& options) {
    core::LocalDay day = 0;
    if (!core::parseDate(trace.meta.date, day))
        return makeError(ErrorCode::InvalidValue, "the trace date '" + trace.meta.date + "' is not YYYY-MM-DD");
    auto config = hallConfigOf(trace, options.policy, options.normParams);
    if (!config) return config.error();
    Replayer replayer(trace, options, std::move(config.value()), day);
    return replayer.run();
}

} // namespace loket::sim
