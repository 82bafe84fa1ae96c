// Admin routes: the appointment book (one, or a CSV / iCalendar import with a line-by-line
// report), day statistics against the norm and the anonymous day export.
#include "api.hpp"

#include "shared/proto/appointment_import.hpp"

#include <sstream>

namespace loket::server {
using namespace loket::core;

namespace {

Result<LocalDay> dateParam(const httplib::Request& req, Now now) {
    if (!req.has_param("date")) return localDay(now);
    LocalDay day;
    if (!parseDate(req.get_param_value("date"), day))
        return makeError(ErrorCode::InvalidValue, "date must be a date like 2026-11-23.");
    return day;
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

// POST /api/v1/appointments: book one (201), or change a booking with the same code (200).
void postAppointment(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Admin});
    if (!who) return;
    auto body = jsonBody(req, {"code", "service", "services", "starts_at", "duration_s", "persons", "name"});
    if (!body) return sendError(res, body.error());
    auto code = requiredString(*body, "code", 16);
    if (!code) return sendError(res, code.error());
    auto startsText = requiredString(*body, "starts_at", 40);
    if (!startsText) return sendError(res, startsText.error());
    Seconds startsAt = 0;
    if (!proto::parseRfc3339(*startsText, startsAt))
        return sendError(res, ErrorCode::InvalidValue, "starts_at must be a time like 2026-11-23T10:15:00+01:00.");
    auto service = optionalString(*body, "service", 64);
    if (!service) return sendError(res, service.error());
    auto services = optionalStringList(*body, "services");
    if (!services) return sendError(res, services.error());
    if (service->has_value() == services->has_value())
        return sendError(res, ErrorCode::MissingField, "Send either 'service' or 'services'.");
    auto duration = optionalInteger(*body, "duration_s", 60, 8 * 3600);
    if (!duration) return sendError(res, duration.error());
    auto persons = optionalInteger(*body, "persons", 1, 20);
    if (!persons) return sendError(res, persons.error());
    auto name = optionalString(*body, "name", 200);
    if (!name) return sendError(res, name.error());
    BookAppointment cmd;
    cmd.code = *code;
    cmd.services = service->has_value() ? std::vector<std::string>{**service} : **services;
    cmd.startsAt = startsAt;
    cmd.day = localDay(Now{startsAt, parts.clock.utcOffsetAt(startsAt)});
    cmd.durationS = duration->value_or(0);
    cmd.persons = static_cast<int>(persons->value_or(1));
    cmd.name = name->value_or("");
    const std::string normalised = normaliseBookingCode(cmd.code);
    const bool existed = readHallPlain(parts, [&](const HallView& v) { return v.state.appointment(normalised) != nullptr; });
    runCommand(parts, res, cmd, existed ? 200 : 201, [normalised](const HallView& v, const Executed&) {
        return proto::appointmentJson(v.wire(), *v.state.appointment(normalised));
    });
    // Not the booking code or the name: those are the visitor's.
    auditIfDone(parts, *who, res, existed ? "appointment.change" : "appointment.book", "", "1 appointment on " + formatDate(cmd.day));
}

// POST /api/v1/appointments/import: a CSV or iCalendar file, all or nothing, with a report line by line.
void postAppointmentImport(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Admin});
    if (!who) return;
    const std::string type = req.get_header_value("Content-Type");
    auto toInstant = [&parts](LocalDay day, std::int32_t second) { return parts.clock.instantOf(day, second); };
    proto::ParsedImport parsed;
    if (type.rfind("text/csv", 0) == 0) parsed = proto::parseAppointmentsCsv(req.body, toInstant);
    else if (type.rfind("text/calendar", 0) == 0) parsed = proto::parseAppointmentsIcs(req.body, toInstant, parts.config.timeZone);
    else return sendError(res, ErrorCode::InvalidValue, "Send the file as Content-Type text/csv or text/calendar.");
    int imported = 0, updated = 0, skipped = 0;
    Json errors = Json::array();
    for (const auto& e : parsed.errors) errors.push_back({{"line", e.line}, {"message", e.message}});
    // All or nothing: every row is first decided on a copy of the hall, so a file with one bad
    // line changes nothing and the answer lists every line to fix (those that did not parse and
    // those the hall refuses).
    readHallPlain(parts, [&](const HallView& v) {
        HallState trial = v.state;
        for (const auto& row : parsed.rows)
            if (auto tried = core::execute(trial, row.command, v.now); !tried)
                errors.push_back({{"line", row.line}, {"message", tried.error().message}});
    });
    if (!errors.empty()) {
        std::sort(errors.begin(), errors.end(), [](const Json& a, const Json& b) { return a["line"] < b["line"]; });
        return sendJson(res, 422, {{"imported", 0}, {"updated", 0}, {"skipped", 0}, {"errors", errors}});
    }
    for (const auto& row : parsed.rows) {
        const std::string code = normaliseBookingCode(row.command.code);
        const bool existed = readHallPlain(parts, [&](const HallView& v) { return v.state.appointment(code) != nullptr; });
        auto done = parts.commands.execute(row.command);
        if (!done) {
            if (done.error().code == ErrorCode::StoreFailed) return sendError(res, done.error());
            errors.push_back({{"line", row.line}, {"message", done.error().message}});
        } else if (std::none_of(done->events.begin(), done->events.end(),
                                [](const Event& e) { return std::holds_alternative<AppointmentBooked>(e); }))
            ++skipped; // the same booking again (a day rollover may still have happened)
        else if (existed) ++updated;
        else ++imported;
    }
    std::sort(errors.begin(), errors.end(), [](const Json& a, const Json& b) { return a["line"] < b["line"]; });
    sendJson(res, 200, {{"imported", imported}, {"updated", updated}, {"skipped", skipped}, {"errors", errors}});
    auditIfDone(parts, *who, res, "appointment.import", "",
                std::to_string(imported) + " imported, " + std::to_string(updated) + " updated, " + std::to_string(skipped) +
                    " skipped, " + std::to_string(errors.size()) + " errors");
}

