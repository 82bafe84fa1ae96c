// The host page's routes (issue 18, role `host`; admin too): the host at the door checks visitors
// in on their behalf (an appointment found by code, time or name; or a walk-in), marks what they
// need at the counter, counts the questions answered at the door, and sees the hall. A ticket is
// shown on the tablet or printed by a kiosk the host chooses: the kiosk's worker takes print
// jobs from /api/v1/kiosk/print-jobs (print_queue.hpp). docs/api.md, "The host page".
#include "api.hpp"
#include "audience_json.hpp"
#include "crypto.hpp"

#include "shared/core/booking_code.hpp"
#include "shared/ticket/qr_code.hpp"
#include "shared/core/visit_rules.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <tuple>

namespace loket::server {
using namespace loket::core;

namespace {

constexpr std::initializer_list<Role> kHost = {Role::Host, Role::Admin};
// Appointments "due": from this long before their time until the norm has passed.
constexpr Seconds kDueAheadS = 30 * 60;
// A search by time finds appointments this close to the time asked for.
constexpr Seconds kTimeWindowS = 15 * 60;
constexpr std::size_t kMaxFound = 20;
// A ticket younger than this may not be in the cached prediction yet (wait_predictor.hpp).
constexpr Seconds kPredictionLagS = 10;

std::string lowerAscii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

Json serviceIds(const HallConfig& config, const std::vector<ServiceIndex>& services) {
    Json out = Json::array();
    for (auto s : services) out.push_back(config.services[s].id);
    return out;
}

// An appointment as the host sees it when they look it up: with the name (staff only, never on
// a public screen) and the ticket once checked in.
Json foundAppointment(const HallView& v, const Appointment& a) {
    Json ticket = nullptr;
    if (a.ticket)
        if (const Ticket* t = v.state.ticket(*a.ticket)) ticket = {{"id", t->id}, {"number", t->number}, {"status", ticketStatusName(t->status)}};
    return {{"code", a.code},
            {"starts_at", proto::rfc3339(a.startsAt, v.now.utcOffsetS)},
            {"time", formatClock(localSecondOfDay(Now{a.startsAt, v.now.utcOffsetS}))},
            {"services", serviceIds(v.state.config(), a.services)},
            {"persons", a.persons},
            {"name", a.name.empty() ? Json(nullptr) : Json(a.name)},
            {"status", appointmentStatusName(a.status)},
            {"ticket", ticket}};
}

// Today's appointments (not cancelled), in order of time.
std::vector<const Appointment*> todaysAppointments(const HallView& v) {
    std::vector<const Appointment*> out;
    const LocalDay today = localDay(v.now);
    for (const auto& [code, a] : v.state.appointments())
        if (a.day == today && a.status != AppointmentStatus::Cancelled) out.push_back(&a);
    std::sort(out.begin(), out.end(), [](const Appointment* a, const Appointment* b) {
        return std::tie(a->startsAt, a->code) < std::tie(b->startsAt, b->code);
    });
    return out;
}

// "10:30", "1030" or "10.30" as a second of the day.
std::optional<std::int32_t> parseClock(const std::string& text) {
    std::string digits;
    for (char c : text) {
        if (c >= '0' && c <= '9') digits += c;
        else if (c != ':' && c != '.') return std::nullopt;
    }
    if (digits.size() != 3 && digits.size() != 4) return std::nullopt;
    const int hh = std::stoi(digits.substr(0, digits.size() - 2)), mm = std::stoi(digits.substr(digits.size() - 2));
    if (hh > 23 || mm > 59) return std::nullopt;
    return hh * 3600 + mm * 60;
}

// GET /api/v1/host/appointments?code=… | ?time=HH:MM | ?name=…
void getHostAppointments(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, kHost)) return;
    const int given = req.has_param("code") + req.has_param("time") + req.has_param("name");
    if (given != 1) return sendError(res, ErrorCode::MissingField, "Search by one of 'code', 'time' (HH:MM) or 'name'.");
    std::optional<std::int32_t> clock;
    if (req.has_param("time")) {
        clock = parseClock(req.get_param_value("time"));
        if (!clock) return sendError(res, ErrorCode::InvalidValue, "time must be a time of day like 10:30.");
    }
    const std::string name = lowerAscii(req.get_param_value("name"));
    if (req.has_param("name") && (name.size() < 2 || name.size() > 100))
        return sendError(res, ErrorCode::InvalidValue, "name must be 2 to 100 characters.");
    const std::string code = normaliseBookingCode(req.get_param_value("code"));
    readHallPlain(parts, [&](const HallView& v) {
        std::vector<const Appointment*> found;
        for (const Appointment* a : todaysAppointments(v)) {
            if (req.has_param("code") && a->code != code) continue;
            if (clock) {
                const Seconds at = instantOf(localDay(v.now), *clock, v.now.utcOffsetS);
                if (std::abs(a->startsAt - at) > kTimeWindowS) continue;
            }
            if (req.has_param("name") && lowerAscii(a->name).find(name) == std::string::npos) continue;
            found.push_back(a);
        }
        if (clock) {
            const Seconds at = instantOf(localDay(v.now), *clock, v.now.utcOffsetS);
            std::stable_sort(found.begin(), found.end(),
                             [at](const Appointment* a, const Appointment* b) { return std::abs(a->startsAt - at) < std::abs(b->startsAt - at); });
        }
        if (found.size() > kMaxFound) found.resize(kMaxFound);
        Json list = Json::array();
        for (const Appointment* a : found) list.push_back(foundAppointment(v, *a));
        sendJson(res, 200, {{"appointments", list}});
    });
}

