#include "hall.hpp"

#include "log.hpp"

#include "shared/core/visit_rules.hpp"
#include "shared/proto/event_codec.hpp"

#include <algorithm>

namespace loket::server {
using namespace loket::core;
using Json = nlohmann::json;

namespace {
// Waits change as time passes even when nothing happens; recompute at most this often then.
constexpr Seconds kPredictionMaxAgeS = 10;
constexpr std::size_t kExactPredictionUpTo = 300;
constexpr Seconds kDeviceOfflineAfterS = 30;

std::optional<CounterIndex> counterOfEvent(const HallState& state, const Event& event) {
    if (auto* c = std::get_if<CounterUpdated>(&event)) return c->counter;
    if (auto* c = std::get_if<TicketCalled>(&event)) return c->counter;
    if (auto id = eventTicket(event))
        if (const Ticket* t = state.ticket(*id)) return t->counter;
    return std::nullopt;
}
} // namespace

Hall::Hall(const ServerConfig& config, std::unique_ptr<EventStore> store, HallClock& clock)
    : m_config(config), m_store(std::move(store)), m_clock(clock), m_state(config.hall) {
    for (const auto& d : config.devices)
        if (d.role != Role::Admin) m_devices[d.id] = DeviceStatus{d.id, roleName(d.role), d.name, "unknown", Json::object(), 0};
}

Status Hall::recover() {
    std::vector<StoredEvent> stored;
    {
        std::lock_guard lock(m_storeMutex);
        auto loaded = m_store->loadEvents();
        if (!loaded) return loaded.error();
        stored = std::move(loaded.value());
    }
    std::unique_lock lock(m_stateMutex);
    std::vector<SseMessage> replay;
    const Now now = m_clock.now();
    for (const StoredEvent& s : stored) {
        auto body = Json::parse(s.body, nullptr, false);
        if (body.is_discarded()) return makeError(ErrorCode::StoreFailed, "stored event " + std::to_string(s.id) + " is not JSON");
        auto event = proto::eventFromJson(m_config.hall, s.type, body);
        if (!event) return makeError(event.error().code, "event " + std::to_string(s.id) + ": " + event.error().message);
        auto involved = counterOfEvent(m_state, event.value());
        m_state.apply(event.value());
        // The ring holds today's events again, so displays resume across a server restart.
        auto rendered = render({event.value()}, {s.id}, {involved}, now);
        for (auto& m : rendered) replay.push_back(std::move(m));
    }
    ++m_version;
    m_appliedEventId = m_store->lastEventId();
    m_broker.publish(std::move(replay));
    m_broker.setBaseline(m_store->lastEventId());
    return Ok{};
}

Result<Executed> Hall::execute(const Command& command, std::optional<IdempotencyRecord> idempotency) {
    std::lock_guard write(m_writeMutex);
    return executeLocked(command, std::move(idempotency));
}

Hall::Idempotent Hall::executeOnce(const Command& command, IdempotencyRecord record) {
    std::lock_guard write(m_writeMutex);
    Idempotent out;
    {
        std::lock_guard lock(m_storeMutex);
        auto found = m_store->findIdempotency(record.key);
        if (!found) {
            out.result = found.error();
            return out;
        }
        if (found.value()) {
            out.previous = *found.value();
            return out;
        }
    }
    out.result = executeLocked(command, std::move(record));
    return out;
}

Result<Executed> Hall::executeLocked(const Command& command, std::optional<IdempotencyRecord> idempotency) {
    const Now now = m_clock.now();
    Result<std::vector<Event>> decided = [&] {
        std::shared_lock lock(m_stateMutex);
        return decide(m_state, command, now);
    }();
    {
        std::lock_guard l(m_countersMutex);
        m_counters.commands += 1;
        if (!decided) m_counters.commandErrors += 1;
    }
    if (!decided) {
        logLine("command", {{"command", commandName(command)}, {"error", errorCodeName(decided.error().code)}});
        return decided.error();
    }
    Executed out{std::move(decided.value()), {}, now};
    if (out.events.empty()) return out;

    CommitBatch batch;
    batch.today = localDay(now);
    std::vector<std::optional<CounterIndex>> involved;
    {
        std::shared_lock lock(m_stateMutex);
        for (const Event& e : out.events) {
            batch.events.emplace_back(eventTypeName(e), proto::eventToJson(m_config.hall, e).dump());
            involved.push_back(counterOfEvent(m_state, e));
        }
        if (std::holds_alternative<DayStarted>(out.events.front())) {
            batch.purgeBeforeFirstEvent = true;
            if (m_state.dayStarted())
                for (const Ticket& t : m_state.tickets())
                    batch.finishedDay.push_back(visitRecordOf(m_state, t, m_clock.utcOffsetAt(t.issuedAt)));
        }
    }
    if (idempotency) {
        // The ticket the key created: a retry answers with that ticket as it is then.
        for (const Event& e : out.events)
            if (auto* issued = std::get_if<TicketIssued>(&e)) idempotency->response = std::to_string(issued->ticket.id);
        idempotency->day = batch.today;
        batch.idempotency = std::move(idempotency);
    }
    {
        std::lock_guard lock(m_storeMutex);
        auto ids = m_store->commit(batch);
        if (!ids) {
            logLine("command", {{"command", commandName(command)}, {"error", "store_failed"}, {"detail", ids.error().message}});
            return ids.error(); // nothing was applied: memory and disk still agree
        }
        out.ids = std::move(ids.value());
    }
    {
        // Apply, render and publish under one lock: a snapshot's event_id is always an id the
        // stream already knows, so a display that subscribes from it misses nothing.
        std::unique_lock lock(m_stateMutex);
        for (const Event& e : out.events) m_state.apply(e);
        ++m_version;
        m_appliedEventId = out.ids.back();
        m_waitingCount = static_cast<std::size_t>(std::count_if(m_state.tickets().begin(), m_state.tickets().end(),
            [](const Ticket& t) { return t.status == TicketStatus::Waiting; }));
        m_broker.publish(render(out.events, out.ids, involved, now));
        std::lock_guard l(m_countersMutex);
        for (const Event& e : out.events) {
            if (std::holds_alternative<TicketIssued>(e)) m_counters.issued += 1;
            if (auto* c = std::get_if<TicketCalled>(&e)) {
                m_counters.calls += 1;
                if (const Ticket* t = m_state.ticket(c->ticket); t && t->calls == 1)
                    m_callWaits.push_back(c->at - waitStartsAt(*t));
            }
        }
    }
    Json ids = Json::array();
    for (std::size_t i = 0; i < out.events.size(); ++i) ids.push_back(eventTypeName(out.events[i]));
    logLine("command", {{"command", commandName(command)}, {"events", ids}, {"last_event_id", out.ids.back()}});
    return out;
}

std::vector<SseMessage> Hall::render(const std::vector<Event>& events, const std::vector<std::int64_t>& ids,
                                     const std::vector<std::optional<CounterIndex>>& involved, Now now) {
    proto::WireContext ctx{m_state, now.utcOffsetS, nullptr};
    std::vector<SseMessage> out;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const Event& e = events[i];
        SseMessage m;
        m.id = ids[i];
        m.type = eventTypeName(e);
        const auto ticketId = eventTicket(e);
        const bool apiType = m.type.rfind("ticket.", 0) == 0 || m.type == "counter.updated";
        if (!apiType || std::holds_alternative<FeedbackGiven>(e)) {
            m.published = false;
            out.push_back(std::move(m));
            continue;
        }
        Json staff = Json::object(), display = Json::object();
        if (ticketId) {
            if (const Ticket* t = m_state.ticket(*ticketId)) {
                staff["ticket"] = proto::ticketJson(ctx, *t, proto::Audience::Staff);
                display["ticket"] = proto::ticketJson(ctx, *t, proto::Audience::Display);
                if ((m.type == "ticket.called" || m.type == "ticket.recalled") && t->counter) {
                    Json call = {{"number", t->number},
                                 {"counter", m_config.hall.counters[*t->counter].id},
                                 {"counter_name", m_config.hall.counters[*t->counter].name},
                                 {"called_at", proto::rfc3339(t->lastCalledAt.value_or(now.t), now.utcOffsetS)},
                                 {"language", t->language},
                                 {"recall", m.type == "ticket.recalled"}};
                    staff["call"] = call;
                    display["call"] = call;
                }
            }
        }
        if (involved[i]) {
            staff["counter"] = proto::counterJson(ctx, *involved[i], proto::Audience::Staff);
            display["counter"] = proto::counterJson(ctx, *involved[i], proto::Audience::Display);
        }
        m.staffData = staff.dump();
        m.displayData = display.dump();
        out.push_back(std::move(m));
    }
    return out;
}

