#include "audience_json.hpp"

#include <initializer_list>

namespace loket::server {
using namespace loket::core;

namespace {

// The fields each public audience may see. Anything else the wire JSON holds is dropped.
constexpr std::initializer_list<const char*> kDisplayTicket = {"id", "number", "service", "status", "counter",
                                                               "counter_name", "language", "called_at"};
constexpr std::initializer_list<const char*> kKioskTicket = {
    "id", "number", "service", "services", "kind", "status", "issued_at", "due_at", "called_at", "counter",
    "counter_name", "language", "position", "estimated_wait_s", "estimated_wait_range_s", "appointment", "public_code"};
constexpr std::initializer_list<const char*> kDisplayService = {"id", "name", "public_label", "prefix", "walk_in",
                                                                "waiting", "estimated_wait_s", "estimated_wait_range_s"};
constexpr std::initializer_list<const char*> kKioskService = {
    "id", "name", "description", "bring", "public_label", "prefix", "walk_in", "appointment", "online",
    "expected_duration_s", "walk_in_target_s", "waiting", "estimated_wait_s", "estimated_wait_range_s"};
constexpr std::initializer_list<const char*> kCounter = {"id", "name", "services", "state", "ticket"};
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

std::optional<ServiceIndex> serviceIndex(const HallConfig& config, const std::string& id) {
    for (std::size_t s = 0; s < config.services.size(); ++s)
        if (config.services[s].id == id) return static_cast<ServiceIndex>(s);
    return std::nullopt;
}

Json publicServiceIds(const HallConfig& config, const Json& realIds) {
    Json out = Json::array();
    for (const auto& id : realIds)
        if (auto s = serviceIndex(config, id.get<std::string>())) out.push_back(publicServiceId(config, *s));
    return out;
}

} // namespace

std::string publicServiceId(const HallConfig& config, ServiceIndex service) {
    const ServiceConfig& s = config.services[service];
    if (!s.publicLabel) return s.id;
    // By position, so it says nothing of the matter; never one of the hall's real ids.
    // Built with append and insert, not `"s" + std::to_string(…)`: GCC 12 at -O3 warns falsely
    // on that operator+ (-Wstringop-overflow, GCC bug 105651).
    std::string id(1, 's');
    id.append(std::to_string(service + 1));
    while (serviceIndex(config, id)) id.insert(id.begin(), '_');
    return id;
}

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

Json displayTicketJson(const HallConfig& config, const Ticket& ticket, const Json& rendered) {
    Json j = only(rendered, kDisplayTicket);
    j["service"] = publicServiceId(config, ticket.services.front());
    return j;
}

Json publicTicketJson(const proto::WireContext& ctx, const Ticket& ticket, PublicAudience audience) {
    const HallConfig& config = ctx.state.config();
    const bool kiosk = audience == PublicAudience::Kiosk;
    if (!kiosk) return displayTicketJson(config, ticket, proto::ticketJson(ctx, ticket, proto::Audience::Display));
    Json j = only(proto::ticketJson(ctx, ticket, proto::Audience::Kiosk), kKioskTicket);
    j["service"] = publicServiceId(config, ticket.services.front());
    if (j.contains("services")) j["services"] = publicServiceIds(config, j["services"]);
    if (kiosk && j["appointment"].is_object()) j["appointment"] = only(j["appointment"], {"starts_at"});
    return j;
}

Json publicCounterJson(const proto::WireContext& ctx, CounterIndex counter) {
    const HallConfig& config = ctx.state.config();
    Json j = only(proto::counterJson(ctx, counter, proto::Audience::Display), kCounter);
    j["services"] = publicServiceIds(config, j["services"]);
    const CounterStatus& st = ctx.state.counters()[counter];
    j["ticket"] = nullptr;
    if (st.ticket)
        if (const Ticket* t = ctx.state.ticket(*st.ticket)) j["ticket"] = publicTicketJson(ctx, *t, PublicAudience::Display);
    return j;
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
