// A city on PostgreSQL: firmware-config/city.example.toml served by two loket-server instances on
// one database. A credential of one location neither sees nor changes another's queue, for every
// role, on either instance (tests/support/city_checks); each location keeps its tables in a schema
// of its own and serialises its commands with an advisory lock of its own, so check-ins at both
// locations through both instances number without gaps or repeats, each location from 1.
#include "city_checks.hpp"
#include "postgres_process.hpp"
#include "server/store/postgres_event_store.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <mutex>
#include <set>
#include <span>
#include <thread>

using namespace loket::test;

namespace {

struct CityOnTwoInstances {
    PostgresProcess postgres;
    std::string url = postgres.createDatabase("city");
    TempDir dir;
    ServerProcess a{dir.path() / "a.db", cityConfig(), {}, {"--store", url}};
    ServerProcess b{dir.path() / "b.db", cityConfig(), {}, {"--store", url}};
};

} // namespace

TEST_CASE("postgres: a kiosk checks in at its own location only, on either instance") {
    CityOnTwoInstances city;
    checkKioskIsolation(city.a, city.b);
}

TEST_CASE("postgres: a display sees its own location only, on either instance") {
    CityOnTwoInstances city;
    checkDisplayIsolation(city.a, city.b);
}

TEST_CASE("postgres: counter staff choose a location and work in its queue only, on either instance") {
    CityOnTwoInstances city;
    checkCounterIsolation(city.a, city.b);
}

TEST_CASE("postgres: managers and integrations see and change their own locations only, on either instance") {
    CityOnTwoInstances city;
    checkManagerIsolation(city.a, city.b);
}

TEST_CASE("postgres: the host's walk-ins, door answers and print jobs stay at its location, on either instance") {
    CityOnTwoInstances city;
    checkHostIsolation(city.a, city.b);
}

TEST_CASE("postgres: staff accounts made on /beheer work at the locations their managers give them") {
    CityOnTwoInstances city;
    checkStaffAccountIsolation(city.b);
}

TEST_CASE("postgres: each location has its own schema and lock, concurrent check-ins at two locations on two instances number from 1 without repeats") {
    CityOnTwoInstances city;
    constexpr int kPerKiosk = 5; // within a kiosk's check-in burst (10) on each instance
    std::mutex mutex;
    std::map<std::string, std::vector<std::string>> numbers; // location → numbers issued
    std::vector<std::string> errors;
    std::vector<std::thread> kiosks;
    for (const auto& [location, token] : {std::pair<std::string, std::string>{"stadhuis", "stadhuis-kiosk-token"}, {"noord", "noord-kiosk-token"}})
        for (const ServerProcess* server : {&city.a, &city.b})
            kiosks.emplace_back([&, location, token, server] {
                ApiClient kiosk(*server, token);
                for (int i = 0; i < kPerKiosk; ++i) {
                    auto r = kiosk.post("/api/v1/tickets", {{"service", "ophalen"}},
                                        {{"Idempotency-Key", location + (server == &city.a ? "-a-" : "-b-") + std::to_string(i)}});
                    std::lock_guard l(mutex);
                    if (r.status != 201) errors.push_back(std::to_string(r.status) + " " + r.body);
                    else numbers[location].push_back(r.json["ticket"]["number"]);
                }
            });
    for (auto& k : kiosks) k.join();
    INFO((errors.empty() ? std::string() : errors.front()));
    REQUIRE(errors.empty());
    for (const auto& location : {"stadhuis", "noord"}) {
        const auto& issued = numbers[location];
        const std::set<std::string> unique(issued.begin(), issued.end());
        CHECK(issued.size() == 2 * kPerKiosk);
        CHECK(unique.size() == issued.size());
        CHECK(*unique.begin() == "B001");
        CHECK(*unique.rbegin() == "B010");
    }
    // The tables of each location live in its own schema; the shared ones (sessions, devices) in public.
    auto count = [&](const std::string& table) {
        std::string text = city.postgres.sql("city", "SELECT count(*) FROM " + table);
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
        return text;
    };
    CHECK(count("loc_stadhuis.events WHERE type = 'ticket.issued'") == "10");
    CHECK(count("loc_noord.events WHERE type = 'ticket.issued'") == "10");
    CHECK(count("loc_dorp.events WHERE type = 'ticket.issued'") == "0");
    CHECK(count("public.events") == "0");
}

TEST_CASE("postgres: a location's write turn holds its own lock, another location commits meanwhile, in its own schema and numbering") {
    using namespace loket::server;
    PostgresProcess postgres;
    const std::string url = postgres.createDatabase("city");
    auto stadhuis = PostgresEventStore::open(url, "stadhuis");
    auto stadhuis2 = PostgresEventStore::open(url, "stadhuis"); // the same location on another instance
    auto noord = PostgresEventStore::open(url, "noord");
    REQUIRE(stadhuis);
    REQUIRE(stadhuis2);
    REQUIRE(noord);
    CHECK_FALSE(PostgresEventStore::open(url, "Noord-1")); // not a schema name
    CommitBatch batch;
    batch.events = {{"ticket.issued", "{\"n\":1}"}};
    batch.today = 100;
    batch.at = 100 * 86400 + 3600;

    REQUIRE(stadhuis.value()->beginWriteTurn(0)); // holds stadhuis's lock until it commits
    // Noord's commands do not wait for stadhuis's turn (if they did, this would never return).
    auto noordIds = noord.value()->commit(batch);
    REQUIRE(noordIds);
    CHECK(noordIds->front() == 1); // its own event ids
    // Stadhuis on the other instance waits for the open turn, then gets what it committed.
    std::vector<StoredEvent> missed;
    bool turnFailed = false;
    std::thread second([&] { // no Catch2 assertions off the test's thread
        auto turn = stadhuis2.value()->beginWriteTurn(0);
        if (turn) missed = std::move(turn.value());
        turnFailed = !turn;
        stadhuis2.value()->endWriteTurn();
    });
    auto ids = stadhuis.value()->commitGroup(std::span<const CommitBatch>(&batch, 1));
    second.join();
    REQUIRE_FALSE(turnFailed);
    REQUIRE(ids);
    CHECK(ids->front().front() == 1);
    REQUIRE(missed.size() == 1);
    CHECK(missed.front().id == 1);
    // Each schema holds its own location's events only.
    auto noordEvents = noord.value()->loadEvents();
    REQUIRE(noordEvents);
    CHECK(noordEvents->size() == 1);
    CHECK(postgres.sql("city", "SELECT count(*) FROM loc_stadhuis.events") == "1\n");
}
