// The offline kiosk routes of the real server (issue 13): leases for every service, the offline
// book as keyed hashes, uploads placed at the kiosk's corrected check-in time exactly once and
// outside the check-in rate limit, refusals per entry, and a revoked kiosk's leases.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <ctime>

using namespace loket::test;

namespace {

// HMAC-SHA256 by the openssl command, independent of the server's own code.
std::string hmac(const std::string& keyHex, const std::string& text) {
    std::string out;
    const std::string cmd = "printf '%s' '" + text + "' | openssl dgst -sha256 -mac HMAC -macopt hexkey:" + keyHex;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[256];
        while (fgets(buf, sizeof buf, p)) out += buf;
        pclose(p);
    }
    const auto space = out.rfind(' ');
    out = space == std::string::npos ? out : out.substr(space + 1);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

std::string visitorCode(long i) {
    std::string code = "offlineVisitorCode0000";
    const std::string n = std::to_string(i);
    return code.replace(code.size() - n.size(), n.size(), n);
}

Json entry(const Json& lease, int index, long kioskAt, const std::string& service, Json codeHash = nullptr) {
    char number[8];
    std::snprintf(number, sizeof number, "%s%03d", lease["prefix"].get<std::string>().c_str(), lease["first"].get<int>() + index);
    return {{"key", std::to_string(lease["id"].get<long>()) + "-" + number}, {"lease", lease["id"]}, {"number", number},
            {"service", service}, {"code_hash", codeHash}, {"checked_in_at", kioskAt}, {"visitor_code", visitorCode(lease["id"].get<long>() * 100 + index)}};
}

// A ticket of today by its id, as staff see it (GET /api/v1/tickets).
Json ticketById(ApiClient& admin, long id) {
    const Json all = admin.get("/api/v1/tickets").json;
    for (const auto& t : all)
        if (t["id"] == id) return t;
    return Json();
}

Json leaseFor(const Json& leases, const std::string& service) {
    for (const auto& l : leases["leases"])
        if (l["service"] == service) return l;
    FAIL("no lease for " << service);
    return {};
}

} // namespace

