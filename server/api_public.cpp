// Public routes: health, metrics, and the visitor's own page data (no login, no personal data).
#include "api.hpp"

#include <sstream>

namespace loket::server {
using namespace loket::core;

void Api::installPublic(httplib::Server& server) {
    server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
        if (auto st = m_hall.probeWrite(); !st)
            return sendJson(res, 503, {{"status", "unavailable"}, {"error", {{"code", "store_failed"}, {"message", st.error().message}}}});
        sendJson(res, 200, {{"status", "ok"}});
    });

    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        for (Seconds wait : m_hall.takeCallWaits()) m_metrics.callWait().observe(static_cast<double>(wait));
        std::ostringstream out;
        auto c = m_hall.counters();
        out << "# HELP loket_tickets_issued_total Tickets issued since start.\n# TYPE loket_tickets_issued_total counter\n"
            << "loket_tickets_issued_total " << c.issued << "\n"
            << "# HELP loket_calls_total Calls of a ticket to a counter since start.\n# TYPE loket_calls_total counter\n"
            << "loket_calls_total " << c.calls << "\n"
            << "# HELP loket_commands_total Commands handled since start.\n# TYPE loket_commands_total counter\n"
            << "loket_commands_total " << c.commands << "\n"
            << "# HELP loket_command_errors_total Commands refused since start.\n# TYPE loket_command_errors_total counter\n"
            << "loket_command_errors_total " << c.commandErrors << "\n"
            << "# HELP loket_sse_clients Open event streams.\n# TYPE loket_sse_clients gauge\n"
            << "loket_sse_clients " << m_hall.broker().subscribers() << "\n"
            << "# HELP loket_waiting Visitors waiting now, by service.\n# TYPE loket_waiting gauge\n";
        m_hall.readPlain([&](const HallView& v) {
            for (std::size_t s = 0; s < v.state.config().services.size(); ++s)
                out << "loket_waiting{service=\"" << v.state.config().services[s].id << "\"} "
                    << v.state.waitingCount(static_cast<ServiceIndex>(s)) << "\n";
            return 0;
        });
        out << m_metrics.callWait().render("loket_call_wait_seconds", "Wait until the first call (appointments from their time).")
            << m_metrics.requestLatency().render("loket_http_request_duration_seconds", "Time to answer an HTTP request.")
            << m_metrics.renderRequests();
        res.set_content(out.str(), "text/plain; version=0.0.4");
    });

    server.Get(R"(/api/v1/visits/([A-Za-z0-9_-]{1,64}))", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string code = req.matches[1];
        m_hall.read([&](const HallView& v) {
            const Ticket* t = v.state.ticketByPublicCode(code);
            if (!t) return sendError(res, ErrorCode::UnknownVisit, "This ticket is unknown or has expired.");
            Json j = proto::visitJson(v.wire(), *t);
            j["hall"] = v.state.config().name;
            sendJson(res, 200, j);
        });
    });

    server.Post(R"(/api/v1/visits/([A-Za-z0-9_-]{1,64})/feedback)", [this](const httplib::Request& req, httplib::Response& res) {
        auto body = jsonBody(req, {"score", "comment"});
        if (!body) return sendError(res, body.error());
        auto score = optionalInteger(*body, "score", 1, 10);
        if (!score) return sendError(res, score.error());
        if (!*score) return sendError(res, ErrorCode::MissingField, "Field 'score' (1 to 10) is required.");
        auto comment = optionalString(*body, "comment", 1000);
        if (!comment) return sendError(res, comment.error());
        auto done = m_hall.execute(GiveFeedback{req.matches[1], static_cast<int>(**score), comment->value_or("")});
        if (!done) return sendError(res, done.error());
        sendJson(res, 201, {{"status", "thank_you"}});
    });
}

} // namespace loket::server
