// Staff routes: log in, the counters and the queue, and every counter and ticket action.
#include "api.hpp"
#include "crypto.hpp"
#include "shared/core/utf8.hpp"
#include "shared/proto/api_error.hpp"

#include <sstream>

namespace loket::server {
using namespace loket::core;

namespace {

constexpr std::initializer_list<Role> kStaff = {Role::Counter, Role::Admin};

// A ticket action: the staff member must work at the ticket's counter (if it has one).
// A ticket at a counter belongs to that counter's staff; a ticket without one (waiting) to the
// staff of a counter that could call it — the dispatch rule: the counter is set up for every
// service of the visit, and a ticket transferred to one counter is only that counter's.
bool staffMayTouch(const Principal& who, const HallView& v, TicketId id) {
    const Ticket* t = v.state.ticket(id);
    if (!t) return true; // the command answers unknown_ticket
    const HallConfig& config = v.state.config();
    if (t->counter) return who.mayWorkAt(config.counters[*t->counter].id);
    ServiceMask needed = 0;
    for (ServiceIndex s : t->services) needed |= bit(s);
    for (std::size_t i = 0; i < config.counters.size(); ++i) {
        if (!who.mayWorkAt(config.counters[i].id)) continue;
        if (t->onlyCounter && *t->onlyCounter != static_cast<CounterIndex>(i)) continue;
        if ((needed & ~config.counters[i].skills) == 0) return true;
    }
    return false;
}

Json ticketAnswer(const HallView& v, TicketId id) {
    return Json{{"ticket", proto::ticketJson(v.wire(), *v.state.ticket(id), proto::Audience::Staff)}};
}

void postLogin(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto body = jsonBody(req, {"username", "password", "location"});
    if (!body) return sendError(res, body.error());
    auto user = requiredString(*body, "username", 64);
    if (!user) return sendError(res, user.error());
    auto password = requiredString(*body, "password", 256);
    if (!password) return sendError(res, password.error());
    auto location = optionalString(*body, "location", 32);
    if (!location) return sendError(res, location.error());
    auto now = parts.clock.now();
    auto login = parts.auth.login(*user, *password, parts.auth.clientAddress(req), now.t, location->value_or(""));
    if (login) {
        // In a city, the log-in goes to the audit trail of the location chosen.
        const ServerParts* at = parts.locations ? parts.locations->find(login->location) : &parts;
        (at ? *at : parts).audit.record(*user, roleName(login->role), now, "login", "");
    }
    if (!login) {
        if (login.error().code == ErrorCode::TooManyRequests) res.set_header("Retry-After", "300");
        if (login.error().details.field == std::optional<std::string>("location")) {
            // A city: the password was right and the account works at several locations; the
            // answer lists them (details.choices), for the log-in form's choice.
            Json body = proto::errorJson(login.error());
            body["error"]["details"]["choices"] = parts.auth.locationsOf(*user);
            return sendJson(res, 400, body);
        }
        return sendError(res, login.error());
    }
    const Json counters = login->counters;
    Json answer = {{"token", login->token}, {"role", roleName(login->role)}, {"username", *user},
                   {"counters", counters}, {"expires_at", proto::rfc3339(login->expiresAt, now.utcOffsetS)}};
    if (!login->location.empty()) answer["location"] = login->location;
    sendJson(res, 200, answer);
}

void postLogout(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Counter, Role::Admin, Role::Host});
    if (!who) return;
    parts.auth.logout(req);
    sendJson(res, 200, {{"status", "ok"}});
    auditIfDone(parts, *who, res, "logout", "");
}

void getCounters(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, kStaff)) return;
    readHall(parts, [&](const HallView& v) {
        Json list = Json::array();
        for (std::size_t c = 0; c < v.state.config().counters.size(); ++c)
            list.push_back(proto::counterJson(v.wire(), static_cast<CounterIndex>(c), proto::Audience::Staff));
        sendJson(res, 200, list);
    });
}

