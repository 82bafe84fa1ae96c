// The EventStore contract, checked against BOTH implementations with the same cases: the SQLite
// file (the default) and a real PostgreSQL server (tests/postgres/postgres_process). Events in
// order with ids that never go back, one transaction per group, retry keys, the day's purge,
// visits, sessions, the audit trail, enrolled devices, the schema version. Then what only a
// shared store has: instances that open together migrate once, write turns are serialised across
// instances and hand over the events the other one committed, and a commit is announced.
#include "postgres_process.hpp"
#include "programs.hpp"

#include "server/sqlite_event_store.hpp"
#include "server/store/postgres_event_store.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <thread>

using namespace loket;
using namespace loket::server;

namespace {

std::unique_ptr<EventStore> opened(Result<std::unique_ptr<EventStore>> r) {
    if (!r) FAIL("the store did not open: " << r.error().message);
    return std::move(r.value());
}

// A SQLite file in a temporary folder.
struct SqliteStores {
    std::filesystem::path dir;
    SqliteStores() {
        std::string pattern = (std::filesystem::temp_directory_path() / "loket-contract-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()));
        dir = pattern;
    }
    ~SqliteStores() { std::filesystem::remove_all(dir); }
    std::unique_ptr<EventStore> open() { return opened(SqliteEventStore::open(dir / "loket.db")); }
    void setSchemaVersion(int v) {
        auto s = SqliteEventStore::open(dir / "loket.db");
        REQUIRE(s);
        s.value().reset();
        REQUIRE(test::runProgram({"sqlite3", (dir / "loket.db").string(), "PRAGMA user_version = " + std::to_string(v)}, dir / "sqlite3.log") == 0);
    }
};

// A database of its own on a PostgreSQL server started for the test.
struct PostgresStores {
    test::PostgresProcess server;
    std::string url = server.createDatabase("hall");
    std::unique_ptr<EventStore> open() { return opened(PostgresEventStore::open(url)); }
    void setSchemaVersion(int v) {
        open().reset();
        server.sql("hall", "UPDATE loket_schema SET version = " + std::to_string(v));
    }
};

CommitBatch batchOf(std::vector<std::string> types, core::LocalDay today = 100, core::Seconds at = 100 * 86400 + 3600) {
    CommitBatch b;
    for (auto& t : types) b.events.emplace_back(t, "{\"n\":\"" + t + "\"}");
    b.today = today;
    b.at = at;
    return b;
}

IdempotencyRecord keyOf(const std::string& k, core::LocalDay day) {
    IdempotencyRecord r;
    r.key = k;
    r.requestHash = "hash-" + k;
    r.status = 201;
    r.response = "7";
    r.day = day;
    return r;
}

core::VisitRecord visitOf(core::TicketId id, core::LocalDay day) {
    core::VisitRecord v;
    v.ticket = id;
    v.day = day;
    v.number = "A" + std::to_string(id);
    v.service = "paspoort";
    v.services = "paspoort+rijbewijs";
    v.kind = id % 2 ? core::TicketKind::Appointment : core::TicketKind::WalkIn;
    v.status = core::TicketStatus::Done;
    v.issuedAt = day * 86400 + 100 + id;
    v.appointmentAt = id % 2 ? day * 86400 + 600 : 0;
    if (id % 3) v.firstCalledAt = v.issuedAt + 60;
    if (id % 3) v.startedAt = v.issuedAt + 90;
    if (id % 3) v.endedAt = v.issuedAt + 400;
    v.counter = "balie-1";
    v.outcome = core::Outcome::Handled;
    if (id % 2) v.feedbackScore = 4;
    v.limitS = 300;
    v.issuedHour = 9;
    return v;
}

template <typename Stores>
void eventsInOrderAndAfterReopen(Stores& stores) {
    std::vector<std::int64_t> all;
    {
        auto store = stores.open();
        CHECK(store->lastEventId() == 0);
        auto ids = store->commit(batchOf({"a", "b", "c"}));
        REQUIRE(ids);
        REQUIRE(ids->size() == 3);
        CHECK((*ids)[0] < (*ids)[1]);
        CHECK((*ids)[1] < (*ids)[2]);
        CHECK(store->lastEventId() == ids->back());
        all = *ids;
        auto more = store->commit(batchOf({"d"}));
        REQUIRE(more);
        CHECK(more->front() > all.back());
        all.push_back(more->front());
    }
    auto store = stores.open();
    CHECK(store->lastEventId() == all.back());
    auto loaded = store->loadEvents();
    REQUIRE(loaded);
    REQUIRE(loaded->size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK((*loaded)[i].id == all[i]);
        CHECK((*loaded)[i].type == std::string(1, static_cast<char>('a' + i)));
        CHECK((*loaded)[i].body == "{\"n\":\"" + (*loaded)[i].type + "\"}");
    }
}

template <typename Stores>
void aGroupIsOneTransaction(Stores& stores) {
    auto store = stores.open();
    std::vector<CommitBatch> group{batchOf({"a"}), batchOf({"b", "c"}), batchOf({"d"})};
    group[0].idempotency = keyOf("k1", 100);
    auto ids = store->commitGroup(group);
    REQUIRE(ids);
    REQUIRE(ids->size() == 3);
    CHECK((*ids)[1].size() == 2);
    CHECK((*ids)[2].front() > (*ids)[1].back());
    // The second batch of this group reuses a stored key: the whole group fails, nothing of it stays.
    std::vector<CommitBatch> failing{batchOf({"e"}), batchOf({"f"})};
    failing[1].idempotency = keyOf("k1", 100);
    auto failed = store->commitGroup(failing);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == ErrorCode::StoreFailed);
    auto loaded = store->loadEvents();
    REQUIRE(loaded);
    CHECK(loaded->size() == 4);
    // And the store works on.
    auto next = store->commit(batchOf({"g"}));
    REQUIRE(next);
    CHECK(next->front() > (*ids)[2].front());
}

template <typename Stores>
void retryKeysAndTheDaysPurge(Stores& stores) {
    auto store = stores.open();
    auto empty = store->loadConfiguration();
    REQUIRE(empty);
    CHECK_FALSE(empty->has_value()); // a new store: the server seeds it from the file
    auto day1 = batchOf({"day_started", "ticket_issued"}, 100);
    day1.idempotency = keyOf("retry-1", 100);
    day1.configuration = "{\"services\":[\"paspoort\"]}";
    REQUIRE(store->commit(day1));
    auto changed = batchOf({"configuration_changed"}, 100);
    changed.configuration = "{\"services\":[\"paspoort\",\"rijbewijs\"]}";
    REQUIRE(store->commit(changed));
    REQUIRE(store->putSession("old-session", {"demo", 100 * 86400 + 7200}));
    REQUIRE(store->putSession("live-session", {"demo", 101 * 86400 + 7200}));
    auto found = store->findIdempotency("retry-1");
    REQUIRE(found);
    REQUIRE(found->has_value());
    CHECK((*found)->requestHash == "hash-retry-1");
    CHECK((*found)->status == 201);
    CHECK((*found)->response == "7");
    CHECK((*found)->day == 100);
    auto missing = store->findIdempotency("retry-2");
    REQUIRE(missing);
    CHECK_FALSE(missing->has_value());

    // The next day starts: yesterday's events, retry keys and expired sessions go; the visits stay.
    auto day2 = batchOf({"day_started"}, 101, 101 * 86400 + 3600);
    day2.purgeBeforeFirstEvent = true;
    day2.finishedDay = {visitOf(1, 100), visitOf(2, 100)};
    const std::int64_t before = store->lastEventId();
    auto ids = store->commit(day2);
    REQUIRE(ids);
    CHECK(ids->front() > before);
    auto loaded = store->loadEvents();
    REQUIRE(loaded);
    REQUIRE(loaded->size() == 1);
    CHECK(loaded->front().id == ids->front());
    // The live configuration is no visitor data: the purge keeps the last one stored.
    auto configuration = store->loadConfiguration();
    REQUIRE(configuration);
    CHECK(configuration->value_or("") == "{\"services\":[\"paspoort\",\"rijbewijs\"]}");
    auto gone = store->findIdempotency("retry-1");
    REQUIRE(gone);
    CHECK_FALSE(gone->has_value());
    auto oldSession = store->findSession("old-session");
    REQUIRE(oldSession);
    CHECK_FALSE(oldSession->has_value());
    auto liveSession = store->findSession("live-session");
    REQUIRE(liveSession);
    CHECK(liveSession->has_value());
    auto visits = store->visits(100);
    REQUIRE(visits);
    CHECK(visits->size() == 2);
    // Ids never go back, also across a purge and a reopen.
    store.reset();
    auto again = stores.open();
    CHECK(again->lastEventId() == ids->front());
    auto after = again->commit(batchOf({"ticket_issued"}, 101));
    REQUIRE(after);
    CHECK(after->front() > ids->front());
}

// A group as the executor sends it under load: many commands, their events in one order, a new
// day starting in the middle of it, retry keys and bodies with every character an array or a
// statement could trip over; the group's keys are then looked up at once.
template <typename Stores>
void aLargeGroupWithANewDayInside(Stores& stores) {
    auto store = stores.open();
    const std::string oddKey = "quote\" back\\slash, {brace} NULL é";
    const std::string oddBody = "{\"n\":\"a\\\"b\\\\c, {é} NULL\"}";
    std::vector<CommitBatch> group;
    for (int i = 0; i < 40; ++i) {
        group.push_back(batchOf({"old-" + std::to_string(i)}, 100));
        group.back().idempotency = keyOf("old-key-" + std::to_string(i), 100);
    }
    group.push_back(batchOf({"day_started", "first"}, 101, 101 * 86400 + 3600));
    group.back().purgeBeforeFirstEvent = true;
    group.back().idempotency = keyOf("new-day", 101);
    for (int i = 0; i < 260; ++i) {
        group.push_back(batchOf({"new-" + std::to_string(i)}, 101, 101 * 86400 + 3700));
        if (i == 7) group.back().events.front().second = oddBody;
        if (i == 8) group.back().idempotency = keyOf(oddKey, 101);
        if (i == 9) group.back().idempotency = keyOf("", 101);
    }
    auto ids = store->commitGroup(group);
    REQUIRE(ids);
    REQUIRE(ids->size() == group.size());
    std::vector<std::int64_t> flat;
    for (std::size_t i = 0; i < group.size(); ++i) {
        REQUIRE((*ids)[i].size() == group[i].events.size());
        for (std::int64_t id : (*ids)[i]) {
            if (!flat.empty()) CHECK(id > flat.back());
            flat.push_back(id);
        }
    }
    CHECK(store->lastEventId() == flat.back());
    // What the group wrote before the new day went with the purge; the rest is there, in order.
    auto loaded = store->loadEvents();
    REQUIRE(loaded);
    REQUIRE(loaded->size() == 262);
    CHECK(loaded->front().id == (*ids)[40].front());
    CHECK(loaded->front().type == "day_started");
    for (std::size_t i = 0; i < 260; ++i) {
        const StoredEvent& e = (*loaded)[i + 2];
        CHECK(e.id == (*ids)[41 + i].front());
        CHECK(e.type == "new-" + std::to_string(i));
        if (i == 7) CHECK(e.body == oddBody);
    }
    auto found = store->findIdempotencies({"old-key-3", "new-day", oddKey, "", "never-stored"});
    REQUIRE(found);
    std::map<std::string, IdempotencyRecord> byKey;
    for (auto& r : found.value()) byKey[r.key] = r;
    CHECK(byKey.size() == 3);
    CHECK(byKey.count("new-day") == 1);
    CHECK(byKey.count("") == 1);
    REQUIRE(byKey.count(oddKey) == 1);
    CHECK(byKey[oddKey].requestHash == "hash-" + oddKey);
    CHECK(byKey[oddKey].status == 201);
    CHECK(byKey[oddKey].response == "7");
    CHECK(byKey[oddKey].day == 101);
    auto none = store->findIdempotencies({});
    REQUIRE(none);
    CHECK(none->empty());
}

template <typename Stores>
void visitsRoundTrip(Stores& stores) {
    auto store = stores.open();
    auto b = batchOf({"day_started"}, 101);
    b.purgeBeforeFirstEvent = true;
    for (core::TicketId id = 1; id <= 6; ++id) b.finishedDay.push_back(visitOf(id, 100));
    b.finishedDay.push_back(visitOf(7, 99));
    REQUIRE(store->commit(b));
    auto read = store->visits(100);
    REQUIRE(read);
    REQUIRE(read->size() == 6);
    for (std::size_t i = 0; i < 6; ++i) {
        const core::VisitRecord want = visitOf(static_cast<core::TicketId>(i + 1), 100);
        const core::VisitRecord& got = (*read)[i];
        CHECK(got.ticket == want.ticket);
        CHECK(got.number == want.number);
        CHECK(got.services == want.services);
        CHECK(got.kind == want.kind);
        CHECK(got.status == want.status);
        CHECK(got.issuedAt == want.issuedAt);
        CHECK(got.appointmentAt == want.appointmentAt);
        CHECK(got.firstCalledAt == want.firstCalledAt);
        CHECK(got.startedAt == want.startedAt);
        CHECK(got.endedAt == want.endedAt);
        CHECK(got.counter == want.counter);
        CHECK(got.outcome == want.outcome);
        CHECK(got.feedbackScore == want.feedbackScore);
        CHECK(got.limitS == want.limitS);
        CHECK(got.issuedHour == want.issuedHour);
    }
    auto other = store->visits(99);
    REQUIRE(other);
    CHECK(other->size() == 1);
}

template <typename Stores>
void doorAnswersKeptPerDay(Stores& stores) {
    auto store = stores.open();
    auto b = batchOf({"day_started"}, 101);
    b.purgeBeforeFirstEvent = true;
    b.finishedDoorAnswers = {{100, "paspoort", 2}, {100, "ophalen", 1}, {99, "paspoort", 5}};
    REQUIRE(store->commit(b));
    auto day = store->doorAnswers(100);
    REQUIRE(day);
    CHECK(*day == core::DoorAnswerCounts{{"ophalen", 1}, {"paspoort", 2}});
    auto before = store->doorAnswers(99);
    REQUIRE(before);
    CHECK(*before == core::DoorAnswerCounts{{"paspoort", 5}});
    // A day written again (a replayed rollover) replaces its counts, never adds them up; the
    // counts survive the next day's purge and a reopen.
    auto again = batchOf({"day_started"}, 102);
    again.purgeBeforeFirstEvent = true;
    again.finishedDoorAnswers = {{100, "paspoort", 2}};
    REQUIRE(store->commit(again));
    store.reset();
    auto reopened = stores.open();
    auto kept = reopened->doorAnswers(100);
    REQUIRE(kept);
    CHECK(*kept == core::DoorAnswerCounts{{"ophalen", 1}, {"paspoort", 2}});
    auto none = reopened->doorAnswers(101);
    REQUIRE(none);
    CHECK(none->empty());
}

// A city's shared store has no day start: its expired sessions are deleted on their own.
template <typename Stores>
void expiredSessionsDeletedAlone(Stores& stores) {
    auto store = stores.open();
    REQUIRE(store->putSession("ended", {"demo", 100}));
    REQUIRE(store->putSession("ends-now", {"demo", 200, "noord"}));
    REQUIRE(store->putSession("later", {"demo", 300}));
    REQUIRE(store->deleteExpiredSessions(200));
    auto ended = store->findSession("ended");
    REQUIRE(ended);
    CHECK_FALSE(ended->has_value());
    for (const char* kept : {"ends-now", "later"}) {
        auto s = store->findSession(kept);
        REQUIRE(s);
        CHECK(s->has_value());
    }
}

// A staff account's name is the store's to give out: an add of a taken name changes nothing.
template <typename Stores>
void staffAccountAddedOnlyWhenFree(Stores& stores) {
    auto store = stores.open();
    const StaffAccountRecord first{"j.jansen", "hash-1", "counter", {"b1"}, 100, std::nullopt, {}};
    auto added = store->addStaffAccount(first);
    REQUIRE(added);
    CHECK(*added);
    auto again = store->addStaffAccount(StaffAccountRecord{"j.jansen", "hash-2", "admin", {"*"}, 200, std::nullopt, {}});
    REQUIRE(again);
    CHECK_FALSE(*again);
    auto rows = store->staffAccounts();
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    CHECK((*rows)[0].passwordHash == "hash-1");
    CHECK((*rows)[0].role == "counter");
    CHECK((*rows)[0].counters == std::vector<std::string>{"b1"});
    CHECK((*rows)[0].createdAt == 100);
}

// Expired pairing codes go without anyone listing them (housekeeping.hpp).
template <typename Stores>
void expiredPairingsDeletedAlone(Stores& stores) {
    auto store = stores.open();
    REQUIRE(store->addPairing({"111111", "kiosk", "10.0.0.1", "secret-1", 0, 100, std::nullopt}));
    REQUIRE(store->addPairing({"222222", "kiosk", "10.0.0.2", "secret-2", 0, 300, std::nullopt}));
    REQUIRE(store->deleteExpiredPairings(200));
    // The expired one is gone, also for a take; the other is still there.
    auto gone = store->takePairing("111111");
    REQUIRE(gone);
    CHECK_FALSE(*gone);
    auto kept = store->takePairing("222222");
    REQUIRE(kept);
    CHECK(*kept);
}

template <typename Stores>
void sessionsAuditAndDevices(Stores& stores) {
    auto store = stores.open();
    REQUIRE(store->putSession("h1", {"demo", 500}));
    REQUIRE(store->putSession("h1", {"demo", 900})); // extended
    auto s = store->findSession("h1");
    REQUIRE(s);
    REQUIRE(s->has_value());
    CHECK((*s)->username == "demo");
    CHECK((*s)->expiresAt == 900);
    CHECK((*s)->location.empty());
    // A city's session keeps the location chosen at log-in.
    REQUIRE(store->putSession("h2", {"demo", 900, "noord"}));
    auto located = store->findSession("h2");
    REQUIRE(located);
    REQUIRE(located->has_value());
    CHECK((*located)->location == "noord");
    REQUIRE(store->deleteSession("h1"));
    auto none = store->findSession("h1");
    REQUIRE(none);
    CHECK_FALSE(none->has_value());

    REQUIRE(store->appendAudit({0, 1000, 10, "demo", "counter", "counter.open", "balie-1", ""}));
    REQUIRE(store->appendAudit({0, 2000, 11, "admin", "admin", "device.revoke", "kiosk-2", "lost"}));
    REQUIRE(store->appendAudit({0, 2100, 11, "demo", "counter", "ticket.no_show", "A012", ""}));
    auto day11 = store->auditEntries(11);
    REQUIRE(day11);
    REQUIRE(day11->size() == 2);
    CHECK((*day11)[0].action == "device.revoke");
    CHECK((*day11)[0].detail == "lost");
    CHECK((*day11)[0].id < (*day11)[1].id);
    REQUIRE(store->purgeAudit(11));
    auto day10 = store->auditEntries(10);
    REQUIRE(day10);
    CHECK(day10->empty());
    day11 = store->auditEntries(11);
    REQUIRE(day11);
    CHECK(day11->size() == 2);

    EnrolledDeviceRecord d{"kiosk-9", "Kiosk hal", "kiosk", 1000, std::nullopt, {{"t1", 5000}, {"t2", 9000}}};
    REQUIRE(store->putEnrolledDevice(d));
    d.tokens = {{"t3", 12000}};
    d.revokedAt = 11000;
    d.name = "Kiosk ingang";
    REQUIRE(store->putEnrolledDevice(d));
    REQUIRE(store->putEnrolledDevice({"display-1", "Scherm", "display", 2000, std::nullopt, {}, "noord"}));
    auto devices = store->enrolledDevices();
    REQUIRE(devices);
    REQUIRE(devices->size() == 2);
    CHECK((*devices)[0].id == "kiosk-9");
    CHECK((*devices)[0].name == "Kiosk ingang");
    CHECK((*devices)[0].revokedAt == std::optional<std::int64_t>(11000));
    REQUIRE((*devices)[0].tokens.size() == 1);
    CHECK((*devices)[0].tokens[0].tokenHash == "t3");
    CHECK((*devices)[1].tokens.empty());
    CHECK((*devices)[0].location.empty());
    CHECK((*devices)[1].location == "noord");
    CHECK(store->probeWrite());
    CHECK(store->probeWrite());
}

// Pairing codes, the host's print jobs and devices' heartbeats (docs/postgresql.md): what
// several instances share beside the event log.
template <typename Stores>
void pairingsPrintJobsAndHeartbeats(Stores& stores) {
    auto store = stores.open();
    REQUIRE(store->addPairing({"123456", "kiosk", "10.0.0.5", "s1", 1000, 1600, std::nullopt}).value());
    CHECK_FALSE(store->addPairing({"123456", "display", "10.0.0.6", "s2", 1000, 1600, std::nullopt}).value()); // the code is taken
    REQUIRE(store->addPairing({"654321", "display", "10.0.0.6", "s3", 1100, 1200, std::nullopt}).value());
    auto open = store->pairings(1150);
    REQUIRE(open);
    REQUIRE(open->size() == 2);
    CHECK((*open)[0].code == "123456");
    CHECK((*open)[0].secretHash == "s1");
    CHECK_FALSE((*open)[0].approvedDevice);
    CHECK_FALSE(store->approvePairing("654321", "scherm", 1200).value()); // expired
    REQUIRE(store->approvePairing("123456", "kiosk-bij-de-lift", 1200).value());
    CHECK_FALSE(store->approvePairing("123456", "nog-een", 1200).value()); // approved once
    open = store->pairings(1200); // the expired one goes
    REQUIRE(open);
    REQUIRE(open->size() == 1);
    CHECK((*open)[0].approvedDevice == std::optional<std::string>("kiosk-bij-de-lift"));
    CHECK(store->takePairing("123456").value());
    CHECK_FALSE(store->takePairing("123456").value()); // the secret works once
    CHECK(store->pairings(1200)->empty());

    const auto first = store->addPrintJob({0, "kiosk-1", R"({"ticket":{"number":"A001"}})", 100, "queued", ""}, 3);
    REQUIRE(first);
    const auto other = store->addPrintJob({0, "kiosk-2", "{}", 100, "queued", ""}, 3);
    const auto old = store->addPrintJob({0, "kiosk-1", "{}", 90, "queued", ""}, 3);
    REQUIRE(other);
    REQUIRE(old);
    auto taken = store->takePrintJobs("kiosk-1", 95); // the one made at 90 is past its deadline
    REQUIRE(taken);
    REQUIRE(taken->size() == 1);
    CHECK((*taken)[0].id == *first);
    CHECK((*taken)[0].state == "taken");
    CHECK((*taken)[0].ticket == R"({"ticket":{"number":"A001"}})");
    CHECK(store->takePrintJobs("kiosk-1", 95)->empty()); // taken once
    REQUIRE(store->setPrintJob(*first, "failed", "paper_out"));
    auto job = store->printJob(*first);
    REQUIRE(job);
    REQUIRE(job->has_value());
    CHECK((*job)->state == "failed");
    CHECK((*job)->reason == "paper_out");
    CHECK((*job)->kiosk == "kiosk-1");
    CHECK((*job)->createdAt == 100);
    REQUIRE(store->addPrintJob({0, "kiosk-1", "{}", 100, "queued", ""}, 3)); // keeps the last 3
    CHECK_FALSE(store->printJob(*first)->has_value());
    CHECK(store->printJob(*other)->has_value());

    REQUIRE(store->putDeviceStatus({"kiosk-1", "ok", R"({"printer":"ok"})", 500}));
    REQUIRE(store->putDeviceStatus({"kiosk-1", "degraded", R"({"printer":"paper_out"})", 510}));
    REQUIRE(store->putDeviceStatus({"display-1", "ok", "{}", 505}));
    store.reset();
    auto reopened = stores.open();
    auto statuses = reopened->deviceStatuses();
    REQUIRE(statuses);
    REQUIRE(statuses->size() == 2);
    CHECK((*statuses)[1].id == "kiosk-1");
    CHECK((*statuses)[1].status == "degraded");
    CHECK((*statuses)[1].detail == R"({"printer":"paper_out"})");
    CHECK((*statuses)[1].lastSeen == 510);
}

template <typename Stores>
void aNewerSchemaIsRefused(Stores& stores) {
    stores.setSchemaVersion(99);
    auto refused = [&] {
        if constexpr (std::is_same_v<Stores, SqliteStores>) return SqliteEventStore::open(stores.dir / "loket.db");
        else return PostgresEventStore::open(stores.url);
    }();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("newer than this server") != std::string::npos);
}

} // namespace

