// The admin page's staff accounts (/beheer, docs/api.md "Staff accounts"), role admin: the
// accounts made on the page (staff_accounts.hpp) are created, get a new password, other counters
// or role, and are disabled — which ends their sessions at once — or enabled again. The file's
// [[staff]] accounts (IT's) and the directory's accounts are listed read-only. Every change goes
// to the audit trail (who, what, when; never a password or its hash), which the page's history shows.
// A city (docs/locations.md): the account table is the city's; a manager sees and changes the
// accounts that work at the location of their session, and gives an account only locations the
// manager works at too (the others an account has stay as they are).
#include "api.hpp"
#include "staff_accounts.hpp"

#include "shared/proto/rfc3339.hpp"

namespace loket::server {
using namespace loket::core;

namespace {

Error withField(Error e, const char* field) {
    if (!e.details.field) e.details.field = field;
    return e;
}

Json accountJson(const ServerParts& parts, const StaffAccounts::Account& a) {
    Json out = {{"username", a.username}, {"role", roleName(a.role)}, {"counters", a.counters}, {"source", "page"},
                {"disabled", a.disabledAt.has_value()}, {"created_at", timeText(parts, a.createdAt)},
                {"disabled_at", a.disabledAt ? Json(timeText(parts, *a.disabledAt)) : Json()}};
    if (parts.locations) out["locations"] = a.locations.empty() ? std::vector<std::string>{"*"} : a.locations;
    return out;
}

const ServerConfig& cityOf(const ServerParts& parts) { return parts.cityConfig ? *parts.cityConfig : parts.config; }

// Whether an account of the page works at the caller's location (always in one hall).
bool worksHere(const ServerParts& parts, const StaffAccounts::Account& a) {
    return !parts.locations || locationListAllows(cityOf(parts), a.locations, parts.location);
}

// An account of the page that works here; another location's account answers as unknown.
Result<StaffAccounts::Account> accountHere(const ServerParts& parts, StaffAccounts& accounts, const std::string& username) {
    auto account = accounts.find(username);
    if (!account || !worksHere(parts, *account)) {
        Error e = makeError(ErrorCode::NotFound, "There is no account '" + username + "' made on this page" +
                                                     (parts.locations ? " at this location." : "."));
        e.details.field = "username";
        return e;
    }
    return *account;
}

// The account's locations after this request: in one hall none; in a city the body's
// `locations` (each one the manager works at), together with those of `old` the manager does
// not work at; left out: `old`, or for a new account the manager's location.
Result<std::vector<std::string>> locationsFrom(const ServerParts& parts, const Principal& who, const Json& body,
                                               const std::optional<std::vector<std::string>>& old) {
    auto list = optionalStringList(body, "locations");
    if (!list) return withField(list.error(), "locations");
    if (!parts.locations) {
        if (*list) return withField(makeError(ErrorCode::InvalidValue, "This hall has no locations: leave 'locations' out."), "locations");
        return std::vector<std::string>{};
    }
    if (!*list) return old ? *old : std::vector<std::string>{parts.location};
    const auto mine = parts.auth.locationsOf(who.id);
    std::vector<std::string> out;
    for (const auto& id : **list) {
        if (!findLocation(cityOf(parts), id))
            return withField(makeError(ErrorCode::InvalidValue, "There is no location '" + id + "'."), "locations");
        if (std::find(mine.begin(), mine.end(), id) == mine.end())
            return withField(makeError(ErrorCode::Forbidden, "You do not work at location '" + id + "'."), "locations");
        if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
    if (old)
        for (const auto& l : cityOf(parts).locations)
            if (locationListAllows(cityOf(parts), *old, l.id) && std::find(mine.begin(), mine.end(), l.id) == mine.end() &&
                std::find(out.begin(), out.end(), l.id) == out.end())
                out.push_back(l.id);
    if (out.empty()) return withField(makeError(ErrorCode::InvalidValue, "An account works at one location at least."), "locations");
    return out;
}

StaffAccounts* accountsOr503(const ServerParts& parts, httplib::Response& res) {
    StaffAccounts* accounts = parts.auth.staffAccounts();
    if (!accounts) sendError(res, ErrorCode::Unavailable, "Staff accounts cannot be changed on this server.");
    return accounts;
}

// Counter ids of the live configuration (or "*"), for a counter-role account; in a city, ids of
// a counter at one of the account's `locations` at least (empty: every location).
Result<std::vector<std::string>> countersFrom(const ServerParts& parts, const Json& body, const std::vector<std::string>& locations) {
    auto list = optionalStringList(body, "counters");
    if (!list) return withField(list.error(), "counters");
    std::vector<std::string> counters = list->value_or(std::vector<std::string>{});
    std::vector<const ServerParts*> halls{&parts};
    if (parts.locations) {
        halls.clear();
        for (const auto& [id, p] : parts.locations->all())
            if (locationListAllows(cityOf(parts), locations, id)) halls.push_back(p);
    }
    for (const auto& id : counters) {
        bool known = id == "*";
        for (const ServerParts* hall : halls)
            known = known || readHallPlain(*hall, [&](const HallView& v) {
                        auto index = v.state.config().counterIndex(id);
                        return index && !v.state.config().counters[*index].retired;
                    });
        if (!known) {
            Error e = makeError(ErrorCode::UnknownCounter, "There is no counter '" + id + "'.");
            e.details.field = "counters";
            return e;
        }
    }
    return counters;
}

std::string accessDetail(const StaffAccounts::Account& a) {
    return std::string("role=") + roleName(a.role) + " counters=" + joinCounters(a.counters) +
           (a.locations.empty() ? "" : " locations=" + joinCounters(a.locations));
}

// GET /api/v1/staff: every account the hall knows, by where it comes from.
void getStaff(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Admin})) return;
    Json list = Json::array();
    for (const auto& s : parts.config.staff)
        if (staffMayWorkAt(cityOf(parts), s, parts.location))
            list.push_back({{"username", s.username}, {"role", roleName(s.role)},
                        {"counters", s.role == Role::Admin ? std::vector<std::string>{"*"} : s.counters}, {"source", "file"}, {"disabled", false}});
    if (StaffAccounts* accounts = parts.auth.staffAccounts())
        for (const auto& a : accounts->accounts())
            if (worksHere(parts, a)) list.push_back(accountJson(parts, a));
    for (const auto& d : parts.auth.directoryUsers())
        list.push_back({{"username", d.username}, {"role", roleName(d.role)}, {"counters", d.counters}, {"source", "directory"},
                        {"disabled", false}, {"last_login", timeText(parts, d.lastLogin)}});
    sendJson(res, 200, {{"accounts", list}, {"roles", staffRolesByPower()}, {"min_password_chars", StaffAccounts::kMinPasswordChars}});
}