// GET /api/v1/tickets?status=…: the queue in the order it will be served.
void getTickets(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, kStaff)) return;
    std::vector<TicketStatus> wanted;
    if (req.has_param("status")) {
        std::stringstream ss(req.get_param_value("status"));
        std::string part;
        while (std::getline(ss, part, ',')) {
            auto st = parseTicketStatus(part);
            if (!st) {
                // The value is echoed only when it is short, valid UTF-8 text (JSON cannot carry
                // arbitrary bytes: `%ff%fe` once made this a 500).
                const bool echo = part.size() <= 32 && !invalidUtf8At(part);
                return sendError(res, ErrorCode::InvalidValue, (echo ? "status '" + part + "'" : std::string("The status")) +
                                                                   " is not one of waiting, called, serving, done, no_show, cancelled.");
            }
            wanted.push_back(*st);
        }
    }
    readHall(parts, [&](const HallView& v) {
        std::vector<const Ticket*> list;
        for (const Ticket& t : v.state.tickets())
            if (wanted.empty() || std::find(wanted.begin(), wanted.end(), t.status) != wanted.end()) list.push_back(&t);
        // Predicted call time, then check-in.
        auto key = [&](const Ticket* t) {
            Seconds wait = std::numeric_limits<Seconds>::max();
            if (v.prediction)
                if (auto it = v.prediction->tickets.find(t->id); it != v.prediction->tickets.end()) wait = it->second.waitS;
            return std::tuple(t->status != TicketStatus::Waiting, wait, t->issuedAt, t->id);
        };
        std::stable_sort(list.begin(), list.end(), [&](const Ticket* a, const Ticket* b) { return key(a) < key(b); });
        Json out = Json::array();
        for (const Ticket* t : list) out.push_back(proto::ticketJson(v.wire(), *t, proto::Audience::Staff));
        sendJson(res, 200, out);
    });
}

// How a staff command went: refused (the answer is written), run now, or run before under the
// same Idempotency-Key (not run again).
enum class Ran { Refused, Now, Before };

// Runs a staff action's command. With an Idempotency-Key header (1 to 128 characters) it runs at
// most once per key: a retry of the same request (method, path and body) is not run again and is
// answered with the state as it is now, marked `Idempotency-Replayed: true`; the key with another
// request is 409. The counter console retries its last action this way after a lost answer, so a
// retried "next" never calls two visitors. `called`: the ticket the command called (next, call).
Ran runStaffCommand(const ServerParts& parts, const httplib::Request& req, httplib::Response& res, const Command& command,
                    std::optional<TicketId>& called) {
    // The events may hold a day rollover too (the first command after midnight): what counts is
    // whether a ticket was called.
    auto calledBy = [](const Executed& done) {
        std::optional<TicketId> ticket;
        for (const Event& e : done.events)
            if (auto* c = std::get_if<TicketCalled>(&e)) ticket = c->ticket;
        return ticket;
    };
    if (!req.has_header("Idempotency-Key")) {
        auto done = parts.commands.execute(command);
        if (!done) {
            sendError(res, done.error());
            return Ran::Refused;
        }
        called = calledBy(*done);
        return Ran::Now;
    }
    const std::string key = req.get_header_value("Idempotency-Key");
    if (key.empty() || key.size() > 128) {
        sendError(res, ErrorCode::MissingIdempotencyKey, "An Idempotency-Key header has 1 to 128 characters.");
        return Ran::Refused;
    }
    IdempotencyRecord record;
    record.key = key;
    record.requestHash = sha256Hex(req.method + " " + req.path + "\n" + req.body);
    record.status = 200;
    auto once = parts.commands.executeOnce(command, record);
    if (once.previous) {
        if (once.previous->requestHash != record.requestHash) {
            sendError(res, ErrorCode::IdempotencyConflict, "This Idempotency-Key was used for another request.");
            return Ran::Refused;
        }
        if (!once.previous->response.empty()) called = std::stoll(once.previous->response);
        res.set_header("Idempotency-Replayed", "true");
        return Ran::Before;
    }
    if (!once.result) {
        sendError(res, once.result.error());
        return Ran::Refused;
    }
    called = calledBy(*once.result);
    return Ran::Now;
}