void getAppointments(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Admin})) return;
    readHallPlain(parts, [&](const HallView& v) {
        auto day = dateParam(req, v.now);
        if (!day) return sendError(res, day.error());
        std::vector<const Appointment*> list;
        for (const auto& [code, a] : v.state.appointments())
            if (a.day == *day) list.push_back(&a);
        std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return std::tie(a->startsAt, a->code) < std::tie(b->startsAt, b->code); });
        Json out = Json::array();
        for (auto* a : list) out.push_back(proto::appointmentJson(v.wire(), *a));
        sendJson(res, 200, out);
    });
}

void deleteAppointment(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Admin});
    if (!who) return;
    runCommand(parts, res, RemoveAppointment{req.matches[1]}, 200, [](const HallView&, const Executed&) { return Json{{"status", "removed"}}; });
    auditIfDone(parts, *who, res, "appointment.remove", "");
}

// GET /api/v1/audit?day=YYYY-MM-DD (default today): the staff and admin actions of a day, oldest first.
void getAudit(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Admin})) return;
    const Now now = parts.clock.now();
    LocalDay day = localDay(now);
    if (req.has_param("day") && !parseDate(req.get_param_value("day"), day))
        return sendError(res, ErrorCode::InvalidValue, "day must be a date like 2026-11-23.");
    auto entries = parts.audit.day(day);
    if (!entries) return sendError(res, entries.error());
    Json list = Json::array();
    for (const AuditEntry& e : *entries)
        list.push_back({{"id", e.id}, {"at", proto::rfc3339(e.at, parts.clock.utcOffsetAt(e.at))}, {"actor", e.actor},
                        {"role", e.role}, {"action", e.action}, {"target", e.target}, {"detail", e.detail}});
    sendJson(res, 200, {{"day", formatDate(day)}, {"keep_days", parts.audit.keepDays()}, {"entries", list}});
}

// The anonymous visit records of a day: today's from memory, earlier days' from the store.
Result<std::vector<VisitRecord>> visitsOf(const ServerParts& parts, LocalDay day) {
    auto today = readHallPlain(parts, [&](const HallView& v) -> std::optional<std::vector<VisitRecord>> {
        if (!v.state.dayStarted() || v.state.day() != day) return std::nullopt;
        std::vector<VisitRecord> out;
        for (const Ticket& t : v.state.tickets()) out.push_back(visitRecordOf(v.state, t, parts.clock.utcOffsetAt(t.issuedAt)));
        return out;
    });
    if (today) return std::move(*today);
    return parts.store.visits(day);
}

