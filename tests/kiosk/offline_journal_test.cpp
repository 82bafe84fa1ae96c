// The kiosk's offline journal (kiosk/offline_journal.hpp): numbers from usable leases in order,
// committed before they are printed and kept across a restart, the last resort when the blocks
// run out, and clearing after the server's answer.
#include "offline_desk.hpp"
#include "offline_journal.hpp"
#include "tests/server/server_process.hpp"

#include <catch2/catch.hpp>

#include <ctime>

using loket::kiosk::JournalLease;
using loket::kiosk::OfflineDesk;
using loket::test::ApiClient;
using loket::test::Json;
using loket::test::ServerProcess;
using loket::kiosk::OfflineJournal;
using loket::test::TempDir;

namespace {
JournalLease lease(loket::core::LeaseId id, const std::string& service, char prefix, int first, int count) {
    return JournalLease{id, service, prefix, first, count, "2026-11-23", 10'000, ""};
}
} // namespace

TEST_CASE("offline: the journal issues a lease's numbers in order and keeps them across a restart") {
    TempDir dir;
    const auto file = dir.path() / "journal.sqlite";
    {
        auto journal = OfflineJournal::open(file);
        REQUIRE(journal);
        REQUIRE(journal->replaceLeases({lease(7, "paspoort", 'A', 21, 2), lease(8, "ophalen", 'B', 5, 10)}));
        auto a = journal->issue("paspoort", std::nullopt, 100, 1000, "2026-11-23", "nl", "code-1");
        REQUIRE(a);
        CHECK(a->kind == "ticket");
        CHECK(a->number == "A021");
        CHECK(a->lease == 7);
        auto hashed = journal->issue("paspoort", std::string(64, 'f'), 101, 1001, "2026-11-23", "en", "code-2");
        REQUIRE(hashed);
        CHECK(hashed->number == "A022");
    } // the kiosk loses power
    auto journal = OfflineJournal::open(file);
    REQUIRE(journal);
    CHECK(journal->used(7).value() == 2);
    auto pending = journal->pending(10);
    REQUIRE(pending);
    REQUIRE(pending->size() == 2);
    CHECK((*pending)[0].number == "A021");
    CHECK((*pending)[1].codeHash == std::string(64, 'f'));
    CHECK((*pending)[1].language == "en");
    // The block is used up: the last resort, journalled but never uploaded.
    auto desk = journal->issue("paspoort", std::nullopt, 102, 1002, "2026-11-23", "nl", "code-3");
    REQUIRE(desk);
    CHECK(desk->kind == "no_number");
    CHECK(desk->number.empty());
    CHECK(journal->noNumberCount().value() == 1);
    CHECK(journal->pendingCount().value() == 2);
    // An expired lease (server time past it) or another day's is not used either.
    CHECK(journal->issue("ophalen", std::nullopt, 103, 20'000, "2026-11-23", "nl", "code-4")->kind == "no_number");
    CHECK(journal->issue("ophalen", std::nullopt, 103, 1003, "2026-11-24", "nl", "code-5")->kind == "no_number");
    // The server answered: cleared from the upload; leases it no longer lists go once nothing waits.
    REQUIRE(journal->markAnswered((*pending)[0].key, "accepted"));
    CHECK(journal->pendingCount().value() == 1);
    REQUIRE(journal->replaceLeases({}));
    CHECK(journal->leases()->size() == 1); // lease 7 still has a ticket to upload
    REQUIRE(journal->markAnswered((*pending)[1].key, "duplicate"));
    REQUIRE(journal->replaceLeases({}));
    CHECK(journal->leases()->empty());
}

TEST_CASE("offline: a revoked kiosk still hands in the tickets it issued before, lease by lease with the lease's upload secret") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    // An enrolled kiosk (only those can be revoked): pair, approve, collect the token.
    ApiClient device(server);
    auto pair = device.post("/api/v1/devices/pair", {{"role", "kiosk"}});
    REQUIRE(pair.status == 201);
    const std::string secret = pair.json["pairing_secret"];
    REQUIRE(device.post("/api/v1/devices/pair/claim", {{"pairing_secret", secret}}).status == 202);
    REQUIRE(admin.post("/api/v1/devices/pairings/" + pair.json["pairing_code"].get<std::string>() + "/approve", {{"name", "Kiosk"}}).status == 201);
    auto claim = device.post("/api/v1/devices/pair/claim", {{"pairing_secret", secret}});
    REQUIRE(claim.status == 200);

    loket::net::HttpClient http(loket::net::HttpOptions{server.url(), claim.json["token"].get<std::string>()});
    auto journal = OfflineJournal::open(dir.path() / "journal.sqlite");
    REQUIRE(journal);
    OfflineDesk desk(std::move(*journal), 2);
    const long kioskNow = static_cast<long>(std::time(nullptr));
    REQUIRE(desk.sync(http, kioskNow));
    // The server goes away; three walk-ins over two services.
    for (const char* service : {"ophalen", "ophalen", "paspoort"})
        REQUIRE(desk.checkIn(Json{{"service", service}}.dump(), kioskNow));
    CHECK(desk.unsent() == 3);
    // Meanwhile the hall manager revokes the kiosk: its token is gone, its leases end.
    REQUIRE(admin.post("/api/v1/devices/enrolled/" + claim.json["device_id"].get<std::string>() + "/revoke", Json::object()).status == 200);

    auto uploaded = desk.upload(http);
    REQUIRE(uploaded);
    CHECK(uploaded->accepted == 3);
    CHECK(uploaded->complete);
    CHECK(desk.unsent() == 0);
    CHECK(admin.get("/api/v1/tickets?status=waiting").json.size() == 3); // a fresh hall: only these
    // Restarted without a token at all, with nothing left: nothing to send, nothing refused.
    auto again = desk.upload(http, false);
    REQUIRE(again);
    CHECK(again->accepted + again->refused == 0);
}