// Every contract case twice: the SQLite store and the PostgreSQL store.
#define STORE_CONTRACT(title, check)                     \
    TEST_CASE("store contract: " title " (SQLite)") {   \
        SqliteStores stores;                             \
        check(stores);                                   \
    }                                                    \
    TEST_CASE("postgres: " title) {                      \
        PostgresStores stores;                           \
        check(stores);                                   \
    }

STORE_CONTRACT("events keep their order and ids, also after a reopen", eventsInOrderAndAfterReopen)
STORE_CONTRACT("a group is one transaction: one failing batch leaves nothing of the group", aGroupIsOneTransaction)
STORE_CONTRACT("retry keys are found, a new day purges old events, keys and expired sessions but keeps the configuration, ids never go back",
               retryKeysAndTheDaysPurge)
STORE_CONTRACT("a large group: ids in order per command, a new day inside it, odd keys and bodies, keys found at once",
               aLargeGroupWithANewDayInside)
STORE_CONTRACT("finished-day visits are stored and read back per day, field by field", visitsRoundTrip)
STORE_CONTRACT("a finished day's door answers are kept per day and service, across purges and a reopen", doorAnswersKeptPerDay)
STORE_CONTRACT("sessions, the audit trail and enrolled devices are kept and purged as told", sessionsAuditAndDevices)
STORE_CONTRACT("a database from a newer server is refused", aNewerSchemaIsRefused)
STORE_CONTRACT("expired sessions are deleted without a new day (a city's shared store)", expiredSessionsDeletedAlone)
STORE_CONTRACT("pairing codes, print jobs and devices' heartbeats are shared: taken once, kept as told", pairingsPrintJobsAndHeartbeats)
STORE_CONTRACT("a staff account is added only when its name is free, and the account there stays as it is", staffAccountAddedOnlyWhenFree)
STORE_CONTRACT("expired pairing codes are deleted without anyone listing them", expiredPairingsDeletedAlone)

