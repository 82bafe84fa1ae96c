// Offline kiosk routes (issue 13): number leases (lease, renew, refill, return), the offline
// book of today's appointments (keyed hashes only), and the upload of tickets a kiosk issued while
// the server was away. The rules are the core's (shared/core/offline_lease.hpp); these routes
// only read input, resolve the kiosk's code hashes to codes, and answer per entry.
#include "api.hpp"
#include "audience_json.hpp"
#include "crypto.hpp"

#include "shared/core/offline_lease.hpp"
#include "shared/offline/offline_book.hpp"
#include "shared/proto/rfc3339.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace loket::server {
using namespace loket::core;

namespace {

constexpr std::size_t kMaxUploadEntries = 100;
constexpr int kHistoryDays = 7;

// The walk-ins one kiosk takes for `service` in the day's busiest hour: the busiest hour of today
// and the last week's days, shared equally by the hall's kiosks (tickets do not record their kiosk).
double busiestHourWalkIns(const ServerParts& parts, ServiceIndex service, const std::string& serviceId, LocalDay today,
                          std::int32_t utcOffsetS) {
    int busiest = 0;
    auto countDay = [&](const std::map<int, int>& perHour) {
        for (const auto& [hour, n] : perHour) busiest = std::max(busiest, n);
    };
    std::map<int, int> todayHours;
    parts.state.read([&](const StateView& v) {
        for (const auto& t : v.state.tickets())
            if (t.kind == TicketKind::WalkIn && !t.services.empty() && t.services.front() == service)
                ++todayHours[localSecondOfDay(Now{t.issuedAt, utcOffsetS}) / 3600];
        return 0;
    });
    countDay(todayHours);
    for (int back = 1; back <= kHistoryDays; ++back) {
        auto visits = parts.store.visits(today - back);
        if (!visits) continue;
        std::map<int, int> hours;
        for (const auto& visit : *visits)
            if (visit.kind == TicketKind::WalkIn && visit.service == serviceId) ++hours[visit.issuedHour];
        countDay(hours);
    }
    std::size_t kiosks = 0;
    for (const auto& d : parts.devices.devices())
        if (d.role == "kiosk") ++kiosks;
    return static_cast<double>(busiest) / static_cast<double>(std::max<std::size_t>(kiosks, 1));
}

Json leaseJson(const HallView& v, const LeaseRecord& r) {
    const NumberLease& l = r.lease;
    return {{"id", l.id},
            {"service", publicServiceId(v.state.config(), l.service)}, // as the kiosk's service list names it
            {"prefix", std::string(1, l.prefix)},
            {"first", l.first},
            {"count", l.count},
            {"first_number", leaseNumber(l.prefix, l.first)},
            {"last_number", leaseNumber(l.prefix, l.first + l.count - 1)},
            {"day", formatDate(l.day)},
            {"granted_at", proto::rfc3339(l.grantedAt, v.now.utcOffsetS)},
            {"expires_at", proto::rfc3339(l.expiresAt, v.now.utcOffsetS)},
            {"expires_at_s", l.expiresAt},
            {"placed", r.placed.size()}};
}

// The kiosk's leases (each with its upload secret), the day's book key and its clock offset, as
// answered by POST /offline/leases.
void answerLeases(const ServerParts& parts, httplib::Response& res, const std::string& kiosk) {
    readHallPlain(parts, [&](const HallView& v) {
        const OfflineLedger& ledger = v.state.offline();
        Json leases = Json::array();
        for (const LeaseRecord* r : ledger.activeLeases(kiosk, v.now.t)) {
            Json j = leaseJson(v, *r);
            if (auto secret = offline::leaseUploadSecret(ledger.uploadKey(), kiosk, r->lease.id)) j["upload_secret"] = *secret;
            leases.push_back(std::move(j));
        }
        sendJson(res, 200, {{"kiosk", kiosk},
                            {"day", formatDate(v.state.day())},
                            {"server_time", v.now.t},
                            {"utc_offset_s", v.now.utcOffsetS},
                            {"clock_offset_s", ledger.clockOffset(kiosk).value_or(0)},
                            {"book_key", ledger.bookKey()},
                            {"visitor_url_base", parts.config.publicBaseUrl + "/v/"},
                            {"leases", leases}});
    });
}

// POST /api/v1/offline/leases: lease, renew and refill in one call. Measures the kiosk's clock,
// moves its leases' expiry on, gives back the leases the kiosk reports half used (`used`), and
// leases a block for every service that has none. A retry changes nothing more.
void postLeases(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Kiosk});
    if (!who) return;
    auto body = jsonBody(req, {"kiosk_time", "used"});
    if (!body) return sendError(res, body.error());
    auto kioskTime = optionalInteger(*body, "kiosk_time", 0, std::int64_t{1} << 40);
    if (!kioskTime) return sendError(res, kioskTime.error());
    if (!kioskTime->has_value()) return sendError(res, ErrorCode::MissingField, "Send 'kiosk_time': the kiosk's clock in Unix seconds.");
    const Json used = body->value("used", Json::object());
    if (!used.is_object()) return sendError(res, ErrorCode::InvalidValue, "Field 'used' must map lease ids to the numbers used.");
    const std::string kiosk = who->id;

    if (auto renewed = parts.commands.execute(RenewLeases{kiosk, **kioskTime}); !renewed) return sendError(res, renewed.error());
    for (const auto& [id, n] : used.items()) {
        if (!n.is_number_integer()) return sendError(res, ErrorCode::InvalidValue, "Each 'used' value is a whole number.");
        LeaseId lease = 0;
        try {
            lease = std::stoll(id);
        } catch (const std::exception&) {
            return sendError(res, ErrorCode::InvalidValue, "'used' keys are lease ids.");
        }
        const bool refill = readHallPlain(parts, [&](const HallView& v) {
            const LeaseRecord* r = v.state.offline().lease(lease);
            return r && r->lease.kiosk == kiosk && !r->ended && leaseNeedsRefill(r->lease, n.get<int>());
        });
        if (!refill) continue;
        if (auto back = parts.commands.execute(ReturnLease{kiosk, lease, n.get<int>()}); !back) return sendError(res, back.error());
    }
    const auto [services, today, offset] = readHallPlain(parts, [&](const HallView& v) {
        std::vector<std::pair<ServiceIndex, std::string>> missing;
        const auto& config = v.state.config();
        for (std::size_t s = 0; s < config.services.size(); ++s)
            if (!v.state.offline().activeLease(kiosk, static_cast<ServiceIndex>(s), v.now.t))
                missing.emplace_back(static_cast<ServiceIndex>(s), config.services[s].id);
        return std::tuple{missing, localDay(v.now), v.now.utcOffsetS};
    });
    for (const auto& [service, id] : services) {
        const int size = leaseBlockSize(busiestHourWalkIns(parts, service, id, today, offset));
        auto granted = parts.commands.execute(LeaseNumbers{kiosk, id, size, **kioskTime, offline::newBookKey(), offline::newBookKey()});
        // Numbers run out for one prefix: the kiosk still gets its other leases.
        if (!granted && granted.error().code != ErrorCode::NumbersExhausted) return sendError(res, granted.error());
    }
    answerLeases(parts, res, kiosk);
}

