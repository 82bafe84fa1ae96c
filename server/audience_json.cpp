#include "audience_json.hpp"

#include <initializer_list>

namespace loket::server {
using namespace loket::core;

namespace {

// The fields each public audience may see. Anything else the wire JSON holds is dropped.
// (Tickets and counters: their public fields are written out in proto::writeTicket and writeCounter.)
constexpr std::initializer_list<const char*> kDisplayService = {"id", "name", "public_label", "prefix", "walk_in",
                                                                "waiting", "estimated_wait_s", "estimated_wait_range_s"};
constexpr std::initializer_list<const char*> kKioskService = {
    "id", "name", "description", "bring", "public_label", "prefix", "walk_in", "appointment", "online",
    "expected_duration_s", "walk_in_target_s", "waiting", "estimated_wait_s", "estimated_wait_range_s"};
constexpr std::initializer_list<const char*> kRecentCall = {"ticket_id", "number", "counter", "counter_name",
                                                            "called_at", "recall", "language"};
constexpr std::initializer_list<const char*> kVisitorPage = {
    "number", "service", "service_name", "status", "kind", "position", "estimated_wait_s", "estimated_wait_range_s",
    "counter", "language", "feedback_given", "appointment_at"};

Json only(const Json& full, std::initializer_list<const char*> keys) {
    Json out = Json::object();
    for (const char* k : keys)
        if (auto it = full.find(k); it != full.end()) out[k] = *it;
    return out;
}

} // namespace

std::string serviceIdFromPublic(const HallConfig& config, const std::string& id) {
    for (std::size_t s = 0; s < config.services.size(); ++s)
        if (config.services[s].publicLabel && publicServiceId(config, static_cast<ServiceIndex>(s)) == id)
            return config.services[s].id;
    return id;
}

Json publicServiceJson(const proto::WireContext& ctx, ServiceIndex service, const std::optional<WaitEstimate>& newWalkInWait,
                       PublicAudience audience) {
    const HallConfig& config = ctx.state.config();
    Json j = only(proto::serviceJson(ctx, service, newWalkInWait), audience == PublicAudience::Kiosk ? kKioskService : kDisplayService);
    if (const ServiceConfig& s = config.services[service]; s.publicLabel) {
        j["id"] = publicServiceId(config, service);
        j["name"] = proto::localText(*s.publicLabel);
        // The description and what to bring would name the matter again.
        if (j.contains("description")) j["description"] = nullptr;
        if (j.contains("bring")) j["bring"] = nullptr;
    }
    return j;
}

Json publicTicketJson(const proto::WireContext& ctx, const Ticket& ticket, PublicAudience audience) {
    return proto::ticketJson(ctx, ticket, audience == PublicAudience::Kiosk ? proto::Audience::Kiosk : proto::Audience::Display);
}

Json publicCounterJson(const proto::WireContext& ctx, CounterIndex counter) {
    return proto::counterJson(ctx, counter, proto::Audience::Display);
}

std::string checkInAnswerText(const proto::WireContext& ctx, const Ticket& ticket, const std::string& visitorUrl,
                              const std::optional<AnswerEstimate>& estimate) {
    // The keys in sorted order, as the nlohmann object (a std::map) this replaced wrote them.
    std::string out;
    proto::JsonWriter w(out);
    w.beginObject().key("estimate");
    if (estimate) w.beginObject().key("as_of").string(estimate->asOf).key("basis").string(estimate->basis).endObject();
    else w.null();
    w.key("ticket");
    proto::writeTicket(w, ctx, ticket, proto::Audience::Kiosk);
    w.key("visitor_url").string(visitorUrl);
    w.endObject();
    return out;
}

Json publicRecentCallJson(const proto::WireContext& ctx, const RecentCall& call) {
    return only(proto::recentCallJson(ctx, call), kRecentCall);
}

Json visitorPageJson(const proto::WireContext& ctx, const Ticket& ticket) {
    Json j = only(proto::visitJson(ctx, ticket), kVisitorPage);
    j["service"] = publicServiceId(ctx.state.config(), ticket.services.front());
    j["hall"] = ctx.state.config().name;
    return j;
}

} // namespace loket::server
