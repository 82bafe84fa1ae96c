// Device routes: what kiosks and displays use — services, check-in, the hall snapshot,
// heartbeats — and the device list staff see.
#include "api.hpp"

#include "crypto.hpp"

namespace loket::server {
using namespace loket::core;

namespace {

bool validLanguage(const std::string& lang) {
    return lang.size() >= 2 && lang.size() <= 3 && lang.find_first_not_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos;
}

Json deviceJson(const DeviceStatus& d, std::int32_t utcOffsetS) {
    return {{"id", d.id}, {"kind", d.role}, {"name", d.name}, {"status", d.status}, {"detail", d.detail},
            {"last_seen", d.lastSeen ? Json(proto::rfc3339(d.lastSeen, utcOffsetS)) : Json(nullptr)}};
}

} // namespace

void Api::installDevices(httplib::Server& server) {
    const std::vector<Role> everyone = {Role::Kiosk, Role::Display, Role::Counter, Role::Admin};

    server.Get("/api/v1/services", [this, everyone](const httplib::Request& req, httplib::Response& res) {
        if (!allow(req, res, everyone)) return;
        m_hall.readPlain([&](const HallView& v) {
            auto waits = m_hall.newWalkInWaits(v.state, v.now.t);
            Json list = Json::array();
            for (std::size_t s = 0; s < v.state.config().services.size(); ++s)
                list.push_back(proto::serviceJson(v.wire(), static_cast<ServiceIndex>(s), waits[s]));
            sendJson(res, 200, list);
        });
    });

    server.Post("/api/v1/tickets", [this](const httplib::Request& req, httplib::Response& res) {
        if (!allow(req, res, {Role::Kiosk, Role::Admin})) return;
        const std::string key = req.get_header_value("Idempotency-Key");
        if (key.empty() || key.size() > 128)
            return sendError(res, ErrorCode::MissingIdempotencyKey, "Send an Idempotency-Key header (1 to 128 characters) with each check-in.");
        auto body = jsonBody(req, {"service", "appointment_code", "language"});
        if (!body) return sendError(res, body.error());
        auto service = optionalString(*body, "service", 64);
        auto code = optionalString(*body, "appointment_code", 64);
        auto language = optionalString(*body, "language", 3);
        for (auto* r : {&service, &code, &language})
            if (!*r) return sendError(res, r->error());
        if (service->has_value() == code->has_value())
            return sendError(res, ErrorCode::MissingField, "Send either 'service' (walk-in) or 'appointment_code'.");
        const std::string lang = language->value_or("nl");
        if (!validLanguage(lang)) return sendError(res, ErrorCode::InvalidValue, "Field 'language' must be a language code like \"nl\".");

        const std::string publicCode = randomToken(16); // 128 bits
        Command command = service->has_value() ? Command{IssueWalkIn{**service, lang, publicCode}}
                                               : Command{CheckInAppointment{**code, lang, publicCode}};
        IdempotencyRecord record;
        record.key = key;
        record.requestHash = sha256Hex(body->dump());
        record.status = 201;
        auto once = m_hall.executeOnce(command, record);
        TicketId ticketId = 0;
        int status = 201;
        if (once.previous) {
            if (once.previous->requestHash != record.requestHash)
                return sendError(res, ErrorCode::IdempotencyConflict, "This Idempotency-Key was used for another request.");
            ticketId = std::stoll(once.previous->response);
            status = 200;
        } else {
            if (!once.result) return sendError(res, once.result.error());
            for (const Event& e : once.result->events)
                if (auto* issued = std::get_if<TicketIssued>(&e)) ticketId = issued->ticket.id;
        }
        m_hall.read([&](const HallView& v) {
            const Ticket* t = v.state.ticket(ticketId);
            if (!t) return sendError(res, ErrorCode::UnknownTicket, "The ticket of this request is from another day.");
            // A ticket newer than the last prediction run shows its service's walk-in estimate.
            std::vector<std::optional<WaitEstimate>> waits;
            auto wire = v.wire();
            if (t->status == TicketStatus::Waiting && (!v.prediction || !v.prediction->tickets.count(t->id))) {
                waits = m_hall.newWalkInWaits(v.state, v.now.t);
                wire.newWalkInWaits = &waits;
            }
            sendJson(res, status, {{"ticket", proto::ticketJson(wire, *t, proto::Audience::Kiosk)},
                                   {"visitor_url", m_hall.config().publicBaseUrl + "/v/" + t->publicCode}});
        });
    });

    server.Get("/api/v1/hall", [this, everyone](const httplib::Request& req, httplib::Response& res) {
        auto who = allow(req, res, everyone);
        if (!who) return;
        const auto audience = who->role == Role::Counter || who->role == Role::Admin ? proto::Audience::Staff : proto::Audience::Display;
        m_hall.read([&](const HallView& v) {
            const HallConfig& config = v.state.config();
            auto waits = m_hall.newWalkInWaits(v.state, v.now.t);
            Json services = Json::array(), counters = Json::array(), calls = Json::array();
            for (std::size_t s = 0; s < config.services.size(); ++s)
                services.push_back(proto::serviceJson(v.wire(), static_cast<ServiceIndex>(s), waits[s]));
            for (std::size_t c = 0; c < config.counters.size(); ++c)
                counters.push_back(proto::counterJson(v.wire(), static_cast<CounterIndex>(c), audience));
            for (const auto& call : v.state.recentCalls()) calls.push_back(proto::recentCallJson(v.wire(), call));
            sendJson(res, 200, {{"event_id", v.eventId},
                                {"hall", {{"name", config.name}, {"norm_s", config.normS}, {"open_now", config.hours.isOpen(v.now)},
                                          {"date", formatDate(localDay(v.now))}, {"now", proto::rfc3339(v.now.t, v.now.utcOffsetS)},
                                          {"policy", policyName(config.policy)}}},
                                {"services", services},
                                {"counters", counters},
                                {"recent_calls", calls}});
        });
    });

    server.Post("/api/v1/devices/heartbeat", [this](const httplib::Request& req, httplib::Response& res) {
        auto who = allow(req, res, {Role::Kiosk, Role::Display});
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
        if (detail.dump().size() > 2048) return sendError(res, ErrorCode::InvalidValue, "Field 'detail' is too large.");
        m_hall.heartbeat(*who->device, *status, detail);
        sendJson(res, 200, {{"status", "ok"}});
    });

    server.Get("/api/v1/devices", [this](const httplib::Request& req, httplib::Response& res) {
        if (!allow(req, res, {Role::Counter, Role::Admin})) return;
        const auto offset = m_hall.clock().now().utcOffsetS;
        Json list = Json::array();
        for (const auto& d : m_hall.devices()) list.push_back(deviceJson(d, offset));
        sendJson(res, 200, list);
    });
}

} // namespace loket::server