// POST /api/v1/offline/leases/{id}/return: the kiosk gives a lease back, with how many it used.
void postReturnLease(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto who = allow(parts, req, res, {Role::Kiosk});
    if (!who) return;
    auto body = jsonBody(req, {"used"});
    if (!body) return sendError(res, body.error());
    auto used = optionalInteger(*body, "used", 0, kMaxLeaseBlock);
    if (!used) return sendError(res, used.error());
    if (!used->has_value()) return sendError(res, ErrorCode::MissingField, "Send 'used': how many numbers of the lease were issued.");
    auto done = parts.commands.execute(ReturnLease{who->id, std::stoll(req.matches[1].str()), static_cast<int>(**used)});
    if (!done) return sendError(res, done.error());
    answerLeases(parts, res, who->id);
}

// GET /api/v1/offline/book: today's booked appointments as keyed hashes with services, time and
// persons — no names, no codes. The key comes with the leases and never with the book.
void getBook(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Kiosk})) return;
    readHallPlain(parts, [&](const HallView& v) {
        const std::string& key = v.state.offline().bookKey();
        if (key.empty()) return sendError(res, ErrorCode::NotFound, "There is no offline book yet today: ask for leases first.");
        Json entries = Json::array();
        for (const auto& [code, a] : v.state.appointments()) {
            if (a.day != v.state.day() || a.status != AppointmentStatus::Booked) continue;
            auto hash = offline::bookCodeHash(key, code);
            if (!hash) return sendError(res, hash.error());
            Json services = Json::array();
            for (auto s : a.services) services.push_back(publicServiceId(v.state.config(), s));
            entries.push_back({{"hash", *hash}, {"services", services}, {"starts_at_s", a.startsAt},
                               {"starts_at", proto::rfc3339(a.startsAt, v.now.utcOffsetS)}, {"persons", a.persons}});
        }
        sendJson(res, 200, {{"day", formatDate(v.state.day())}, {"event_id", v.eventId}, {"appointments", entries}});
    });
}

