// Device enrolment routes (enrolment.hpp): a new kiosk or display asks for a pairing and shows
// the code; a hall manager approves and names it; the device collects its own token, renews it
// before it expires, and stops working when revoked.
#include "api.hpp"

#include "shared/proto/rfc3339.hpp"

namespace loket::server {
using namespace loket::core;

namespace {

Json deviceJson(const ServerParts& parts, const Enrolment::DeviceInfo& d) {
    Json out = {{"id", d.id}, {"name", d.name}, {"role", roleName(d.role)}, {"enrolled_at", timeText(parts, d.enrolledAt)},
                {"revoked_at", d.revokedAt ? Json(timeText(parts, *d.revokedAt)) : Json()}};
    if (!d.location.empty()) out["location"] = d.location;
    return out;
}

Json tokenJson(const ServerParts& parts, const Enrolment::IssuedToken& t) {
    return {{"device_id", t.deviceId}, {"role", roleName(t.role)}, {"token", t.token},
            {"expires_at", timeText(parts, t.expiresAt)}, {"rotate_at", timeText(parts, t.rotateAt)},
            {"rotate_in_s", Enrolment::kRotateAfterS}};
}

// POST /api/v1/devices/pair {role}: no credential needed; the answer's secret is the device's only.
void postPair(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto body = jsonBody(req, {"role"});
    if (!body) return sendError(res, body.error());
    auto role = requiredString(*body, "role", 16);
    if (!role) return sendError(res, role.error());
    if (*role != "kiosk" && *role != "display") return sendError(res, ErrorCode::InvalidValue, "role must be kiosk or display.");
    const std::int64_t now = parts.clock.now().t;
    auto started = parts.enrolment.startPairing(*role == "kiosk" ? Role::Kiosk : Role::Display, req.remote_addr, now);
    if (!started) return sendError(res, started.error());
    sendJson(res, 201, {{"pairing_code", started->code}, {"pairing_secret", started->secret},
                        {"expires_at", timeText(parts, started->expiresAt)}, {"poll_after_s", 2}});
}

// POST /api/v1/devices/pair/claim {pairing_secret}: 202 while waiting, 200 with the token once approved.
void postClaim(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto body = jsonBody(req, {"pairing_secret"});
    if (!body) return sendError(res, body.error());
    auto secret = requiredString(*body, "pairing_secret", 128);
    if (!secret) return sendError(res, secret.error());
    auto claimed = parts.enrolment.claim(*secret, parts.clock.now().t);
    if (!claimed) return sendError(res, claimed.error());
    if (!*claimed) return sendJson(res, 202, {{"status", "waiting"}});
    sendJson(res, 200, tokenJson(parts, **claimed));
}

// POST /api/v1/devices/token: an enrolled device's next token (the current one stays valid until it expires).
void postToken(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Kiosk, Role::Display});
    if (!who) return;
    if (!who->enrolled) return sendError(res, ErrorCode::Forbidden, "Only enrolled devices renew their token; this one is configured.");
    auto token = parts.enrolment.rotate(who->id, parts.clock.now().t);
    if (!token) return sendError(res, token.error());
    sendJson(res, 200, tokenJson(parts, *token));
}

void getPairings(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Admin})) return;
    Json list = Json::array();
    for (const auto& p : parts.enrolment.pending(parts.clock.now().t))
        list.push_back({{"pairing_code", p.code}, {"role", roleName(p.role)}, {"address", p.address},
                        {"created_at", timeText(parts, p.createdAt)}, {"expires_at", timeText(parts, p.expiresAt)}});
    sendJson(res, 200, list);
}

// POST /api/v1/devices/pairings/{code}/approve {name}
void postApprove(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Admin});
    if (!who) return;
    auto body = jsonBody(req, {"name"});
    if (!body) return sendError(res, body.error());
    auto name = requiredString(*body, "name", 80);
    if (!name) return sendError(res, name.error());
    auto device = parts.enrolment.approve(req.matches[1], *name, who->location, parts.clock.now().t);
    if (!device) return sendError(res, device.error());
    sendJson(res, 201, {{"device", deviceJson(parts, *device)}});
    auditIfDone(parts, *who, res, "device.enrol", device->id, roleName(device->role));
}

void getEnrolled(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Admin});
    if (!who) return;
    Json list = Json::array();
    for (const auto& d : parts.enrolment.devices(who->location)) list.push_back(deviceJson(parts, d));
    sendJson(res, 200, list);
}

// POST /api/v1/devices/enrolled/{id}/{rename|revoke}
void postEnrolledAction(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Admin});
    if (!who) return;
    const std::string id = req.matches[1], action = req.matches[2];
    Result<Enrolment::DeviceInfo> done = makeError(ErrorCode::Internal, "");
    if (action == "rename") {
        auto body = jsonBody(req, {"name"});
        if (!body) return sendError(res, body.error());
        auto name = requiredString(*body, "name", 80);
        if (!name) return sendError(res, name.error());
        done = parts.enrolment.rename(id, *name, who->location);
    } else {
        auto body = jsonBody(req, {}, true);
        if (!body) return sendError(res, body.error());
        done = parts.enrolment.revoke(id, who->location, parts.clock.now().t);
        // A revoked kiosk's unused leases end at once (its tickets from before still count).
        if (done)
            if (auto ended = parts.commands.execute(EndKioskLeases{id}); !ended) return sendError(res, ended.error());
    }
    if (!done) return sendError(res, done.error());
    sendJson(res, 200, {{"device", deviceJson(parts, *done)}});
    auditIfDone(parts, *who, res, "device." + action, id);
}

} // namespace

void installEnrolmentRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Post("/api/v1/devices/pair", route(parts, postPair));
    server.Post("/api/v1/devices/pair/claim", route(parts, postClaim));
    server.Post("/api/v1/devices/token", route(parts, postToken));
    server.Get("/api/v1/devices/pairings", route(parts, getPairings));
    server.Post(R"(/api/v1/devices/pairings/(\d{6})/approve)", route(parts, postApprove));
    server.Get("/api/v1/devices/enrolled", route(parts, getEnrolled));
    server.Post(R"(/api/v1/devices/enrolled/([a-z0-9-]{1,48})/(rename|revoke))", route(parts, postEnrolledAction));
}

} // namespace loket::server