TEST_CASE("offline: a kiosk leases every service, reads the book as hashes and uploads without drawing on its rate") {
    TempDir dir;
    // A kiosk allowed one check-in a minute: the upload of ten offline tickets must still pass.
    const auto config = configWith(dir, "checkins_per_minute = 6000000\ncheckin_burst = 1000000",
                                   "checkins_per_minute = 1\ncheckin_burst = 1");
    ServerProcess server(dir.path() / "hall.db", config);
    ApiClient kiosk(server, "demo-kiosk-token");
    ApiClient admin(server, "demo-admin-token");
    REQUIRE(admin.post("/api/v1/appointments", {{"code", "KQ2M7X"}, {"service", "paspoort"}, {"starts_at", "2030-01-01T10:00:00Z"}}).status == 201);
    CHECK(kiosk.get("/api/v1/offline/book").status == 404); // no key before the first lease

    // The kiosk's clock is 100 s behind the hall's.
    auto first = kiosk.post("/api/v1/offline/leases", {{"kiosk_time", 1000}});
    REQUIRE(first.status == 200);
    const long serverTime = first.json["server_time"];
    auto leases = kiosk.post("/api/v1/offline/leases", {{"kiosk_time", serverTime - 100}});
    REQUIRE(leases.status == 200);
    CHECK(leases.json["clock_offset_s"].get<long>() >= 100);
    CHECK(leases.json["leases"].size() == 8); // every service of the example hall, once (a retry adds none)
    for (const auto& l : leases.json["leases"]) CHECK(l["count"].get<int>() >= 10);
    const std::string key = leases.json["book_key"];
    REQUIRE(key.size() == 64);
    CHECK(leases.json["visitor_url_base"].get<std::string>().find("/v/") != std::string::npos);

    SECTION("the book holds hashes, never codes or names") {
        auto book = kiosk.get("/api/v1/offline/book");
        REQUIRE(book.status == 200);
        CHECK(book.body.find("KQ2M7X") == std::string::npos);
        REQUIRE(book.json["appointments"].size() == 0); // booked for another day
    }

    const Json paspoort = leaseFor(leases.json, "paspoort");
    const long kioskBase = serverTime - 100 + 5;
    // The rate bucket is empty after one online check-in.
    REQUIRE(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "online-1"}}).status == 201);
    CHECK(kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "online-2"}}).status == 429);

    Json entries = Json::array();
    for (int i = 0; i < 10; ++i) entries.push_back(entry(paspoort, i, kioskBase + i, "paspoort"));
    auto upload = kiosk.post("/api/v1/offline/upload", {{"entries", entries}, {"unsent", 0}});
    REQUIRE(upload.status == 200);
    REQUIRE(upload.json["results"].size() == 10);
    for (const auto& r : upload.json["results"]) CHECK(r["status"] == "accepted");
    // Placed at the kiosk's time plus its offset, never before the lease was granted.
    const Json ticket = ticketById(admin, upload.json["results"][3]["ticket_id"].get<long>());
    REQUIRE(ticket.is_object());
    CHECK(ticket["number"] == entries[3]["number"]);
    CHECK(upload.json["results"][3]["issued_at"] == ticket["issued_at"]);
    CHECK(ticket["issued_at"].get<std::string>() >= paspoort["granted_at"].get<std::string>());

    // The same upload again (a kiosk that resumes): every entry is a duplicate, no new ticket.
    auto again = kiosk.post("/api/v1/offline/upload", {{"entries", entries}});
    REQUIRE(again.status == 200);
    for (std::size_t i = 0; i < 10; ++i) {
        CHECK(again.json["results"][i]["status"] == "duplicate");
        CHECK(again.json["results"][i]["ticket_id"] == upload.json["results"][i]["ticket_id"]);
    }
    CHECK(admin.get("/api/v1/tickets?status=waiting").json.size() == 11);

    // An appointment by its hash; an entry outside the lease and a bad visitor code are refused alone.
    const Json rijbewijs = leaseFor(leases.json, "rijbewijs");
    Json mixed = Json::array({entry(leaseFor(leases.json, "paspoort"), 20, kioskBase, "paspoort"),
                              entry(rijbewijs, 0, kioskBase + 20, "rijbewijs")});
    Json badCode = entry(rijbewijs, 1, kioskBase + 21, "rijbewijs");
    badCode["visitor_code"] = "short";
    mixed.push_back(badCode);
    Json appointment = entry(leaseFor(leases.json, "paspoort"), 0, kioskBase, "paspoort", hmac(key, "KQ2M7X"));
    appointment["number"] = "A999";
    mixed.push_back(appointment);
    auto refused = kiosk.post("/api/v1/offline/upload", {{"entries", mixed}});
    REQUIRE(refused.status == 200);
    CHECK(refused.json["results"][0]["status"] == "refused");
    CHECK(refused.json["results"][1]["status"] == "accepted");
    CHECK(refused.json["results"][2]["status"] == "refused");
    CHECK(refused.json["results"][3]["status"] == "refused");

    // Staff see the leases; metrics count the accepted offline tickets.
    auto overview = admin.get("/api/v1/offline/leases");
    REQUIRE(overview.status == 200);
    CHECK(overview.json["leases"].size() == 8);
    CHECK(kiosk.get("/api/v1/offline/leases").status == 403);
    ApiClient plain(server);
    auto metrics = plain.get("/metrics");
    CHECK(metrics.body.find("loket_offline_tickets_accepted_total 11") != std::string::npos);
}

TEST_CASE("offline: an appointment from the offline book is placed as an appointment, the same code again becomes a walk-in") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient kiosk(server, "demo-kiosk-token");
    ApiClient admin(server, "demo-admin-token");
    const std::string day = admin.get("/api/v1/hall").json["hall"]["date"];
    REQUIRE(admin.post("/api/v1/appointments", {{"code", "KQ2M7X"}, {"service", "paspoort"}, {"starts_at", day + "T12:00:00Z"}}).status == 201);
    auto leases = kiosk.post("/api/v1/offline/leases", {{"kiosk_time", 1000}});
    REQUIRE(leases.status == 200);
    const long kioskNow = 1000;
    const std::string key = leases.json["book_key"];
    auto book = kiosk.get("/api/v1/offline/book");
    REQUIRE(book.status == 200);
    REQUIRE(book.json["appointments"].size() == 1);
    CHECK(book.json["appointments"][0]["hash"] == hmac(key, "KQ2M7X"));
    CHECK(book.json["appointments"][0]["services"][0] == "paspoort");
    CHECK(book.json["appointments"][0]["persons"] == 1);

    const Json lease = leaseFor(leases.json, "paspoort");
    // (Which of two check-ins is the earliest is the core's rule, tested there with a test clock.)
    auto first = kiosk.post("/api/v1/offline/upload", {{"entries", {entry(lease, 0, kioskNow, "paspoort", hmac(key, "KQ2M7X"))}}});
    REQUIRE(first.status == 200);
    CHECK(first.json["results"][0]["kind"] == "appointment");
    CHECK(first.json["results"][0]["code_conflict"] == false);
    auto second = kiosk.post("/api/v1/offline/upload", {{"entries", {entry(lease, 1, kioskNow, "paspoort", hmac(key, "KQ2M7X"))}}});
    REQUIRE(second.status == 200);
    CHECK(second.json["results"][0]["status"] == "accepted");
    CHECK(second.json["results"][0]["kind"] == "walk_in");
    CHECK(second.json["results"][0]["code_conflict"] == true);
    CHECK(ticketById(admin, first.json["results"][0]["ticket_id"].get<long>())["kind"] == "appointment");
}

