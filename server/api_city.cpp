// A city's routes (docs/locations.md): the list of locations (for the staff log-in's choice) and
// the city dashboard's figures — every location a manager works at, side by side. Reads each
// location's own parts; writes nothing. In a one-location hall the list is empty and the city
// view shows the one hall.
#include "api.hpp"

#include "shared/core/stats.hpp"
#include "shared/core/visit_rules.hpp"

#include <algorithm>

namespace loket::server {
using namespace loket::core;

namespace {

// GET /api/v1/locations: public (a location's name is on its door); [] in a one-location hall.
void getLocations(const ServerParts& parts, const httplib::Request&, httplib::Response& res) {
    Json list = Json::array();
    if (parts.locations)
        for (const auto& [id, p] : parts.locations->all()) list.push_back({{"id", id}, {"name", p->config.hall.name}});
    sendJson(res, 200, {{"locations", list}});
}

// One location's figures now: its queue, its counters, today's norm, its devices' alerts.
Json locationFigures(const ServerParts& p, bool current) {
    const Now now = p.clock.now();
    Json figures = readHallPlain(p, [&](const HallView& v) {
        int waiting = 0;
        Seconds longest = 0;
        for (const Ticket& t : v.state.tickets()) {
            if (t.status != TicketStatus::Waiting) continue;
            ++waiting;
            longest = std::max(longest, now.t - waitStartsAt(t));
        }
        int open = 0, counters = 0;
        for (std::size_t i = 0; i < v.state.counters().size(); ++i) {
            if (v.state.config().counters[i].retired) continue;
            ++counters;
            open += v.state.counters()[i].state != CounterState::Closed;
        }
        std::vector<VisitRecord> visits;
        if (v.state.dayStarted())
            for (const Ticket& t : v.state.tickets()) visits.push_back(visitRecordOf(v.state, t, p.clock.utcOffsetAt(t.issuedAt)));
        const DayStats day = computeDayStats(formatDate(localDay(now)), visits, doorAnswerCounts(v.state));
        Json pct = day.pctAppointmentsWithinNorm ? Json(*day.pctAppointmentsWithinNorm) : Json(nullptr);
        return Json{{"id", p.location}, {"name", v.state.config().name}, {"current", current}, {"waiting", waiting},
                    {"longest_wait_s", longest}, {"open_counters", open}, {"counters", counters},
                    {"appointments_within_norm_pct", pct}, {"appointments_today", day.appointments}};
    });
    Json alerts = Json::array();
    for (const auto& d : p.devices.devices())
        if (d.status != "ok") alerts.push_back({{"id", d.id}, {"name", d.name}, {"role", d.role}, {"status", d.status}});
    figures["device_alerts"] = alerts;
    return figures;
}

// GET /api/v1/city: managers (role admin) only; the locations their account works at, in the
// configuration's order, the session's own marked `current`.
void getCity(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Admin});
    if (!who) return;
    Json list = Json::array();
    if (!parts.locations) {
        list.push_back(locationFigures(parts, true));
    } else {
        const auto mine = parts.auth.locationsOf(who->id);
        for (const auto& [id, p] : parts.locations->all()) {
            // A device credential (an integration) sees its own location only.
            const bool allowed = who->device ? id == who->location : std::find(mine.begin(), mine.end(), id) != mine.end();
            if (allowed) list.push_back(locationFigures(*p, id == who->location));
        }
    }
    const Now now = parts.clock.now();
    sendJson(res, 200, {{"at", proto::rfc3339(now.t, now.utcOffsetS)}, {"norm_s", parts.config.hall.normS}, {"locations", list}});
}

void getCityPage(const ServerParts& parts, const httplib::Request&, httplib::Response& res) { servePage(parts, "stad.html", res); }

} // namespace

void installCityRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Get("/api/v1/locations", route(parts, getLocations));
    server.Get("/api/v1/city", route(parts, getCity));
    server.Get("/stad", route(parts, getCityPage));
}

} // namespace loket::server
