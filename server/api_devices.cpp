// Device routes: what kiosks and displays use — services, check-in, the hall snapshot,
// heartbeats — and the device list staff see.
#include "api.hpp"
#include "audience_json.hpp"
#include "crypto.hpp"

#include <set>

namespace loket::server {
using namespace loket::core;

namespace {

bool isStaff(const Principal& who) { return who.role == Role::Counter || who.role == Role::Admin; }

// The admin page's line for kiosk and display, by language; empty when there is none.
Json bannerJson(const HallConfig& config) {
    Json j = Json::object();
    for (const auto& [code, text] : config.banner) j[code] = text;
    return j;
}

// A service as the caller's audience sees it.
Json serviceFor(const Principal& who, const proto::WireContext& wire, ServiceIndex s, const std::optional<WaitEstimate>& wait) {
    if (isStaff(who)) return proto::serviceJson(wire, s, wait);
    return publicServiceJson(wire, s, wait, who.role == Role::Kiosk ? PublicAudience::Kiosk : PublicAudience::Display);
}

Json servicesFor(const Principal& who, const HallView& v, const WalkInWaits& waits) {
    Json list = Json::array();
    // A service removed on the admin page is no longer offered; one added since the last
    // prediction shows no estimate yet.
    for (std::size_t s = 0; s < v.state.config().services.size(); ++s)
        if (!v.state.config().services[s].retired)
            list.push_back(serviceFor(who, v.wire(), static_cast<ServiceIndex>(s), s < waits.size() ? waits[s] : std::nullopt));
    return list;
}

void getServices(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Kiosk, Role::Display, Role::Counter, Role::Admin});
    if (!who) return;
    auto waits = parts.predictor.newWalkInWaits(parts.clock.now().t);
    readHallPlain(parts, [&](const HallView& v) { sendJson(res, 200, servicesFor(*who, v, *waits)); });
}

// The kiosk's answer: its ticket (with the visitor code it prints), the visitor page's link, and
// how its wait was estimated. The answer runs no prediction: it takes the latest results (the
// predictor's refresher brings them up to date behind it, docs/api.md "Check-in answer").
// The ticket's own place in the prediction when that run already had it, otherwise its
// service's walk-in wait from the latest run, which the answer says.
void answerTicket(const ServerParts& parts, httplib::Response& res, TicketId ticketId, int status) {
    const Now now = parts.clock.now();
    const LatestWaits latest = parts.predictor.latest(now.t);
    parts.state.read([&](const StateView& state) {
        const HallView v{state.state, now, state.eventId, latest.prediction};
        const Ticket* t = v.state.ticket(ticketId);
        if (!t) return sendError(res, ErrorCode::UnknownTicket, "The ticket of this request is from another day.");
        auto wire = v.wire();
        std::optional<AnswerEstimate> estimate;
        if (t->status == TicketStatus::Waiting) {
            const auto s = static_cast<std::size_t>(t->services.front());
            if (latest.prediction->tickets.count(ticketId))
                estimate = AnswerEstimate{"ticket", proto::rfc3339(latest.predictionAt, now.utcOffsetS)};
            else if (s < latest.walkIn->size() && (*latest.walkIn)[s])
                estimate = AnswerEstimate{"walk_in", proto::rfc3339(latest.walkInAt, now.utcOffsetS)};
            wire.newWalkInWaits = latest.walkIn.get();
        }
        sendJsonText(res, status, checkInAnswerText(wire, *t, parts.config.publicBaseUrl + "/v/" + t->publicCode, estimate));
    });
}

// POST /api/v1/tickets: a check-in, walk-in or with an appointment, exactly once per
// Idempotency-Key.
void postTicket(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Kiosk, Role::Admin});
    if (!who) return;
    if (std::int64_t retryAfterS = 0; !parts.auth.takeCheckIn(*who, parts.clock.now().t, retryAfterS)) {
        res.set_header("Retry-After", std::to_string(retryAfterS));
        return sendError(res, ErrorCode::TooManyRequests,
                         "This device checks in more visitors than a kiosk can; wait " + std::to_string(retryAfterS) + " s.");
    }
    auto request = readCheckIn(req, {"service", "appointment_code", "language", "needs"});
    if (!request) return sendError(res, request.error());
    // A walk-in's needs from the kiosk's optional step (docs/api.md); an appointment has none here.
    VisitNeeds needs;
    if (request->body.contains("needs")) {
        if (!request->service) return sendError(res, ErrorCode::InvalidValue, "needs go with a walk-in ('service') only.");
        auto parsed = proto::needsFromJson(request->body["needs"]);
        if (!parsed) return sendError(res, parsed.error());
        needs = *parsed;
    }
    const std::optional<std::string>& service = request->service;
    const std::optional<std::string>& code = request->appointmentCode;
    const std::string& lang = request->language;

    const std::string publicCode = randomToken(16); // 128 bits
    // The live configuration (the admin page may have added the service since the start).
    Command command = service.has_value()
                          ? Command{IssueWalkIn{readHallPlain(parts, [&](const HallView& v) { return serviceIdFromPublic(v.state.config(), *service); }),
                                                lang, publicCode, {}, needs}}
                          : Command{CheckInAppointment{*code, lang, publicCode}};
    IdempotencyRecord record;
    record.key = request->key;
    record.requestHash = sha256Hex(request->body.dump());
    record.status = 201;
    auto once = parts.commands.executeOnce(command, record);
    if (!once.previous && !once.result && code.has_value() && parts.booking &&
        once.result.error().code == ErrorCode::UnknownAppointment) {
        // A code the book does not know may be a booking system's (docs/booking.md).
        auto resolved = parts.booking->resolve(*code);
        if (!resolved) return sendError(res, resolved.error());
        if (*resolved) once = parts.commands.executeOnce(Command{CheckInAppointment{**resolved, lang, publicCode}}, record);
    }
    if (once.previous) {
        if (once.previous->requestHash != record.requestHash)
            return sendError(res, ErrorCode::IdempotencyConflict, "This Idempotency-Key was used for another request.");
        return answerTicket(parts, res, std::stoll(once.previous->response), 200);
    }
    if (!once.result) return sendError(res, once.result.error());
    TicketId ticketId = 0;
    for (const Event& e : once.result->events)
        if (auto* issued = std::get_if<TicketIssued>(&e)) ticketId = issued->ticket.id;
    answerTicket(parts, res, ticketId, 201);
}

