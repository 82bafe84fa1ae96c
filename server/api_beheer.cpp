// The admin page's routes (/beheer, docs/api.md "Configuration"): the live configuration, a
// change to it (a typed command through the command handler, configuration.hpp), its export as
// a hall file, and its history — the audit trail's configuration entries. Role admin.
#include "api.hpp"
#include "configuration_file.hpp"

#include "shared/core/configuration.hpp"
#include "shared/proto/configuration_json.hpp"

namespace loket::server {
using namespace loket::core;

namespace {

constexpr std::size_t kMaxAuditDetail = 400;

Json configurationJson(const HallConfig& c, Now now) {
    Json services = Json::array(), counters = Json::array(), hours = Json::array(), exceptions = Json::array();
    for (const ServiceConfig& s : c.services)
        if (!s.retired) services.push_back(proto::serviceConfigJson(s));
    for (const CounterConfig& counter : c.counters)
        if (!counter.retired) counters.push_back(proto::counterConfigJson(c, counter));
    for (std::size_t d = 0; d < 7; ++d) {
        const OpenPeriods always{{0, 86400}};
        hours.push_back({{"weekday", d}, {"periods", proto::periodsJson(c.hours.alwaysOpen ? always : c.hours.periods[d])},
                         {"walk_in_periods", proto::periodsJson(c.walkInHours.alwaysOpen ? always : c.walkInHours.periods[d])}});
    }
    for (const auto& [day, e] : c.dayExceptions) {
        Json j = proto::configChangeToJson(SetDayException{day, e});
        j.erase("type");
        j["past"] = day < localDay(now);
        exceptions.push_back(std::move(j));
    }
    Json banner = Json::object();
    for (const auto& [code, text] : c.banner) banner[code] = text;
    return {{"hall", c.name}, {"today", formatDate(localDay(now))}, {"services", services}, {"counters", counters},
            {"hours", hours}, {"exceptions", exceptions}, {"banner", banner}};
}

// For the history: what the change set, without its type (the action says it), kept short.
std::string auditDetail(const ConfigChange& change) {
    Json j = proto::configChangeToJson(change);
    j.erase("type");
    std::string text = j.dump();
    if (text.size() > kMaxAuditDetail) text = text.substr(0, kMaxAuditDetail - 3) + "...";
    return text;
}

// GET /api/v1/configuration: the live configuration as the page shows it.
void getConfiguration(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Admin})) return;
    readHallPlain(parts, [&](const HallView& v) {
        Json body = configurationJson(v.state.config(), v.now);
        body["event_id"] = v.eventId;
        sendJson(res, 200, body);
    });
}

// POST /api/v1/configuration: one change ({"type": "service.set", …, "confirm": false}).
void postConfiguration(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Admin});
    if (!who) return;
    auto body = jsonBody(req, {"type", "service", "id", "counter", "weekday", "periods", "walk_in_periods", "date", "kind",
                               "note", "text", "confirm"});
    if (!body) return sendError(res, body.error());
    bool confirm = false;
    if (auto it = body->find("confirm"); it != body->end()) {
        if (!it->is_boolean()) {
            Error e = makeError(ErrorCode::InvalidValue, "confirm must be true or false.");
            e.details.field = "confirm";
            return sendError(res, e);
        }
        confirm = it->get<bool>();
        body->erase("confirm");
    }
    auto change = readHallPlain(parts, [&](const HallView& v) { return proto::configChangeFromJson(*body, v.state.config()); });
    if (!change) return sendError(res, change.error());
    runCommand(parts, res, Configure{change.value(), who->id, confirm}, 200, [](const HallView& v, const Executed& done) {
        Json out = configurationJson(v.state.config(), v.now);
        out["event_id"] = done.ids.empty() ? v.eventId : done.ids.back();
        return out;
    });
    auditIfDone(parts, *who, res, std::string("configuration.") + configChangeName(change.value()), configChangeTarget(change.value()),
                auditDetail(change.value()));
}

// GET /api/v1/configuration/export: the live configuration as a hall file (TOML).
void getConfigurationExport(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Admin})) return;
    const std::string text = readHallPlain(parts, [&](const HallView& v) { return exportConfigurationToml(parts.config, v.state.config()); });
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"loket-hall.toml\"");
    res.set_content(text, "application/toml; charset=utf-8");
}

// GET /api/v1/configuration/history?day=YYYY-MM-DD: the audit trail's configuration, staff account
// and device entries.
void getConfigurationHistory(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Admin})) return;
    const Now now = parts.clock.now();
    LocalDay day = localDay(now);
    if (req.has_param("day") && !parseDate(req.get_param_value("day"), day)) {
        Error e = makeError(ErrorCode::InvalidValue, "day must be a date like 2026-11-23.");
        e.details.field = "day";
        return sendError(res, e);
    }
    auto entries = parts.audit.day(day);
    if (!entries) return sendError(res, entries.error());
    Json list = Json::array();
    for (const AuditEntry& e : *entries)
        if (e.action.rfind("configuration.", 0) == 0 || e.action.rfind("staff.", 0) == 0 || e.action.rfind("device.", 0) == 0)
            list.push_back({{"at", proto::rfc3339(e.at, parts.clock.utcOffsetAt(e.at))}, {"actor", e.actor}, {"action", e.action},
                            {"target", e.target}, {"detail", e.detail}});
    sendJson(res, 200, {{"day", formatDate(day)}, {"entries", list}});
}

void getBeheerPage(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    (void)req;
    servePage(parts, "beheer.html", res);
}

} // namespace

void installBeheerRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Get("/beheer", route(parts, getBeheerPage));
    server.Get("/api/v1/configuration", route(parts, getConfiguration));
    server.Post("/api/v1/configuration", route(parts, postConfiguration));
    server.Get("/api/v1/configuration/export", route(parts, getConfigurationExport));
    server.Get("/api/v1/configuration/history", route(parts, getConfigurationHistory));
}

} // namespace loket::server