struct UploadEntry {
    std::string key;
    AcceptOfflineTicket command;
    std::optional<std::string> codeHash;
};

Result<UploadEntry> readEntry(const Json& j, const std::string& kiosk, const HallConfig& hall) {
    if (!j.is_object()) return makeError(ErrorCode::InvalidValue, "Each entry is an object.");
    static const std::vector<std::string> allowed = {"key", "lease", "number", "service", "code_hash", "checked_in_at", "language", "visitor_code"};
    for (const auto& [field, value] : j.items())
        if (std::find(allowed.begin(), allowed.end(), field) == allowed.end())
            return makeError(ErrorCode::UnknownField, "Unknown field '" + field + "' in an upload entry.");
    for (const char* field : {"key", "lease", "number", "service", "checked_in_at", "visitor_code"})
        if (!j.contains(field)) return makeError(ErrorCode::MissingField, std::string("An upload entry needs '") + field + "'.");
    if (!j["key"].is_string() || j["key"].get<std::string>().empty() || j["key"].get<std::string>().size() > 128)
        return makeError(ErrorCode::InvalidValue, "'key' is the entry's idempotency key (1 to 128 characters).");
    if (!j["lease"].is_number_integer() || !j["checked_in_at"].is_number_integer())
        return makeError(ErrorCode::InvalidValue, "'lease' and 'checked_in_at' are whole numbers.");
    for (const char* field : {"number", "service", "visitor_code"})
        if (!j[field].is_string() || j[field].get<std::string>().size() > 64)
            return makeError(ErrorCode::InvalidValue, std::string("'") + field + "' must be a short string.");
    if (!offline::validVisitorCode(j["visitor_code"].get<std::string>()))
        return makeError(ErrorCode::InvalidValue, "'visitor_code' must be 22 URL-safe base64 characters (128 bits).");
    UploadEntry e;
    e.key = j["key"];
    e.command.kiosk = kiosk;
    e.command.lease = j["lease"];
    e.command.number = j["number"];
    e.command.service = serviceIdFromPublic(hall, j["service"].get<std::string>());
    e.command.kioskCheckedInAt = j["checked_in_at"];
    e.command.language = j.value("language", std::string("nl"));
    e.command.publicCode = j["visitor_code"];
    if (j.contains("code_hash") && !j["code_hash"].is_null()) {
        if (!j["code_hash"].is_string() || j["code_hash"].get<std::string>().size() != 64)
            return makeError(ErrorCode::InvalidValue, "'code_hash' is 64 hex digits.");
        e.codeHash = j["code_hash"].get<std::string>();
    }
    return e;
}