// GET /api/v1/host/hall: waiting per service with expected waits and today's door answers,
// appointments due and not checked in (time and services only: the name is a tap away),
// predicted breaches of the norm, and the kiosks a ticket can be printed on.
void getHostHall(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, kHost)) return;
    auto waits = parts.predictor.newWalkInWaits(parts.clock.now().t);
    Json kiosks = Json::array();
    for (const auto& d : parts.devices.devices())
        if (d.role == "kiosk")
            kiosks.push_back({{"id", d.id}, {"name", d.name}, {"status", d.status}, {"printer", d.detail.value("printer", "unknown")}});
    readHall(parts, [&](const HallView& v) {
        const HallConfig& config = v.state.config();
        const DoorAnswerCounts door = v.state.dayStarted() && v.state.day() == localDay(v.now) ? doorAnswerCounts(v.state) : DoorAnswerCounts{};
        Json services = Json::array();
        for (std::size_t s = 0; s < config.services.size(); ++s) {
            if (config.services[s].retired) continue;
            Json j = proto::serviceJson(v.wire(), static_cast<ServiceIndex>(s), s < waits->size() ? (*waits)[s] : std::nullopt);
            auto it = door.find(config.services[s].id);
            j["answered_at_door"] = it == door.end() ? 0 : it->second;
            services.push_back(j);
        }
        Json due = Json::array();
        for (const Appointment* a : todaysAppointments(v)) {
            if (a->status != AppointmentStatus::Booked) continue;
            if (a->startsAt > v.now.t + kDueAheadS || a->startsAt + config.normS < v.now.t) continue;
            due.push_back({{"code", a->code},
                           {"starts_at", proto::rfc3339(a->startsAt, v.now.utcOffsetS)},
                           {"time", formatClock(localSecondOfDay(Now{a->startsAt, v.now.utcOffsetS}))},
                           {"services", serviceIds(config, a->services)},
                           {"persons", a->persons},
                           {"late", a->startsAt < v.now.t}});
        }
        // A waiting visitor whose predicted call comes after their norm (appointment) or target
        // (walk-in) — or whom no open counter can serve at all.
        Json breaches = Json::array();
        for (const Ticket& t : v.state.tickets()) {
            if (t.status != TicketStatus::Waiting || !v.prediction) continue;
            const Seconds dueAt = ticketDueAt(t, config);
            std::optional<Seconds> callAt;
            if (auto it = v.prediction->tickets.find(t.id); it != v.prediction->tickets.end()) callAt = v.now.t + it->second.waitS;
            else if (t.issuedAt + kPredictionLagS > v.now.t) continue; // newer than the last prediction run
            if (callAt && *callAt <= dueAt) continue;
            breaches.push_back({{"ticket_id", t.id},
                                {"number", t.number},
                                {"service", config.services[t.services.front()].id},
                                {"kind", ticketKindName(t.kind)},
                                {"due_at", proto::rfc3339(dueAt, v.now.utcOffsetS)},
                                {"expected_call_at", callAt ? Json(proto::rfc3339(*callAt, v.now.utcOffsetS)) : Json(nullptr)},
                                {"no_counter", !callAt.has_value()}});
        }
        sendJson(res, 200, {{"hall", {{"name", config.name}, {"now", proto::rfc3339(v.now.t, v.now.utcOffsetS)},
                                      {"open_now", config.hours.isOpen(v.now)}, {"norm_s", config.normS}}},
                            {"services", services},
                            {"due", due},
                            {"breaches", breaches},
                            {"kiosks", kiosks}});
    });
}

