#include "event_renderer.hpp"

#include "audience_json.hpp"

#include "shared/proto/configuration_json.hpp"
#include "shared/proto/wire_json.hpp"

namespace loket::server {
using namespace loket::core;

std::optional<CounterIndex> counterOfEvent(const HallState& state, const Event& event) {
    if (auto* c = std::get_if<CounterUpdated>(&event)) return c->counter;
    if (auto* c = std::get_if<TicketCalled>(&event)) return c->counter;
    if (auto id = eventTicket(event))
        if (const Ticket* t = state.ticket(*id)) return t->counter;
    return std::nullopt;
}

namespace {

bool streamed(const std::string& type, const Event& e) {
    // Day rollover, leases and feedback stay internal: they keep their id, but no stream shows them.
    // A booking made, changed or cancelled is streamed with an empty payload (no code, no name):
    // offline-capable kiosks fetch their book of keyed hashes again (issue 13).
    return (type.rfind("ticket.", 0) == 0 || type.rfind("appointment.", 0) == 0 || type == "counter.updated" ||
            type == "configuration.changed") &&
           !std::holds_alternative<FeedbackGiven>(e);
}

// A configuration change: staff see what changed and who changed it; kiosks and displays what
// they redraw from — the banner, and whether to fetch the services (or the hall) again.
void configurationJson(const HallConfig& config, const ConfigurationChanged& e, Now now, Json& staff, Json& shown) {
    Json banner = Json::object();
    for (const auto& [code, text] : config.banner) banner[code] = text;
    const std::string type = configChangeName(e.change);
    shown = {{"change", type}, {"target", configChangeTarget(e.change)}, {"banner", banner},
             {"services_changed", type.rfind("service.", 0) == 0 || type.rfind("counter.", 0) == 0},
             {"hours_changed", type.rfind("hours.", 0) == 0 || type.rfind("exception.", 0) == 0}};
    staff = shown;
    staff["detail"] = proto::configChangeToJson(e.change);
    staff["by"] = e.by;
    staff["at"] = proto::rfc3339(e.at, now.utcOffsetS);
}

// What a display announces: the same for every audience.
Json callJson(const HallConfig& config, const Ticket& t, bool recall, Now now) {
    return {{"number", t.number},
            {"counter", config.counters[*t.counter].id},
            {"counter_name", config.counters[*t.counter].name},
            {"called_at", proto::rfc3339(t.lastCalledAt.value_or(now.t), now.utcOffsetS)},
            {"language", t.language},
            {"recall", recall}};
}

} // namespace

std::vector<SseMessage> renderEvents(const HallState& state, const RenderInput& input, Now now) {
    const HallConfig& config = state.config();
    proto::WireContext ctx{state, now.utcOffsetS, nullptr};
    std::vector<SseMessage> out;
    for (std::size_t i = 0; i < input.events.size(); ++i) {
        const Event& e = input.events[i];
        SseMessage m;
        m.id = input.ids[i];
        m.type = eventTypeName(e);
        if (!streamed(m.type, e)) {
            m.published = false;
            out.push_back(std::move(m));
            continue;
        }
        Json staff = Json::object(), shown = Json::object();
        if (const auto* configured = std::get_if<ConfigurationChanged>(&e)) configurationJson(config, *configured, now, staff, shown);
        if (auto ticketId = eventTicket(e))
            if (const Ticket* t = state.ticket(*ticketId)) {
                staff["ticket"] = proto::ticketJson(ctx, *t, proto::Audience::Staff);
                shown["ticket"] = displayTicketJson(config, *t, staff["ticket"]);
                if ((m.type == "ticket.called" || m.type == "ticket.recalled") && t->counter) {
                    staff["call"] = callJson(config, *t, m.type == "ticket.recalled", now);
                    shown["call"] = staff["call"];
                }
            }
        if (input.involved[i]) {
            staff["counter"] = proto::counterJson(ctx, *input.involved[i], proto::Audience::Staff);
            shown["counter"] = publicCounterJson(ctx, *input.involved[i]);
        }
        m.data[static_cast<std::size_t>(StreamAudience::Staff)] = staff.dump();
        m.data[static_cast<std::size_t>(StreamAudience::Public)] = shown.dump();
        out.push_back(std::move(m));
    }
    return out;
}

} // namespace loket::server