// POST /api/v1/staff {username, password, role, counters, locations (a city)}
void postStaff(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Admin});
    if (!who) return;
    StaffAccounts* accounts = accountsOr503(parts, res);
    if (!accounts) return;
    auto body = jsonBody(req, {"username", "password", "role", "counters", "locations"});
    if (!body) return sendError(res, body.error());
    auto username = requiredString(*body, "username", 64);
    if (!username) return sendError(res, withField(username.error(), "username"));
    auto password = requiredString(*body, "password", StaffAccounts::kMaxPasswordChars);
    if (!password) return sendError(res, withField(password.error(), "password"));
    auto role = requiredString(*body, "role", 16);
    if (!role) return sendError(res, withField(role.error(), "role"));
    auto locations = locationsFrom(parts, *who, *body, std::nullopt);
    if (!locations) return sendError(res, locations.error());
    auto counters = countersFrom(parts, *body, *locations);
    if (!counters) return sendError(res, counters.error());
    auto made = accounts->create(*username, *password, *role, *counters, parts.clock.now().t, *locations);
    if (!made) return sendError(res, made.error());
    sendJson(res, 201, {{"account", accountJson(parts, *made)}});
    auditIfDone(parts, *who, res, "staff.create", made->username, accessDetail(*made));
}

// POST /api/v1/staff/{username}/{password|access|disable|enable}
void postStaffAction(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Admin});
    if (!who) return;
    StaffAccounts* accounts = accountsOr503(parts, res);
    if (!accounts) return;
    const std::string username = req.matches[1], action = req.matches[2];
    auto here = accountHere(parts, *accounts, username);
    if (!here) return sendError(res, here.error());
    Result<StaffAccounts::Account> done = makeError(ErrorCode::Internal, "");
    std::string detail;
    if (action == "password") {
        auto body = jsonBody(req, {"password"});
        if (!body) return sendError(res, body.error());
        auto password = requiredString(*body, "password", StaffAccounts::kMaxPasswordChars);
        if (!password) return sendError(res, withField(password.error(), "password"));
        done = accounts->resetPassword(username, *password);
    } else if (action == "access") {
        auto body = jsonBody(req, {"role", "counters", "locations"});
        if (!body) return sendError(res, body.error());
        auto role = requiredString(*body, "role", 16);
        if (!role) return sendError(res, withField(role.error(), "role"));
        auto locations = locationsFrom(parts, *who, *body, here->locations);
        if (!locations) return sendError(res, locations.error());
        auto counters = countersFrom(parts, *body, *locations);
        if (!counters) return sendError(res, counters.error());
        done = accounts->update(username, *role, *counters, *locations);
        if (done) detail = accessDetail(*done);
    } else {
        auto body = jsonBody(req, {}, true);
        if (!body) return sendError(res, body.error());
        const bool disable = action == "disable";
        if (disable && username == who->id) {
            Error e = makeError(ErrorCode::InvalidValue, "You cannot disable your own account; ask another hall manager.");
            e.details.field = "username";
            return sendError(res, e);
        }
        done = accounts->setDisabled(username, disable, parts.clock.now().t);
        // Its sessions end now: the next request of any of them is 401.
        if (done && disable)
            if (auto st = parts.auth.endSessionsOf(username); !st) return sendError(res, st.error());
    }
    if (!done) return sendError(res, done.error());
    sendJson(res, 200, {{"account", accountJson(parts, *done)}});
    auditIfDone(parts, *who, res, "staff." + action, username, detail);
}

} // namespace

void installStaffRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Get("/api/v1/staff", route(parts, getStaff));
    server.Post("/api/v1/staff", route(parts, postStaff));
    server.Post(R"(/api/v1/staff/([a-z0-9._-]{1,64})/(password|access|disable|enable))", route(parts, postStaffAction));
}

} // namespace loket::server