// POST /api/v1/offline/upload: the kiosk's journal, in order. Each entry is placed at its real
// check-in time, at most once (per lease and number), and answered on its own: accepted,
// duplicate (already in the queue: the kiosk clears it too) or refused (with the error). Not
// counted against the device's check-in rate: these visitors were already served.
// A kiosk without a valid token (revoked: its tokens are gone) authenticates one lease with the
// upload secret that came with it, `Authorization: Lease <id>.<secret>`: it may hand in that
// lease's tickets only (the core refuses those dated after the revoke). The lease id, if so.
struct LeaseCaller {
    std::string kiosk;
    LeaseId lease = 0;
};
std::optional<LeaseCaller> findLeaseCaller(const ServerParts& parts, const httplib::Request& req) {
    const std::string auth = req.get_header_value("Authorization");
    const std::string value = auth.substr(6);
    const auto dot = value.find('.');
    LeaseId id = 0;
    if (dot != std::string::npos && dot > 0 && dot <= 12 && value.find_first_not_of("0123456789") == dot) id = std::stoll(value.substr(0, dot));
    const std::string secret = dot == std::string::npos ? std::string() : value.substr(dot + 1);
    auto caller = readHallPlain(parts, [&](const HallView& v) -> std::optional<LeaseCaller> {
        const LeaseRecord* r = v.state.offline().lease(id);
        if (!r || secret.empty()) return std::nullopt;
        auto expected = offline::leaseUploadSecret(v.state.offline().uploadKey(), r->lease.kiosk, id);
        if (!expected || !offline::sameSecret(*expected, secret)) return std::nullopt;
        return LeaseCaller{r->lease.kiosk, id};
    });
    return caller;
}

std::optional<LeaseCaller> leaseCaller(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    auto caller = findLeaseCaller(parts, req);
    if (!caller) sendError(res, ErrorCode::Unauthorized, "The lease or its upload secret is not valid (today's leases only).");
    return caller;
}

