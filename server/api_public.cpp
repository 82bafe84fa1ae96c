// Public routes: health, metrics, and the visitor's own page data (no login, no personal data).
#include "api.hpp"
#include "audience_json.hpp"

namespace loket::server {
using namespace loket::core;

namespace {

void getHealth(const ServerParts& parts, const httplib::Request&, httplib::Response& res) {
    if (auto st = parts.store.probeWrite(); !st)
        return sendJson(res, 503, {{"status", "unavailable"}, {"error", {{"code", "store_failed"}, {"message", st.error().message}}}});
    sendJson(res, 200, {{"status", "ok"}});
}

// One location's gauges (the hall's in a one-location hall).
Metrics::Gauges gaugesOf(const ServerParts& parts) {
    Metrics::Gauges gauges;
    gauges.location = parts.location;
    gauges.sseClients = parts.broker.subscribers();
    readHallPlain(parts, [&](const HallView& v) {
        for (std::size_t s = 0; s < v.state.config().services.size(); ++s)
            gauges.waitingByService.emplace_back(v.state.config().services[s].id, v.state.waitingCount(static_cast<ServiceIndex>(s)));
        return 0;
    });
    for (const auto& d : parts.devices.devices()) {
        if (d.role != "kiosk" || !d.detail.contains("unsent_tickets")) continue;
        gauges.offlineKiosks.push_back({d.id, d.detail.value("unsent_tickets", std::int64_t{0}), d.detail.value("no_number_tickets", std::int64_t{0})});
    }
    return gauges;
}

// GET /metrics: in a city every location's figures, each series labelled with its location.
void getMetrics(const ServerParts& parts, const httplib::Request&, httplib::Response& res) {
    std::vector<Metrics::Gauges> gauges;
    std::vector<const booking::BookingSync*> syncs;
    if (parts.locations) {
        for (const auto& [id, p] : parts.locations->all()) {
            gauges.push_back(gaugesOf(*p));
            syncs.push_back(p->booking);
        }
    } else {
        gauges.push_back(gaugesOf(parts));
        syncs.push_back(parts.booking);
    }
    res.set_content(parts.metrics.render(gauges) + booking::bookingMetricsText(syncs), "text/plain; version=0.0.4");
}

// GET /api/v1/visits/{code}: the visitor page's data; the code is the only key.
void getVisit(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    const std::string code = req.matches[1];
    readHall(parts, [&](const HallView& v) {
        const Ticket* t = v.state.ticketByPublicCode(code);
        if (!t) return sendError(res, ErrorCode::UnknownVisit, "This ticket is unknown or has expired.");
        sendJson(res, 200, visitorPageJson(v.wire(), *t));
    });
}

void postFeedback(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto body = jsonBody(req, {"score", "comment"});
    if (!body) return sendError(res, body.error());
    auto score = optionalInteger(*body, "score", 1, 10);
    if (!score) return sendError(res, score.error());
    if (!*score) return sendError(res, ErrorCode::MissingField, "Field 'score' (1 to 10) is required.");
    auto comment = optionalString(*body, "comment", 1000);
    if (!comment) return sendError(res, comment.error());
    auto done = parts.commands.execute(GiveFeedback{req.matches[1], static_cast<int>(**score), comment->value_or("")});
    if (!done) return sendError(res, done.error());
    sendJson(res, 201, {{"status", "thank_you"}});
}

} // namespace

void installPublicRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Get("/healthz", route(parts, getHealth));
    server.Get("/metrics", route(parts, getMetrics));
    server.Get(R"(/api/v1/visits/([A-Za-z0-9_-]{1,64}))", route(parts, getVisit));
    server.Post(R"(/api/v1/visits/([A-Za-z0-9_-]{1,64})/feedback)", route(parts, postFeedback));
}

} // namespace loket::server
