// The HTTP routes of ../shared/api.md on a cpp-httplib server, with roles enforced on each
// route. Thin: a route parses and checks input, turns it into a core command or a read of the
// hall, and renders the answer; the rules live in the core. Each route is a named function
// (api_*.cpp) of the server's parts; installApi() lists them. The event stream
// (/api/v1/events) is served by the StreamHub (stream_hub.hpp), without a thread per stream.
#pragma once

#include "audit_log.hpp"
#include "auth.hpp"
#include "command_executor.hpp"
#include "device_registry.hpp"
#include "enrolment.hpp"
#include "http_util.hpp"
#include "live_state.hpp"
#include "metrics.hpp"
#include "print_queue.hpp"
#include "security_headers.hpp"
#include "wait_predictor.hpp"
#include "booking/booking_sync.hpp"

#include "shared/proto/wire_json.hpp"

#include <httplib.h>

#include <filesystem>
#include <functional>
#include <initializer_list>

namespace loket::server {

struct ServerParts;

// A city's locations (docs/locations.md): one set of hall parts per location, in configuration
// order. route() answers each request with its caller's set; shared parts (auth, audit,
// enrolment, metrics) are the same object in every set.
class Locations {
public:
    void add(const std::string& id, const ServerParts* parts) { m_list.emplace_back(id, parts); }
    const ServerParts* find(const std::string& id) const {
        for (const auto& [i, p] : m_list)
            if (i == id) return p;
        return nullptr;
    }
    const std::vector<std::pair<std::string, const ServerParts*>>& all() const { return m_list; }

private:
    std::vector<std::pair<std::string, const ServerParts*>> m_list;
};

// The parts a route may use. Each has its own job and its own lock. In a city, the hall parts
// (config, state, predictor, commands, devices, broker, store, booking) are one location's.
struct ServerParts {
    const ServerConfig& config;
    HallClock& clock;
    LiveState& state;
    WaitPredictor& predictor;
    CommandExecutor& commands;
    DeviceRegistry& devices;
    EventBroker& broker;
    EventStore& store;      // reads only (day visits, the health probe); writes go through `commands`
    Auth& auth;
    AuditLog& audit;
    Enrolment& enrolment;
    Metrics& metrics;
    std::filesystem::path webDir;
    booking::BookingSync* booking = nullptr; // the hall's booking systems, when configured (docs/booking.md)
    std::string location;                    // whose parts these are ("" in a one-location hall)
    const Locations* locations = nullptr;    // a city: every location's parts; nullptr in one hall
    const ServerConfig* cityConfig = nullptr; // a city: the whole file (`config` is this location's)
    PrintQueue* prints = nullptr;            // the host's print jobs for kiosks (api_host.cpp)
};

void installApi(httplib::Server& server, const ServerParts& parts);
// The security headers of every answer: HSTS only when this server answers HTTPS itself ([tls])
// and it is not switched off. Also for the answers the StreamHub writes.
SecurityHeaders securityHeadersFor(const ServerConfig& config);

// --- for the route files ---------------------------------------------------------------------

using RouteHandler = void (*)(const ServerParts&, const httplib::Request&, httplib::Response&);
// The handler gets the parts of the caller's location: the one its device credential or staff
// session carries; for a visitor's code, the location whose queue knows it; otherwise (no
// credential, or one the handler will refuse) `parts`, the first location's.
httplib::Server::Handler route(const ServerParts& parts, RouteHandler handler);
const ServerParts& partsForRequest(const ServerParts& parts, const httplib::Request& req);

void installPublicRoutes(httplib::Server& server, const ServerParts& parts);
void installDeviceRoutes(httplib::Server& server, const ServerParts& parts);
void installCounterRoutes(httplib::Server& server, const ServerParts& parts);
void installAdminRoutes(httplib::Server& server, const ServerParts& parts);
void installStaticRoutes(httplib::Server& server, const ServerParts& parts);
void installEnrolmentRoutes(httplib::Server& server, const ServerParts& parts);
void installOfflineRoutes(httplib::Server& server, const ServerParts& parts); // api_offline.cpp (issue 13)
// Whether `req` carries a valid "Authorization: Lease <id>.<secret>" of this location's leases (api_offline.cpp).
bool knowsLease(const ServerParts& parts, const httplib::Request& req);
void installBeheerRoutes(httplib::Server& server, const ServerParts& parts); // the admin page (api_beheer.cpp)
void installCityRoutes(httplib::Server& server, const ServerParts& parts); // several locations (api_city.cpp)
void installHostRoutes(httplib::Server& server, const ServerParts& parts);   // the host page (api_host.cpp, issue 18)
void installStaffRoutes(httplib::Server& server, const ServerParts& parts);  // its staff accounts (api_staff.cpp)
// Answers with an HTML page of the web folder (api_static.cpp).
void servePage(const ServerParts& parts, const char* file, httplib::Response& res);

// Writes `action` to the audit trail when the route answered with success (2xx).
void auditIfDone(const ServerParts& parts, const Principal& who, const httplib::Response& res, std::string action,
                 std::string target, std::string detail = {});

// The caller, if it has one of `roles`; otherwise the response already holds 401/403.
std::optional<Principal> allow(const ServerParts& parts, const httplib::Request& req, httplib::Response& res,
                               std::initializer_list<Role> roles);

// What a route reads: the state under the shared lock, the hall's time, and — for routes that
// show waits — the prediction, computed before the lock was taken (it may be a few seconds or
// one command older than the state; a ticket it does not know yet shows no position).
struct HallView {
    const core::HallState& state;
    core::Now now;
    std::int64_t eventId;
    std::shared_ptr<const core::WaitPrediction> prediction;
    proto::WireContext wire() const { return proto::WireContext{state, now.utcOffsetS, prediction.get()}; }
};

template <typename F>
auto readHall(const ServerParts& parts, F&& f) {
    const core::Now now = parts.clock.now();
    auto prediction = parts.predictor.prediction(now.t);
    return parts.state.read([&](const StateView& v) { return f(HallView{v.state, now, v.eventId, prediction}); });
}
// Without the prediction (cheap reads).
template <typename F>
auto readHallPlain(const ServerParts& parts, F&& f) {
    const core::Now now = parts.clock.now();
    return parts.state.read([&](const StateView& v) { return f(HallView{v.state, now, v.eventId, nullptr}); });
}

// A check-in request — the kiosk's POST /api/v1/tickets and the host's POST /api/v1/host/tickets:
// the Idempotency-Key, a service (walk-in) or an appointment code, the language ("nl" when left
// out), and the body for the fields a route adds (`fields`: every field the route accepts).
struct CheckInRequest {
    std::string key;
    Json body;
    std::optional<std::string> service;
    std::optional<std::string> appointmentCode;
    std::string language;
};
Result<CheckInRequest> readCheckIn(const httplib::Request& req, std::initializer_list<const char*> fields);

// The ticket id in the route's first capture ("/api/v1/tickets/(\d+)/…"); 0 when it is none.
core::TicketId ticketIdOf(const httplib::Request& req);
// An instant as RFC 3339 text in the hall's UTC offset at that instant.
std::string timeText(const ServerParts& parts, std::int64_t t);

// Runs a command and answers `okStatus` with `render`, or the command's error.
void runCommand(const ServerParts& parts, httplib::Response& res, const core::Command& command, int okStatus,
                const std::function<Json(const HallView&, const Executed&)>& render);

} // namespace loket::server