// GET /api/v1/hall: the snapshot a display or staff page starts from; its event_id is where
// the event stream takes over.
void getHall(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Kiosk, Role::Display, Role::Counter, Role::Admin});
    if (!who) return;
    auto waits = parts.predictor.newWalkInWaits(parts.clock.now().t);
    readHall(parts, [&](const HallView& v) {
        const HallConfig& config = v.state.config();
        Json counters = Json::array(), calls = Json::array();
        for (std::size_t c = 0; c < config.counters.size(); ++c) {
            const auto index = static_cast<CounterIndex>(c);
            counters.push_back(isStaff(*who) ? proto::counterJson(v.wire(), index, proto::Audience::Staff)
                                             : publicCounterJson(v.wire(), index));
        }
        for (const auto& call : v.state.recentCalls()) calls.push_back(publicRecentCallJson(v.wire(), call));
        sendJson(res, 200, {{"event_id", v.eventId},
                            {"hall", {{"name", config.name}, {"norm_s", config.normS}, {"open_now", config.hours.isOpen(v.now)},
                                      {"date", formatDate(localDay(v.now))}, {"now", proto::rfc3339(v.now.t, v.now.utcOffsetS)},
                                      {"policy", policyName(config.policy)}, {"banner", bannerJson(config)}}},
                            {"services", servicesFor(*who, v, *waits)},
                            {"counters", counters},
                            {"recent_calls", calls}});
    });
}

void postHeartbeat(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Kiosk, Role::Display});
    if (!who) return;
    auto body = jsonBody(req, {"status", "detail"});
    if (!body) return sendError(res, body.error());
    auto status = requiredString(*body, "status", 16);
    if (!status) return sendError(res, status.error());
    if (*status != "ok" && *status != "degraded" && *status != "error")
        return sendError(res, ErrorCode::InvalidValue, "Field 'status' must be ok, degraded or error.");
    Json detail = body->value("detail", Json::object());
    if (!detail.is_object()) return sendError(res, ErrorCode::InvalidValue, "Field 'detail' must be an object.");
    if (detail.contains("printer")) {
        static const std::set<std::string> printer = {"ok", "paper_low", "paper_out", "cover_open", "offline"};
        if (!detail["printer"].is_string() || !printer.count(detail["printer"].get<std::string>()))
            return sendError(res, ErrorCode::InvalidValue, "detail.printer must be ok, paper_low, paper_out, cover_open or offline.");
    }
    for (const char* count : {"unsent_tickets", "no_number_tickets"})
        if (detail.contains(count) && (!detail[count].is_number_integer() || detail[count].get<std::int64_t>() < 0))
            return sendError(res, ErrorCode::InvalidValue, std::string("detail.") + count + " must be a whole number, 0 or more.");
    if (detail.dump().size() > 2048) return sendError(res, ErrorCode::InvalidValue, "Field 'detail' is too large.");
    parts.devices.heartbeat(*who->device, *status, detail);
    sendJson(res, 200, {{"status", "ok"}});
}

void getDevices(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Counter, Role::Admin})) return;
    const auto offset = parts.clock.now().utcOffsetS;
    Json list = Json::array();
    for (const auto& d : parts.devices.devices()) list.push_back(DeviceRegistry::toJson(d, offset));
    sendJson(res, 200, list);
}

} // namespace

void installDeviceRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Get("/api/v1/services", route(parts, getServices));
    server.Post("/api/v1/tickets", route(parts, postTicket));
    server.Get("/api/v1/hall", route(parts, getHall));
    server.Post("/api/v1/devices/heartbeat", route(parts, postHeartbeat));
    server.Get("/api/v1/devices", route(parts, getDevices));
}

} // namespace loket::server