// The QR code of a link as rows of '1' (dark) and '0', for the page to draw: the same encoding
// as on a printed ticket (shared/ticket).
Json qrJson(const std::string& text) {
    auto qr = ticket::encodeQr(text);
    if (!qr) return nullptr;
    Json rows = Json::array();
    for (int y = 0; y < qr->width; ++y) {
        std::string row;
        for (int x = 0; x < qr->width; ++x) row += qr->at(x, y) ? '1' : '0';
        rows.push_back(row);
    }
    return {{"size", qr->width}, {"rows", rows}};
}

// The ticket as the host sees it, and the visitor page's link with its QR (the visitor
// photographs it from the tablet).
Json hostTicketAnswer(const ServerParts& parts, const HallView& v, TicketId id) {
    const Ticket* t = v.state.ticket(id);
    const std::string url = parts.config.publicBaseUrl + "/v/" + t->publicCode;
    return {{"ticket", proto::ticketJson(v.wire(), *t, proto::Audience::Staff)}, {"visitor_url", url}, {"qr", qrJson(url)}};
}

// POST /api/v1/host/tickets {service | appointment_code, language?, needs?}: a check-in on the
// visitor's behalf, exactly once per Idempotency-Key.
void postHostTicket(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, kHost);
    if (!who) return;
    auto request = readCheckIn(req, {"service", "appointment_code", "language", "needs"});
    if (!request) return sendError(res, request.error());
    VisitNeeds needs;
    if (request->body.contains("needs")) {
        auto parsed = proto::needsFromJson(request->body["needs"]);
        if (!parsed) return sendError(res, parsed.error());
        needs = *parsed;
    }
    const std::string publicCode = randomToken(16);
    const std::string& lang = request->language;
    Command command = request->service ? Command{IssueWalkIn{*request->service, lang, publicCode, {}, needs}}
                                       : Command{CheckInAppointment{*request->appointmentCode, lang, publicCode, needs}};
    IdempotencyRecord record;
    record.key = "host:" + request->key;
    record.requestHash = sha256Hex(request->body.dump());
    record.status = 201;
    auto once = parts.commands.executeOnce(command, record);
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
    readHall(parts, [&](const HallView& v) {
        if (!v.state.ticket(ticketId)) return sendError(res, ErrorCode::UnknownTicket, "The ticket of this request is from another day.");
        sendJson(res, status, hostTicketAnswer(parts, v, ticketId));
    });
    auditIfDone(parts, *who, res, request->appointmentCode ? "host.check_in" : "host.walk_in",
                res.status < 300 ? Json::parse(res.body)["ticket"].value("number", "") : std::string());
}