TEST_CASE("postgres: instances that start together migrate the database once") {
    PostgresStores stores;
    constexpr int kInstances = 4;
    std::vector<Result<std::unique_ptr<EventStore>>> results;
    results.reserve(kInstances);
    std::vector<std::thread> starts;
    std::mutex m;
    for (int i = 0; i < kInstances; ++i)
        starts.emplace_back([&] {
            auto r = PostgresEventStore::open(stores.url);
            std::lock_guard l(m);
            results.push_back(std::move(r));
        });
    for (auto& t : starts) t.join();
    for (auto& r : results) REQUIRE(r);
    CHECK(stores.server.sql("hall", "SELECT version FROM loket_schema") == std::to_string(PostgresEventStore::schemaVersion()) + "\n");
    CHECK(stores.server.sql("hall", "SELECT count(*) FROM loket_schema") == "1\n");
    CHECK(stores.server.sql("hall", "SELECT count(*) FROM health") == "1\n"); // seeded once
}

TEST_CASE("postgres: a write turn waits for another instance's turn and gets the events it committed") {
    PostgresStores stores;
    auto a = stores.open();
    auto b = stores.open();
    auto first = a->beginWriteTurn(a->lastEventId());
    REQUIRE(first);
    CHECK(first->empty());
    std::atomic<bool> bDone{false};
    Result<std::vector<StoredEvent>> bMissed = std::vector<StoredEvent>{};
    std::thread bTurn([&] {
        bMissed = b->beginWriteTurn(0);
        bDone = true;
    });
    // B waits on the hall's lock (PostgreSQL shows it as an ungranted advisory lock) while A holds it.
    REQUIRE(test::waitUntil([&] {
        return stores.server.sql("hall", "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") == "1\n";
    }));
    CHECK_FALSE(bDone);
    auto ids = a->commit(batchOf({"ticket_called", "ticket_started"}));
    REQUIRE(ids);
    bTurn.join();
    REQUIRE(bMissed);
    REQUIRE(bMissed->size() == 2);
    CHECK(bMissed->front().id == ids->front());
    CHECK(bMissed->back().type == "ticket_started");
    auto bIds = b->commit(batchOf({"ticket_done"}));
    REQUIRE(bIds);
    CHECK(bIds->front() > ids->back());
    // A turn that writes nothing gives the lock back too.
    auto read = a->beginWriteTurn(ids->back());
    REQUIRE(read);
    REQUIRE(read->size() == 1);
    CHECK(read->front().id == bIds->front());
    a->endWriteTurn();
    auto c = b->beginWriteTurn(bIds->front());
    REQUIRE(c);
    CHECK(c->empty());
    b->endWriteTurn();
}

TEST_CASE("postgres: a commit of one instance is announced to the other, which reads it after its last known id") {
    PostgresStores stores;
    auto a = stores.open();
    auto b = stores.open();
    std::atomic<int> announced{0};
    std::atomic<std::int64_t> seen{0};
    std::mutex readMutex;
    b->watchCommits([&] {
        std::lock_guard l(readMutex);
        auto more = b->eventsAfter(seen);
        if (more && !more->empty()) seen = more->back().id;
        ++announced;
    });
    REQUIRE(test::waitUntil([&] { return announced >= 1; })); // the first call: listening now
    auto ids = a->commit(batchOf({"ticket_issued"}));
    REQUIRE(ids);
    CHECK(test::waitUntil([&] { return seen == ids->back(); }));
    auto more = a->commit(batchOf({"ticket_issued", "ticket_called"}));
    REQUIRE(more);
    CHECK(test::waitUntil([&] { return seen == more->back(); }));
    b->watchCommits(nullptr);
}