// Runs a staff action and answers 200 with `render`; true when it ran now (worth an audit line).
bool answerStaffCommand(const ServerParts& parts, const httplib::Request& req, httplib::Response& res,
                        const Command& command, const std::function<Json(const HallView&)>& render) {
    std::optional<TicketId> called;
    const Ran ran = runStaffCommand(parts, req, res, command, called);
    if (ran == Ran::Refused) return false;
    readHall(parts, [&](const HallView& v) { sendJson(res, 200, render(v)); });
    return ran == Ran::Now;
}

// POST /api/v1/counters/{id}/next: 200 with the called ticket, or 204 when nobody this counter
// may serve is waiting. True when a ticket was called now (not by an earlier try of the same key).
bool callNext(const ServerParts& parts, const httplib::Request& req, httplib::Response& res, const std::string& counter) {
    std::optional<TicketId> called;
    const Ran ran = runStaffCommand(parts, req, res, CallNext{counter}, called);
    if (ran == Ran::Refused) return false;
    if (!called) {
        res.status = 204;
        return false;
    }
    readHall(parts, [&](const HallView& v) { sendJson(res, 200, ticketAnswer(v, *called)); });
    return ran == Ran::Now;
}

// POST /api/v1/counters/{id}/{open|pause|close|next|call}
void postCounterAction(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, kStaff);
    if (!who) return;
    const std::string counter = req.matches[1], action = req.matches[2];
    if (!readHallPlain(parts, [&](const HallView& v) { return v.state.config().activeCounterIndex(counter).has_value(); }))
        return sendError(res, ErrorCode::UnknownCounter, "There is no counter '" + counter + "'.");
    if (!who->mayWorkAt(counter)) return sendError(res, ErrorCode::Forbidden, "You are not set up to work at counter '" + counter + "'.");
    auto counterAnswer = [counter](const HallView& v) {
        return Json{{"counter", proto::counterJson(v.wire(), *v.state.config().counterIndex(counter), proto::Audience::Staff)}};
    };
    auto body = jsonBody(req, action == "open" ? std::initializer_list<const char*>{"services"} : std::initializer_list<const char*>{"ticket_id"}, true);
    if (!body) return sendError(res, body.error());
    if (action == "open") {
        auto services = optionalStringList(*body, "services");
        if (!services) return sendError(res, services.error());
        if (!answerStaffCommand(parts, req, res, OpenCounter{counter, *services}, counterAnswer)) return;
        std::string list;
        for (const auto& s : services->value_or(std::vector<std::string>{})) list += (list.empty() ? "" : ",") + s;
        return auditIfDone(parts, *who, res, "counter.open", counter, list);
    }
    if (action == "pause" || action == "close") {
        const Command command = action == "pause" ? Command{PauseCounter{counter}} : Command{CloseCounter{counter}};
        if (!answerStaffCommand(parts, req, res, command, counterAnswer)) return;
        return auditIfDone(parts, *who, res, "counter." + action, counter);
    }
    // next / call: the audit names the called ticket by its number.
    auto calledNumber = [&res] {
        auto answer = Json::parse(res.body, nullptr, false);
        return answer.is_object() && answer.contains("ticket") ? answer["ticket"].value("number", "") : std::string();
    };
    if (action == "next") {
        if (callNext(parts, req, res, counter)) auditIfDone(parts, *who, res, "counter.next", counter, calledNumber());
        return;
    }
    auto id = optionalInteger(*body, "ticket_id", 1, std::numeric_limits<std::int64_t>::max());
    if (!id) return sendError(res, id.error());
    if (!*id) return sendError(res, ErrorCode::MissingField, "Field 'ticket_id' is required.");
    const TicketId ticket = **id;
    if (answerStaffCommand(parts, req, res, CallTicket{counter, ticket}, [ticket](const HallView& v) { return ticketAnswer(v, ticket); }))
        auditIfDone(parts, *who, res, "counter.call", counter, calledNumber());
}