void postUpload(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    std::optional<Principal> who;
    std::optional<LeaseId> onlyLease;
    if (req.get_header_value("Authorization").rfind("Lease ", 0) == 0) {
        auto caller = leaseCaller(parts, req, res);
        if (!caller) return;
        who = Principal{Role::Kiosk, caller->kiosk, nullptr, {}, true, parts.location};
        onlyLease = caller->lease;
    } else {
        who = allow(parts, req, res, {Role::Kiosk});
    }
    if (!who) return;
    auto body = jsonBody(req, {"entries", "unsent"});
    if (!body) return sendError(res, body.error());
    const Json entries = body->value("entries", Json());
    if (!entries.is_array() || entries.empty() || entries.size() > kMaxUploadEntries)
        return sendError(res, ErrorCode::InvalidValue, "Field 'entries' is a list of 1 to 100 journal entries.");

    // The book's hashes → codes, once per upload (today's key; the book is small).
    std::map<std::string, std::string> codeOfHash;
    readHallPlain(parts, [&](const HallView& v) {
        const std::string& key = v.state.offline().bookKey();
        if (key.empty()) return;
        for (const auto& [code, a] : v.state.appointments())
            if (a.day == v.state.day())
                if (auto hash = offline::bookCodeHash(key, code)) codeOfHash[*hash] = code;
    });

    // Every readable entry is decided in order and the lot is committed in one transaction (one
    // fsync per upload, not per ticket); each is still answered on its own.
    std::vector<Json> results(entries.size());
    std::vector<Command> commands;
    std::vector<std::size_t> commandOf; // result index of each command
    std::vector<UploadEntry> read;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const Json& item = entries[i];
        auto entry = readEntry(item, who->id, parts.config.hall);
        if (!entry) {
            results[i] = {{"key", item.is_object() ? item.value("key", Json()) : Json()}, {"status", "refused"},
                          {"error", {{"code", errorCodeName(entry.error().code)}, {"message", entry.error().message}}}};
            continue;
        }
        if (onlyLease && entry->command.lease != *onlyLease) {
            results[i] = {{"key", entry->key}, {"number", entry->command.number}, {"status", "refused"},
                          {"error", {{"code", errorCodeName(ErrorCode::Forbidden)},
                                     {"message", "A lease's upload secret hands in that lease's tickets only."}}}};
            continue;
        }
        if (entry->codeHash)
            if (auto it = codeOfHash.find(*entry->codeHash); it != codeOfHash.end()) entry->command.appointmentCode = it->second;
        commands.emplace_back(entry->command);
        commandOf.push_back(i);
        read.push_back(std::move(*entry));
    }
    const auto done = parts.commands.executeBatch(commands);
    int accepted = 0;
    readHallPlain(parts, [&](const HallView& v) {
        for (std::size_t c = 0; c < done.size(); ++c) {
            const UploadEntry& entry = read[c];
            Json result = {{"key", entry.key}, {"number", entry.command.number}};
            if (done[c]) {
                ++accepted;
                for (const Event& e : done[c]->events)
                    if (auto* placed = std::get_if<OfflineTicketPlaced>(&e)) {
                        result["ticket_id"] = placed->ticket;
                        result["code_conflict"] = placed->codeConflict;
                    }
                if (result.contains("ticket_id"))
                    if (const Ticket* t = v.state.ticket(result["ticket_id"].get<TicketId>())) {
                        result["kind"] = ticketKindName(t->kind);
                        result["issued_at"] = proto::rfc3339(t->issuedAt, v.now.utcOffsetS);
                    }
                result["status"] = "accepted";
            } else if (done[c].error().code == ErrorCode::AlreadyCheckedIn) {
                if (const LeaseRecord* r = v.state.offline().lease(entry.command.lease))
                    if (auto it = r->placed.find(entry.command.number); it != r->placed.end()) result["ticket_id"] = it->second;
                result["status"] = "duplicate";
            } else {
                result["status"] = "refused";
                result["error"] = {{"code", errorCodeName(done[c].error().code)}, {"message", done[c].error().message}};
            }
            results[commandOf[c]] = std::move(result);
        }
    });
    if (accepted > 0) parts.metrics.offlineTicketsAccepted(accepted);
    if (!onlyLease && body->contains("unsent") && (*body)["unsent"].is_number_integer())
        parts.devices.reportUnsent(who->id, (*body)["unsent"].get<std::int64_t>());
    sendJson(res, 200, {{"results", Json(results)}});
}

// GET /api/v1/offline/leases: every lease of today, for staff (which kiosk holds which numbers,
// how many of its tickets are in the queue, conflicts to look at).
void getLeases(const ServerParts& parts, const httplib::Request& req, httplib::Response& res) {
    if (!allow(parts, req, res, {Role::Counter, Role::Admin})) return;
    readHallPlain(parts, [&](const HallView& v) {
        Json list = Json::array();
        for (const auto& [id, r] : v.state.offline().leases()) {
            Json j = leaseJson(v, r);
            j["kiosk"] = r.lease.kiosk;
            j["service"] = v.state.config().services[r.lease.service].id;
            j["active"] = !r.ended && v.now.t < r.lease.expiresAt;
            j["ended"] = r.ended ? Json(leaseEndReasonName(r.endReason)) : Json(nullptr);
            list.push_back(j);
        }
        sendJson(res, 200, {{"day", formatDate(v.state.day())}, {"leases", list}});
    });
}

} // namespace

bool knowsLease(const ServerParts& parts, const httplib::Request& req) { return findLeaseCaller(parts, req).has_value(); }

void installOfflineRoutes(httplib::Server& server, const ServerParts& parts) {
    server.Post("/api/v1/offline/leases", route(parts, postLeases));
    server.Get("/api/v1/offline/leases", route(parts, getLeases));
    server.Post(R"(/api/v1/offline/leases/(\d{1,12})/return)", route(parts, postReturnLease));
    server.Get("/api/v1/offline/book", route(parts, getBook));
    server.Post("/api/v1/offline/upload", route(parts, postUpload));
}

} // namespace loket::server