// POST /api/v1/host/tickets/{id}/needs {needs}
void postNeeds(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, kHost);
    if (!who) return;
    const TicketId id = ticketIdOf(req);
    auto body = jsonBody(req, {"needs"});
    if (!body) return sendError(res, body.error());
    if (!body->contains("needs")) return sendError(res, ErrorCode::MissingField, "Field 'needs' is required.");
    auto needs = proto::needsFromJson((*body)["needs"]);
    if (!needs) return sendError(res, needs.error());
    std::string service;
    runCommand(parts, res, SetNeeds{id, *needs}, 200, [&](const HallView& v, const Executed&) {
        service = v.state.config().services[v.state.ticket(id)->services.front()].id;
        return hostTicketAnswer(parts, v, id);
    });
    // The audit trail outlives the day's purge, so it keeps that needs were marked and how many,
    // for which service — not which needs (a wheelchair or a hearing aid is health data) nor the
    // ticket they were marked on (audit_log.hpp).
    const std::size_t marked = needList(*needs).size() + (needs->language.empty() ? 0 : 1);
    auditIfDone(parts, *who, res, "host.needs", service, std::to_string(marked) + (marked == 1 ? " need" : " needs"));
}

// POST /api/v1/host/door {service}: one question answered at the door.
void postDoor(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, kHost);
    if (!who) return;
    auto body = jsonBody(req, {"service"});
    if (!body) return sendError(res, body.error());
    auto service = requiredString(*body, "service", 64);
    if (!service) return sendError(res, service.error());
    runCommand(parts, res, AnswerAtDoor{*service}, 201, [&](const HallView& v, const Executed&) {
        const DoorAnswerCounts door = doorAnswerCounts(v.state);
        int total = 0;
        for (const auto& [id, n] : door) total += n;
        auto it = door.find(*service);
        return Json{{"service", *service}, {"answered_at_door", it == door.end() ? 0 : it->second}, {"total", total}};
    });
    auditIfDone(parts, *who, res, "host.door_answer", *service);
}

Json printJobJson(const PrintJob& job) {
    return {{"job", job.id}, {"kiosk", job.kiosk}, {"status", printJobStateName(job.state)},
            {"reason", job.reason.empty() ? Json(nullptr) : Json(job.reason)}};
}

// POST /api/v1/host/tickets/{id}/print {kiosk}: asks that kiosk to print the ticket. A kiosk that
// is offline or whose printer is out of paper fails at once; otherwise the job is queued and
// GET /api/v1/host/print-jobs/{job} tells how it went (failed "busy" after 5 s).
void postPrint(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, kHost);
    if (!who) return;
    if (!parts.prints) return sendError(res, ErrorCode::Internal, "This server has no print queue.");
    const TicketId id = ticketIdOf(req);
    auto body = jsonBody(req, {"kiosk"});
    if (!body) return sendError(res, body.error());
    auto kiosk = requiredString(*body, "kiosk", 64);
    if (!kiosk) return sendError(res, kiosk.error());
    std::optional<DeviceStatus> device;
    for (const auto& d : parts.devices.devices())
        if (d.role == "kiosk" && d.id == *kiosk) device = d;
    if (!device) return sendError(res, ErrorCode::NotFound, "There is no kiosk '" + *kiosk + "'.");
    // The kiosk prints what it would print for its own check-in: no name, no booking code.
    auto walkIn = parts.predictor.newWalkInWaits(parts.clock.now().t);
    auto printable = readHall(parts, [&](const HallView& v) -> std::optional<Json> {
        const Ticket* t = v.state.ticket(id);
        if (!t || !t->live()) return std::nullopt;
        auto wire = v.wire();
        if (t->status == TicketStatus::Waiting && (!v.prediction || !v.prediction->tickets.count(t->id))) wire.newWalkInWaits = walkIn.get();
        return Json{{"ticket", publicTicketJson(wire, *t, PublicAudience::Kiosk)},
                    {"visitor_url", parts.config.publicBaseUrl + "/v/" + t->publicCode}};
    });
    if (!printable) return sendError(res, ErrorCode::UnknownTicket, "There is no ticket " + std::to_string(id) + " in the hall now.");
    const Seconds now = parts.clock.now().t;
    std::string reason;
    const std::string printer = device->detail.value("printer", "ok");
    if (device->status == "offline" || device->status == "unknown") reason = "offline";
    else if (printer == "paper_out" || printer == "cover_open" || printer == "offline") reason = printer;
    if (!reason.empty()) return sendJson(res, 200, printJobJson(PrintJob{0, *kiosk, {}, now, PrintJobState::Failed, reason}));
    auto added = parts.prints->add(*kiosk, *printable, now);
    if (!added) return sendError(res, added.error());
    auto job = parts.prints->job(*added, now);
    if (!job) return sendError(res, job.error());
    if (!job.value()) return sendError(res, ErrorCode::NotFound, "There is no such print job.");
    sendJson(res, 202, printJobJson(**job));
}