// The forward run costs O(n²) in the waiting visitors. In a real hall (a few hundred waiting at
// most) it is redone after every change; in an overloaded one at most once a second, and a
// ticket newer than the last run shows its service's walk-in estimate meanwhile.
bool Hall::predictionStale(std::uint64_t version, Seconds at, Seconds now) const {
    if (now - at >= kPredictionMaxAgeS) return true;
    if (version == m_version) return false;
    return m_waitingCount < kExactPredictionUpTo || now - at >= 1;
}

std::shared_ptr<const WaitPrediction> Hall::prediction(Seconds now) {
    std::lock_guard lock(m_predictionMutex);
    if (!m_prediction || predictionStale(m_predictionVersion, m_predictionAt, now)) {
        m_prediction = std::make_shared<const WaitPrediction>(predictWaits(m_state, now));
        m_predictionVersion = m_version;
        m_predictionAt = now;
    }
    return m_prediction;
}

std::vector<std::optional<WaitEstimate>> Hall::newWalkInWaits(const HallState& state, Seconds now) {
    std::lock_guard lock(m_predictionMutex);
    if (m_walkInWaits.empty() || predictionStale(m_walkInVersion, m_walkInAt, now)) {
        m_walkInWaits.clear();
        for (std::size_t s = 0; s < state.config().services.size(); ++s)
            m_walkInWaits.push_back(predictNewWalkIn(state, now, static_cast<ServiceIndex>(s)));
        m_walkInVersion = m_version;
        m_walkInAt = now;
    }
    return m_walkInWaits;
}