struct DayVisits {
    LocalDay day = 0;
    std::vector<VisitRecord> visits;
};

// For the admin's day reports: the day asked for (?date=, today by default) and its visits;
// nothing when the response already holds the error.
std::optional<DayVisits> requestedDay(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Admin})) return std::nullopt;
    auto day = dateParam(req, parts.clock.now());
    if (!day) {
        sendError(res, day.error());
        return std::nullopt;
    }
    auto visits = visitsOf(parts, *day);
    if (!visits) {
        sendError(res, visits.error());
        return std::nullopt;
    }
    return DayVisits{*day, std::move(visits.value())};
}

void getStats(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto day = requestedDay(parts, req, res);
    if (!day) return;
    // Questions answered at the door: today's from the day's events, a finished day's from the
    // counts the store kept when its events were purged.
    auto today = readHallPlain(parts, [&](const HallView& v) -> std::optional<DoorAnswerCounts> {
        if (!v.state.dayStarted() || v.state.day() != day->day) return std::nullopt;
        return doorAnswerCounts(v.state);
    });
    auto door = today ? Result<DoorAnswerCounts>(std::move(*today)) : parts.store.doorAnswers(day->day);
    if (!door) return sendError(res, door.error());
    sendJson(res, 200, proto::statsJson(computeDayStats(formatDate(day->day), day->visits, *door)));
}

void getExport(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto requested = requestedDay(parts, req, res);
    if (!requested) return;
    const LocalDay day = requested->day;
    const std::vector<VisitRecord>& visits = requested->visits;
    std::ostringstream csv;
    csv << "date,number,service,services,kind,status,issued_at,appointment_at,first_called_at,wait_s,within_norm,"
           "started_at,ended_at,counter,outcome,feedback\n";
    auto time = [&](std::optional<Seconds> t) { return t ? proto::rfc3339(*t, parts.clock.utcOffsetAt(*t)) : std::string(); };
    for (const VisitRecord& v : visits) {
        auto wait = v.waitS();
        csv << formatDate(v.day) << ',' << v.number << ',' << csvField(v.service) << ',' << csvField(v.services) << ','
            << ticketKindName(v.kind) << ',' << ticketStatusName(v.status) << ',' << time(v.issuedAt) << ','
            << (v.kind == TicketKind::Appointment ? time(v.appointmentAt) : std::string()) << ','
            << time(v.firstCalledAt) << ',' << (wait ? std::to_string(*wait) : std::string()) << ','
            << (wait ? (*wait <= v.limitS ? "yes" : "no") : "") << ',' << time(v.startedAt) << ',' << time(v.endedAt) << ','
            << csvField(v.counter) << ',' << (v.outcome == Outcome::None ? "" : outcomeName(v.outcome)) << ','
            << (v.feedbackScore ? std::to_string(*v.feedbackScore) : std::string()) << "\n";
    }
    res.set_header("Content-Disposition", "attachment; filename=\"loket-" + formatDate(day) + ".csv\"");
    res.set_content(csv.str(), "text/csv; charset=utf-8");
}

} // namespace

// GET /api/v1/booking/status: each booking system's health and the recent alerts (docs/booking.md).
void getBookingStatus(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Admin})) return;
    auto when = [&parts](core::Seconds t) { return Json(proto::rfc3339(t, parts.clock.utcOffsetAt(t))); };
    sendJson(res, 200, parts.booking ? parts.booking->statusJson(when) : Json{{"connectors", Json::array()}, {"alerts", Json::array()}});
}

void installAdminRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Get("/api/v1/booking/status", route(parts, getBookingStatus));
    server.Post("/api/v1/appointments", route(parts, postAppointment));
    server.Post("/api/v1/appointments/import", route(parts, postAppointmentImport));
    server.Get("/api/v1/appointments", route(parts, getAppointments));
    server.Delete(R"(/api/v1/appointments/([A-Za-z0-9-]{1,32}))", route(parts, deleteAppointment));
    server.Get("/api/v1/stats", route(parts, getStats));
    server.Get("/api/v1/audit", route(parts, getAudit));
    server.Get("/api/v1/export", route(parts, getExport));
}

} // namespace loket::server
