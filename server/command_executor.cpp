#include "command_executor.hpp"

#include "event_renderer.hpp"
#include "log.hpp"

#include "shared/core/visit_rules.hpp"
#include "shared/proto/event_codec.hpp"

namespace loket::server {
using namespace loket::core;
using Json = nlohmann::json;

CommandExecutor::CommandExecutor(const ServerConfig& config, EventStore& store, LiveState& state, EventBroker& broker,
                                 HallClock& clock, Metrics& metrics)
    : m_config(config), m_store(store), m_state(state), m_broker(broker), m_clock(clock), m_metrics(metrics) {}

Status CommandExecutor::recover() {
    std::lock_guard write(m_writeMutex);
    auto loaded = m_store.loadEvents();
    if (!loaded) return loaded.error();
    const Now now = m_clock.now();
    std::vector<Event> events;
    std::vector<std::int64_t> ids;
    for (const StoredEvent& s : loaded.value()) {
        auto body = Json::parse(s.body, nullptr, false);
        if (body.is_discarded()) return makeError(ErrorCode::StoreFailed, "stored event " + std::to_string(s.id) + " is not JSON");
        auto event = proto::eventFromJson(m_config.hall, s.type, body);
        if (!event) return makeError(event.error().code, "event " + std::to_string(s.id) + ": " + event.error().message);
        events.push_back(std::move(event.value()));
        ids.push_back(s.id);
    }
    // Applied one by one, so each is rendered against the state it produced: the ring holds
    // today's events again and displays resume across a server restart.
    std::vector<SseMessage> replay;
    for (std::size_t i = 0; i < events.size(); ++i) {
        std::optional<CounterIndex> involved = m_state.read([&](const StateView& v) { return counterOfEvent(v.state, events[i]); });
        m_state.apply({events[i]}, ids[i], [&](const HallState& state) {
            for (auto& m : renderEvents(state, {{events[i]}, {ids[i]}, {involved}}, now)) replay.push_back(std::move(m));
        });
    }
    m_state.apply({}, m_store.lastEventId(), [](const HallState&) {});
    m_broker.publish(std::move(replay));
    m_broker.setBaseline(m_store.lastEventId());
    return Ok{};
}

Result<Executed> CommandExecutor::execute(const Command& command, std::optional<IdempotencyRecord> idempotency) {
    std::lock_guard write(m_writeMutex);
    return executeLocked(command, std::move(idempotency));
}

CommandExecutor::Idempotent CommandExecutor::executeOnce(const Command& command, IdempotencyRecord record) {
    std::lock_guard write(m_writeMutex);
    Idempotent out;
    auto found = m_store.findIdempotency(record.key);
    if (!found) {
        out.result = found.error();
        return out;
    }
    if (found.value()) {
        out.previous = *found.value();
        return out;
    }
    out.result = executeLocked(command, std::move(record));
    return out;
}

Result<Executed> CommandExecutor::executeLocked(const Command& command, std::optional<IdempotencyRecord> idempotency) {
    const Now now = m_clock.now();
    // Only this thread changes the state (we hold the writer lock), so what is read here still
    // holds when the events are applied below.
    CommitBatch batch;
    std::vector<std::optional<CounterIndex>> involved;
    Result<std::vector<Event>> decided = m_state.read([&](const StateView& v) -> Result<std::vector<Event>> {
        auto events = decide(v.state, command, now);
        if (!events || events->empty()) return events;
        for (const Event& e : *events) {
            batch.events.emplace_back(eventTypeName(e), proto::eventToJson(m_config.hall, e).dump());
            involved.push_back(counterOfEvent(v.state, e));
        }
        if (std::holds_alternative<DayStarted>(events->front())) {
            batch.purgeBeforeFirstEvent = true;
            if (v.state.dayStarted())
                for (const Ticket& t : v.state.tickets())
                    batch.finishedDay.push_back(visitRecordOf(v.state, t, m_clock.utcOffsetAt(t.issuedAt)));
        }
        return events;
    });
    m_metrics.command(!decided);
    if (!decided) {
        logLine("command", {{"command", commandName(command)}, {"error", errorCodeName(decided.error().code)}});
        return decided.error();
    }
    Executed out{std::move(decided.value()), {}, now};
    if (out.events.empty()) return out;

    batch.today = localDay(now);
    batch.at = now.t;
    if (idempotency) {
        // The ticket the key created: a retry answers with that ticket as it is then.
        for (const Event& e : out.events)
            if (auto* issued = std::get_if<TicketIssued>(&e)) idempotency->response = std::to_string(issued->ticket.id);
        idempotency->day = batch.today;
        batch.idempotency = std::move(idempotency);
    }
    auto ids = m_store.commit(batch);
    if (!ids) {
        logLine("command", {{"command", commandName(command)}, {"error", "store_failed"}, {"detail", ids.error().message}});
        return ids.error(); // nothing was applied: memory and disk still agree
    }
    out.ids = std::move(ids.value());
    // Apply, render and publish under the state's lock: a snapshot's event_id is always an id
    // the stream already knows, so a display that subscribes from it misses nothing.
    m_state.apply(out.events, out.ids.back(), [&](const HallState& state) {
        m_broker.publish(renderEvents(state, {out.events, out.ids, involved}, now));
        count(state, out.events);
    });
    Json types = Json::array();
    for (const Event& e : out.events) types.push_back(eventTypeName(e));
    logLine("command", {{"command", commandName(command)}, {"events", types}, {"last_event_id", out.ids.back()}});
    return out;
}

void CommandExecutor::count(const HallState& state, const std::vector<Event>& events) {
    for (const Event& e : events) {
        if (std::holds_alternative<TicketIssued>(e)) m_metrics.ticketIssued();
        if (auto* c = std::get_if<TicketCalled>(&e)) {
            std::optional<std::int64_t> firstWait;
            if (const Ticket* t = state.ticket(c->ticket); t && t->calls == 1)
                firstWait = c->at - waitStartsAt(*t);
            m_metrics.ticketCalled(firstWait);
        }
    }
}

} // namespace loket::server