Result<std::vector<VisitRecord>> Hall::visitsOf(LocalDay day) {
    {
        std::shared_lock lock(m_stateMutex);
        if (m_state.dayStarted() && m_state.day() == day) {
            std::vector<VisitRecord> out;
            for (const Ticket& t : m_state.tickets()) out.push_back(visitRecordOf(m_state, t, m_clock.utcOffsetAt(t.issuedAt)));
            return out;
        }
    }
    std::lock_guard lock(m_storeMutex);
    return m_store->visits(day);
}

Status Hall::probeWrite() {
    std::lock_guard lock(m_storeMutex);
    return m_store->probeWrite();
}

void Hall::heartbeat(const DeviceConfig& device, const std::string& status, const Json& detail) {
    DeviceStatus changed;
    bool publish = false;
    {
        std::lock_guard lock(m_devicesMutex);
        DeviceStatus& d = m_devices[device.id];
        publish = d.status != status || d.detail != detail;
        d.id = device.id;
        d.role = roleName(device.role);
        d.name = device.name;
        d.status = status;
        d.detail = detail;
        d.lastSeen = m_clock.now().t;
        changed = d;
    }
    if (publish) publishDevice(changed);
}

std::vector<DeviceStatus> Hall::devices() {
    std::lock_guard lock(m_devicesMutex);
    std::vector<DeviceStatus> out;
    const Seconds now = m_clock.now().t;
    for (auto& [id, d] : m_devices) {
        DeviceStatus copy = d;
        if (copy.lastSeen == 0) copy.status = "offline";
        else if (now - copy.lastSeen > kDeviceOfflineAfterS) copy.status = "offline";
        out.push_back(std::move(copy));
    }
    return out;
}

void Hall::publishDevice(const DeviceStatus& d) {
    const Now now = m_clock.now();
    Json j = {{"id", d.id}, {"kind", d.role}, {"name", d.name}, {"status", d.status}, {"detail", d.detail},
              {"last_seen", d.lastSeen ? Json(proto::rfc3339(d.lastSeen, now.utcOffsetS)) : Json(nullptr)}};
    SseMessage m;
    m.type = "device.updated";
    m.staffData = Json{{"device", j}}.dump();
    m_broker.publish({m});
}

void Hall::housekeeping() {
    const Now now = m_clock.now();
    bool newDay = false;
    {
        std::shared_lock lock(m_stateMutex);
        newDay = !m_state.dayStarted() || localDay(now) > m_state.day();
    }
    // At midnight the day rolls over even if nobody does anything: yesterday's personal data go.
    if (newDay) (void)execute(StartDay{localDay(now)});
    std::vector<DeviceStatus> wentOffline;
    {
        std::lock_guard lock(m_devicesMutex);
        for (auto& [id, d] : m_devices)
            if (d.lastSeen && d.status != "offline" && now.t - d.lastSeen > kDeviceOfflineAfterS) {
                d.status = "offline";
                wentOffline.push_back(d);
            }
    }
    for (const auto& d : wentOffline) publishDevice(d);
}

std::vector<Seconds> Hall::takeCallWaits() {
    std::lock_guard l(m_countersMutex);
    return std::exchange(m_callWaits, {});
}

} // namespace loket::server