// GET /api/v1/host/print-jobs/{job}
void getPrintJob(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, kHost)) return;
    if (!parts.prints) return sendError(res, ErrorCode::Internal, "This server has no print queue.");
    auto job = parts.prints->job(ticketIdOf(req), parts.clock.now().t);
    if (!job) return sendError(res, job.error());
    if (!job.value()) return sendError(res, ErrorCode::NotFound, "There is no such print job.");
    sendJson(res, 200, printJobJson(**job));
}

// GET /api/v1/kiosk/print-jobs: the kiosk's worker takes the tickets the host asked it to print.
void getKioskPrintJobs(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Kiosk});
    if (!who) return;
    Json jobs = Json::array();
    if (parts.prints) {
        auto taken = parts.prints->take(who->id, parts.clock.now().t);
        if (!taken) return sendError(res, taken.error());
        for (const PrintJob& job : *taken) jobs.push_back({{"id", job.id}, {"reply", job.ticket}});
    }
    sendJson(res, 200, {{"jobs", jobs}});
}

// POST /api/v1/kiosk/print-jobs/{job} {status: printed | failed, reason?}
void postKioskPrintJob(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Kiosk});
    if (!who) return;
    if (!parts.prints) return sendError(res, ErrorCode::NotFound, "There is no such print job.");
    auto body = jsonBody(req, {"status", "reason"});
    if (!body) return sendError(res, body.error());
    auto status = requiredString(*body, "status", 16);
    if (!status) return sendError(res, status.error());
    if (*status != "printed" && *status != "failed") return sendError(res, ErrorCode::InvalidValue, "status must be printed or failed.");
    auto reason = optionalString(*body, "reason", 32);
    if (!reason) return sendError(res, reason.error());
    auto job = parts.prints->report(who->id, ticketIdOf(req), *status == "printed", reason->value_or("failed"), parts.clock.now().t);
    if (!job) return sendError(res, job.error());
    sendJson(res, 200, printJobJson(*job));
}

void getHostPage(const ServerParts& parts, const httplib::Request&, httplib::Response& res) { servePage(parts, "host.html", res); }

} // namespace

void installHostRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Get("/host", route(parts, getHostPage));
    server.Get("/api/v1/host/hall", route(parts, getHostHall));
    server.Get("/api/v1/host/appointments", route(parts, getHostAppointments));
    server.Post("/api/v1/host/tickets", route(parts, postHostTicket));
    server.Post(R"(/api/v1/host/tickets/(\d{1,18})/needs)", route(parts, postNeeds));
    server.Post(R"(/api/v1/host/tickets/(\d{1,18})/print)", route(parts, postPrint));
    server.Get(R"(/api/v1/host/print-jobs/(\d{1,18}))", route(parts, getPrintJob));
    server.Post("/api/v1/host/door", route(parts, postDoor));
    server.Get("/api/v1/kiosk/print-jobs", route(parts, getKioskPrintJobs));
    server.Post(R"(/api/v1/kiosk/print-jobs/(\d{1,18}))", route(parts, postKioskPrintJob));
}

} // namespace loket::server
