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

// What a display announces: the same for every audience.
void writeCall(proto::JsonWriter& w, const HallConfig& config, const Ticket& t, bool recall, Now now) {
    const CounterConfig& counter = config.counters[*t.counter];
    w.beginObject()
        .key("called_at").string(proto::rfc3339(t.lastCalledAt.value_or(now.t), now.utcOffsetS))
        .key("counter").string(counter.id)
        .key("counter_name").string(counter.name)
        .key("language").string(t.language)
        .key("number").string(t.number)
        .key("recall").boolean(recall)
        .endObject();
}

// One event's payload for one audience. The keys in sorted order, as the nlohmann objects (a
// std::map) this replaced wrote them. A configuration change: staff see what changed and who
// changed it; kiosks and displays what they redraw from — the banner, and whether to fetch the
// services (or the hall) again. A ticket event: the ticket, and the call a display announces.
// An event at a counter: the counter.
struct Payload {
    const HallConfig& config;
    const proto::WireContext& ctx;
    const Event& event;
    const std::string& type;
    const Ticket* ticket;                     // the event's ticket, when it has one
    std::optional<CounterIndex> counter;      // the counter it involved
    Now now;

    std::string render(bool staff) const {
        const auto* configured = std::get_if<ConfigurationChanged>(&event);
        const std::string change = configured ? configChangeName(configured->change) : std::string();
        const bool call = ticket && ticket->counter && (type == "ticket.called" || type == "ticket.recalled");
        std::string out;
        proto::JsonWriter w(out);
        w.beginObject();
        if (configured && staff) w.key("at").string(proto::rfc3339(configured->at, now.utcOffsetS));
        if (configured) {
            w.key("banner").beginObject();
            for (const auto& [code, text] : config.banner) w.key(code).string(text);
            w.endObject();
        }
        if (configured && staff) w.key("by").string(configured->by);
        if (call) {
            w.key("call");
            writeCall(w, config, *ticket, type == "ticket.recalled", now);
        }
        if (configured) w.key("change").string(change);
        if (counter) {
            w.key("counter");
            proto::writeCounter(w, ctx, *counter, staff ? proto::Audience::Staff : proto::Audience::Display);
        }
        if (configured && staff) w.key("detail").raw(proto::configChangeToJson(configured->change).dump());
        if (configured) {
            w.key("hours_changed").boolean(change.rfind("hours.", 0) == 0 || change.rfind("exception.", 0) == 0);
            w.key("services_changed").boolean(change.rfind("service.", 0) == 0 || change.rfind("counter.", 0) == 0);
            w.key("target").string(configChangeTarget(configured->change));
        }
        if (ticket) {
            w.key("ticket");
            proto::writeTicket(w, ctx, *ticket, staff ? proto::Audience::Staff : proto::Audience::Display);
        }
        w.endObject();
        return out;
    }
};

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
        const auto ticketId = eventTicket(e);
        const Payload payload{config, ctx, e, m.type, ticketId ? state.ticket(*ticketId) : nullptr, input.involved[i], now};
        m.data[static_cast<std::size_t>(StreamAudience::Staff)] = payload.render(true);
        m.data[static_cast<std::size_t>(StreamAudience::Public)] = payload.render(false);
        out.push_back(std::move(m));
    }
    return out;
}

} // namespace loket::server
