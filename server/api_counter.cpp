// Staff routes: log in, the counters and the queue, and every counter and ticket action.
#include "api.hpp"

namespace loket::server {
using namespace loket::core;

namespace {

TicketId ticketIdOf(const httplib::Request& req) {
    try { return std::stoll(req.matches[1]); } catch (...) { return 0; }
}

// A ticket action: the staff member must work at the ticket's counter (if it has one).
bool staffMayTouch(const Principal& who, const HallView& v, TicketId id) {
    const Ticket* t = v.state.ticket(id);
    if (!t || !t->counter) return true;
    return who.mayWorkAt(v.state.config().counters[*t->counter].id);
}

} // namespace

void Api::installCounter(httplib::Server& server) {
    const std::vector<Role> staff = {Role::Counter, Role::Admin};

    server.Post("/api/v1/login", [this](const httplib::Request& req, httplib::Response& res) {
        auto body = jsonBody(req, {"username", "password"});
        if (!body) return sendError(res, body.error());
        auto user = requiredString(*body, "username", 64);
        if (!user) return sendError(res, user.error());
        auto password = requiredString(*body, "password", 256);
        if (!password) return sendError(res, password.error());
        auto now = m_hall.clock().now();
        auto login = m_auth.login(*user, *password, req.remote_addr, now.t);
        if (!login) {
            if (login.error().code == ErrorCode::TooManyRequests) res.set_header("Retry-After", "300");
            return sendError(res, login.error());
        }
        const Json counters = login->counters;
        sendJson(res, 200, {{"token", login->token}, {"role", roleName(login->role)}, {"username", *user},
                            {"counters", counters}, {"expires_at", proto::rfc3339(login->expiresAt, now.utcOffsetS)}});
    });

    server.Post("/api/v1/logout", [this, staff](const httplib::Request& req, httplib::Response& res) {
        if (!allow(req, res, staff)) return;
        m_auth.logout(req);
        sendJson(res, 200, {{"status", "ok"}});
    });

    server.Get("/api/v1/counters", [this, staff](const httplib::Request& req, httplib::Response& res) {
        if (!allow(req, res, staff)) return;
        m_hall.read([&](const HallView& v) {
            Json list = Json::array();
            for (std::size_t c = 0; c < v.state.config().counters.size(); ++c)
                list.push_back(proto::counterJson(v.wire(), static_cast<CounterIndex>(c), proto::Audience::Staff));
            sendJson(res, 200, list);
        });
    });

    server.Get("/api/v1/tickets", [this, staff](const httplib::Request& req, httplib::Response& res) {
        if (!allow(req, res, staff)) return;
        std::vector<TicketStatus> wanted;
        if (req.has_param("status")) {
            std::stringstream ss(req.get_param_value("status"));
            std::string part;
            while (std::getline(ss, part, ',')) {
                auto st = parseTicketStatus(part);
                if (!st) return sendError(res, ErrorCode::InvalidValue, "status '" + part + "' is not one of waiting, called, serving, done, no_show, cancelled.");
                wanted.push_back(*st);
            }
        }
        m_hall.read([&](const HallView& v) {
            std::vector<const Ticket*> list;
            for (const Ticket& t : v.state.tickets())
                if (wanted.empty() || std::find(wanted.begin(), wanted.end(), t.status) != wanted.end()) list.push_back(&t);
            // The queue in the order it will be served: predicted call time, then check-in.
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
    });

    // Counter actions: /api/v1/counters/{id}/{open|pause|close|next|call}
    server.Post(R"(/api/v1/counters/([A-Za-z0-9_-]{1,64})/(open|pause|close|next|call))", [this, staff](const httplib::Request& req, httplib::Response& res) {
        auto who = allow(req, res, staff);
        if (!who) return;
        const std::string counter = req.matches[1], action = req.matches[2];
        if (!m_hall.config().hall.counterIndex(counter)) return sendError(res, ErrorCode::UnknownCounter, "There is no counter '" + counter + "'.");
        if (!who->mayWorkAt(counter)) return sendError(res, ErrorCode::Forbidden, "You are not set up to work at counter '" + counter + "'.");
        auto counterAnswer = [counter](const HallView& v, const Executed&) {
            return Json{{"counter", proto::counterJson(v.wire(), *v.state.config().counterIndex(counter), proto::Audience::Staff)}};
        };
        if (action == "open") {
            auto body = jsonBody(req, {"services"}, true);
            if (!body) return sendError(res, body.error());
            auto services = optionalStringList(*body, "services");
            if (!services) return sendError(res, services.error());
            return runCommand(res, OpenCounter{counter, *services}, 200, counterAnswer);
        }
        if (auto body = jsonBody(req, {"ticket_id"}, true); !body) return sendError(res, body.error());
        else if (action == "pause") return runCommand(res, PauseCounter{counter}, 200, counterAnswer);
        else if (action == "close") return runCommand(res, CloseCounter{counter}, 200, counterAnswer);
        else if (action == "next") {
            auto done = m_hall.execute(CallNext{counter});
            if (!done) return sendError(res, done.error());
            // The events may hold only a day rollover (the first command after midnight): what
            // counts is whether a ticket was called.
            std::optional<TicketId> called;
            for (const Event& e : done->events)
                if (auto* c = std::get_if<TicketCalled>(&e)) called = c->ticket;
            if (!called) {
                res.status = 204; // nobody this counter may serve is waiting
                return;
            }
            m_hall.read([&](const HallView& v) {
                sendJson(res, 200, {{"ticket", proto::ticketJson(v.wire(), *v.state.ticket(*called), proto::Audience::Staff)}});
            });
        } else { // call a specific ticket
            auto id = optionalInteger(*body, "ticket_id", 1, std::numeric_limits<std::int64_t>::max());
            if (!id) return sendError(res, id.error());
            if (!*id) return sendError(res, ErrorCode::MissingField, "Field 'ticket_id' is required.");
            const TicketId ticket = **id;
            runCommand(res, CallTicket{counter, ticket}, 200, [ticket](const HallView& v, const Executed&) {
                return Json{{"ticket", proto::ticketJson(v.wire(), *v.state.ticket(ticket), proto::Audience::Staff)}};
            });
        }
    });

    // Ticket actions: /api/v1/tickets/{id}/{recall|start|no-show|cancel|complete|transfer}
    server.Post(R"(/api/v1/tickets/(\d{1,18})/(recall|start|no-show|cancel|complete|transfer))", [this, staff](const httplib::Request& req, httplib::Response& res) {
        auto who = allow(req, res, staff);
        if (!who) return;
        const TicketId id = ticketIdOf(req);
        const std::string action = req.matches[2];
        const bool allowed = m_hall.readPlain([&](const HallView& v) { return staffMayTouch(*who, v, id); });
        if (!allowed) return sendError(res, ErrorCode::Forbidden, "This ticket is at a counter you are not set up for.");
        auto ticketAnswer = [id](const HallView& v, const Executed&) {
            return Json{{"ticket", proto::ticketJson(v.wire(), *v.state.ticket(id), proto::Audience::Staff)}};
        };
        Command command;
        if (action == "complete") {
            auto body = jsonBody(req, {"outcome", "note"});
            if (!body) return sendError(res, body.error());
            auto outcome = requiredString(*body, "outcome", 32);
            if (!outcome) return sendError(res, outcome.error());
            auto parsed = parseOutcome(*outcome);
            if (!parsed) return sendError(res, ErrorCode::InvalidValue, "outcome must be handled, backoffice, partner or other.");
            auto note = optionalString(*body, "note", 1000);
            if (!note) return sendError(res, note.error());
            command = CompleteTicket{id, *parsed, note->value_or("")};
        } else if (action == "transfer") {
            auto body = jsonBody(req, {"service", "counter"});
            if (!body) return sendError(res, body.error());
            auto service = optionalString(*body, "service", 64);
            if (!service) return sendError(res, service.error());
            auto counter = optionalString(*body, "counter", 64);
            if (!counter) return sendError(res, counter.error());
            if (service->has_value() == counter->has_value())
                return sendError(res, ErrorCode::MissingField, "Send either 'service' or 'counter' to transfer to.");
            command = TransferTicket{id, *service, *counter};
        } else if (action == "no-show") {
            auto body = jsonBody(req, {"requeue"}, true);
            if (!body) return sendError(res, body.error());
            bool requeue = false;
            if (body->contains("requeue")) {
                if (!(*body)["requeue"].is_boolean()) return sendError(res, ErrorCode::InvalidValue, "Field 'requeue' must be true or false.");
                requeue = (*body)["requeue"].get<bool>();
            }
            command = MarkNoShow{id, requeue};
        } else {
            auto body = jsonBody(req, {}, true);
            if (!body) return sendError(res, body.error());
            if (action == "recall") command = RecallTicket{id};
            else if (action == "start") command = StartTicket{id};
            else command = CancelTicket{id};
        }
        runCommand(res, command, 200, ticketAnswer);
    });
}

} // namespace loket::server