TEST_CASE("offline: revoking a kiosk ends its leases at once, its tickets from before still come in with the lease's upload secret") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    ApiClient device(server);
    auto pair = device.post("/api/v1/devices/pair", {{"role", "kiosk"}});
    REQUIRE(pair.status == 201);
    const std::string code = pair.json["pairing_code"], pairingSecret = pair.json["pairing_secret"];
    REQUIRE(device.post("/api/v1/devices/pair/claim", {{"pairing_secret", pairingSecret}}).status == 202);
    REQUIRE(admin.post("/api/v1/devices/pairings/" + code + "/approve", {{"name", "Kiosk bij de lift"}}).status == 201);
    auto claim = device.post("/api/v1/devices/pair/claim", {{"pairing_secret", pairingSecret}});
    REQUIRE(claim.status == 200);
    ApiClient kiosk(server, claim.json["token"].get<std::string>());
    const long kioskNow = std::time(nullptr) - 3600; // the kiosk's clock is an hour behind
    auto leases = kiosk.post("/api/v1/offline/leases", {{"kiosk_time", kioskNow}});
    REQUIRE(leases.status == 200);
    const Json lease = leaseFor(leases.json, "ophalen"), other = leaseFor(leases.json, "paspoort");
    const std::string secret = lease["upload_secret"];
    CHECK(secret.size() == 64);
    CHECK(secret != other["upload_secret"].get<std::string>());
    const std::string id = claim.json["device_id"];
    REQUIRE(admin.post("/api/v1/devices/enrolled/" + id + "/revoke", Json::object()).status == 200);
    const Json all = admin.get("/api/v1/offline/leases").json;
    std::size_t ended = 0;
    for (const auto& l : all["leases"])
        if (l["kiosk"] == id) {
            CHECK(l["ended"] == "revoked");
            CHECK_FALSE(l["active"].get<bool>());
            ++ended;
        }
    CHECK(ended == leases.json["leases"].size());
    CHECK(kiosk.post("/api/v1/offline/leases", {{"kiosk_time", kioskNow}}).status == 401);
    // Its token is gone with the revoke...
    CHECK(kiosk.post("/api/v1/offline/upload", {{"entries", {entry(lease, 0, kioskNow - 60, "ophalen")}}}).status == 401);
    // ...but the lease's upload secret hands in that lease's tickets from before the revoke.
    auto withSecret = [&](const std::string& auth, const Json& entries) {
        httplib::Client c("127.0.0.1", server.port());
        auto r = c.Post("/api/v1/offline/upload", {{"Authorization", auth}}, Json{{"entries", entries}}.dump(), "application/json");
        REQUIRE(r);
        return std::pair<int, Json>{r->status, Json::parse(r->body)};
    };
    const std::string auth = "Lease " + std::to_string(lease["id"].get<long>()) + "." + secret;
    auto [status, body] = withSecret(auth, {entry(lease, 0, kioskNow - 60, "ophalen"), entry(lease, 1, kioskNow + 600, "ophalen"),
                                            entry(other, 0, kioskNow - 60, "paspoort")});
    REQUIRE(status == 200);
    CHECK(body["results"][0]["status"] == "accepted");        // issued before the revoke
    CHECK(body["results"][1]["status"] == "refused");         // dated after it
    CHECK(body["results"][1]["error"]["code"] == "forbidden");
    CHECK(body["results"][2]["status"] == "refused");         // another lease: its own secret only
    CHECK(body["results"][2]["error"]["code"] == "forbidden");
    CHECK(ticketById(admin, body["results"][0]["ticket_id"].get<long>())["number"] == body["results"][0]["number"]);
    // Again: the same ticket, not a second one.
    // (Json::array: a braced list of one Json would be that one entry, not a list of it.)
    auto again = withSecret(auth, Json::array({entry(lease, 0, kioskNow - 60, "ophalen")}));
    REQUIRE(again.first == 200);
    CHECK(again.second["results"][0]["status"] == "duplicate");
    // A wrong secret, or one lease's secret for another, is refused as a whole.
    std::string wrong = secret;
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    CHECK(withSecret("Lease " + std::to_string(lease["id"].get<long>()) + "." + wrong, Json::array({entry(lease, 2, kioskNow - 60, "ophalen")})).first == 401);
    CHECK(withSecret("Lease " + std::to_string(other["id"].get<long>()) + "." + secret, Json::array({entry(other, 1, kioskNow - 60, "paspoort")})).first == 401);
    CHECK(withSecret("Lease x", Json::array({entry(lease, 2, kioskNow - 60, "ophalen")})).first == 401);
}