// The command of a ticket action, from its body.
Result<Command> ticketCommand(const std::string& action, TicketId id, const httplib::Request& req) {
    if (action == "complete") {
        auto body = jsonBody(req, {"outcome", "note"});
        if (!body) return body.error();
        auto outcome = requiredString(*body, "outcome", 32);
        if (!outcome) return outcome.error();
        auto parsed = parseOutcome(*outcome);
        if (!parsed) return makeError(ErrorCode::InvalidValue, "outcome must be handled, backoffice, partner or other.");
        auto note = optionalString(*body, "note", 1000);
        if (!note) return note.error();
        return Command{CompleteTicket{id, *parsed, note->value_or("")}};
    }
    if (action == "transfer") {
        auto body = jsonBody(req, {"service", "counter"});
        if (!body) return body.error();
        auto service = optionalString(*body, "service", 64);
        if (!service) return service.error();
        auto counter = optionalString(*body, "counter", 64);
        if (!counter) return counter.error();
        if (service->has_value() == counter->has_value())
            return makeError(ErrorCode::MissingField, "Send either 'service' or 'counter' to transfer to.");
        return Command{TransferTicket{id, *service, *counter}};
    }
    if (action == "no-show") {
        auto body = jsonBody(req, {"requeue"}, true);
        if (!body) return body.error();
        bool requeue = false;
        if (body->contains("requeue")) {
            if (!(*body)["requeue"].is_boolean()) return makeError(ErrorCode::InvalidValue, "Field 'requeue' must be true or false.");
            requeue = (*body)["requeue"].get<bool>();
        }
        return Command{MarkNoShow{id, requeue}};
    }
    auto body = jsonBody(req, {}, true);
    if (!body) return body.error();
    if (action == "recall") return Command{RecallTicket{id}};
    if (action == "start") return Command{StartTicket{id}};
    return Command{CancelTicket{id}};
}

// POST /api/v1/tickets/{id}/{recall|start|no-show|cancel|complete|transfer}
void postTicketAction(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, kStaff);
    if (!who) return;
    const TicketId id = ticketIdOf(req);
    const bool allowed = readHallPlain(parts, [&](const HallView& v) { return staffMayTouch(*who, v, id); });
    if (!allowed) return sendError(res, ErrorCode::Forbidden, "This ticket is for a counter or service you are not set up for.");
    auto command = ticketCommand(req.matches[2], id, req);
    if (!command) return sendError(res, command.error());
    if (!answerStaffCommand(parts, req, res, *command, [id](const HallView& v) { return ticketAnswer(v, id); })) return;
    // The audit names the ticket by number and, for a transfer, where it went; never a visitor's data.
    const std::string number = readHallPlain(parts, [&](const HallView& v) {
        const Ticket* t = v.state.ticket(id);
        return t ? t->number : std::to_string(id);
    });
    std::string detail;
    if (auto* transfer = std::get_if<TransferTicket>(&*command))
        detail = transfer->counter ? "counter " + *transfer->counter : "service " + transfer->service.value_or("");
    std::string action = req.matches[2];
    std::replace(action.begin(), action.end(), '-', '_');
    auditIfDone(parts, *who, res, "ticket." + action, number, detail);
}

} // namespace

void installCounterRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Post("/api/v1/login", route(parts, postLogin));
    server.Post("/api/v1/logout", route(parts, postLogout));
    server.Get("/api/v1/counters", route(parts, getCounters));
    server.Get("/api/v1/tickets", route(parts, getTickets));
    server.Post(R"(/api/v1/counters/([A-Za-z0-9_-]{1,64})/(open|pause|close|next|call))", route(parts, postCounterAction));
    server.Post(R"(/api/v1/tickets/(\d{1,18})/(recall|start|no-show|cancel|complete|transfer))", route(parts, postTicketAction));
}

} // namespace loket::server
