// A commit's announcement carries its events (server/store/postgres_announcement.hpp), so an
// instance following the location applies them without reading the event log: the payload format
// on its own (odd bodies, a group too large, a payload not understood), and two stores on a real
// PostgreSQL (postgres_process.hpp): the events a follower gets equal the stored ones and cost no
// read, while an oversized group, a caller behind what was kept, and a write turn still read.
#include "postgres_process.hpp"
#include "programs.hpp"

#include "server/store/postgres_announcement.hpp"
#include "server/store/postgres_event_store.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>

using namespace loket;
using namespace loket::server;

namespace {

CommitBatch batchWith(std::vector<std::pair<std::string, std::string>> events) {
    CommitBatch b;
    b.events = std::move(events);
    b.today = 100;
    b.at = 100 * 86400 + 3600;
    return b;
}

// Bodies the payload must carry as they are: new lines, quotes, non-ASCII, digits first, empty.
const std::vector<std::pair<std::string, std::string>> kOddEvents = {
    {"ticket_issued", "{\"name\":\"Ünal \\\"J\\\" \xC3\xA9\xC3\xA9n\",\"note\":\"line\nnext\"}"},
    {"ticket_called", "12\n34"},
    {"ticket_done", ""},
};

bool sameEvents(const std::vector<StoredEvent>& a, const std::vector<StoredEvent>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].id != b[i].id || a[i].type != b[i].type || a[i].body != b[i].body) return false;
    return true;
}

std::unique_ptr<EventStore> openForAnnouncements(Result<std::unique_ptr<EventStore>> r) {
    if (!r) FAIL("the store did not open: " << r.error().message);
    return std::move(r.value());
}

// Store A commits; store B follows like a server's catch-up: on each announcement it asks for the
// events after the last one it has.
struct Follower {
    test::PostgresProcess server;
    std::string url = server.createDatabase("hall");
    std::unique_ptr<EventStore> a = openForAnnouncements(PostgresEventStore::open(url));
    std::unique_ptr<EventStore> bStore = openForAnnouncements(PostgresEventStore::open(url));
    PostgresEventStore& b = dynamic_cast<PostgresEventStore&>(*bStore);
    std::mutex mutex;
    std::vector<StoredEvent> got;
    std::atomic<int> calls{0};
    std::atomic<std::int64_t> seen{0};

    explicit Follower(bool catchUp = true) {
        b.watchCommits([this, catchUp] {
            if (catchUp) {
                std::lock_guard l(mutex);
                auto more = b.eventsAfter(seen);
                REQUIRE(more);
                for (auto& e : *more) got.push_back(e);
                if (!got.empty()) seen = got.back().id;
            }
            ++calls;
        });
        REQUIRE(test::waitUntil([&] { return calls >= 1; })); // listening now
    }
    ~Follower() { b.watchCommits(nullptr); }
    std::vector<StoredEvent> stored() {
        auto all = a->loadEvents();
        REQUIRE(all);
        return *all;
    }
    std::vector<StoredEvent> followed() {
        std::lock_guard l(mutex);
        return got;
    }
};

} // namespace

TEST_CASE("postgres: an announcement's payload gives back the events it carries, byte for byte") {
    const std::vector<CommitBatch> group{batchWith({kOddEvents[0]}), batchWith({kOddEvents[1], kOddEvents[2]})};
    const std::string carried = pg::carriedEvents(group);
    REQUIRE_FALSE(carried.empty());
    auto a = pg::parseAnnouncement("42" + carried);
    REQUIRE(a);
    CHECK(a->lastId == 42);
    REQUIRE(a->events.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(a->events[i].id == 40 + static_cast<std::int64_t>(i));
        CHECK(a->events[i].type == kOddEvents[i].first);
        CHECK(a->events[i].body == kOddEvents[i].second);
    }
    CHECK(pg::announcedLastId("42" + carried) == 42);
    // The id alone, as earlier servers announce.
    auto idOnly = pg::parseAnnouncement("7");
    REQUIRE(idOnly);
    CHECK(idOnly->lastId == 7);
    CHECK(idOnly->events.empty());
}

TEST_CASE("postgres: events too large for an announcement are not carried, and a payload not understood carries none") {
    const std::vector<CommitBatch> big{batchWith({{"ticket_issued", std::string(pg::kMaxCarriedEvents, 'x')}})};
    CHECK(pg::carriedEvents(big).empty());
    CHECK(pg::carriedEvents({}).empty());
    CHECK_FALSE(pg::parseAnnouncement(""));
    CHECK_FALSE(pg::parseAnnouncement("x1"));
    CHECK_FALSE(pg::announcedLastId("\n1"));
    // Cut short, a length past the end, a missing type, more events than ids: the id, no events.
    for (const std::string payload : {"9\nticket_issued\n5\nabc", "9\nticket_issued\n", "9\n\n3\nabc", "9\nt\nx\nabc", "1\na\n0\n\nb\n0\n"}) {
        auto a = pg::parseAnnouncement(payload);
        REQUIRE(a);
        CHECK(a->lastId == (payload[0] - '0'));
        CHECK(a->events.empty());
    }
}

TEST_CASE("postgres: a follower gets a commit's events from its announcement, equal to the stored ones, without reading") {
    Follower f;
    const auto readsBefore = f.b.eventLogReads();
    auto first = f.a->commitGroup(std::vector<CommitBatch>{batchWith({kOddEvents[0]}), batchWith({kOddEvents[1], kOddEvents[2]})});
    REQUIRE(first);
    auto second = f.a->commit(batchWith({{"ticket_started", "{\"counter\":\"1\"}"}}));
    REQUIRE(second);
    REQUIRE(test::waitUntil([&] { return f.seen == second->back(); }));
    CHECK(sameEvents(f.followed(), f.stored()));
    CHECK(f.b.eventLogReads() == readsBefore);
    CHECK(f.b.lastEventId() == second->back());
}

TEST_CASE("postgres: an oversized group is announced by its id alone and read, and the next group is carried again") {
    Follower f;
    const auto readsBefore = f.b.eventLogReads();
    auto big = f.a->commit(batchWith({{"ticket_issued", "{\"note\":\"" + std::string(9000, 'x') + "\"}"}, {"ticket_called", "{}"}}));
    REQUIRE(big);
    REQUIRE(test::waitUntil([&] { return f.seen == big->back(); }));
    CHECK(f.b.eventLogReads() == readsBefore + 1);
    auto small = f.a->commit(batchWith({{"ticket_done", "{}"}}));
    REQUIRE(small);
    REQUIRE(test::waitUntil([&] { return f.seen == small->back(); }));
    CHECK(f.b.eventLogReads() == readsBefore + 1);
    CHECK(sameEvents(f.followed(), f.stored()));
}

TEST_CASE("postgres: a caller behind the events announcements carried reads them, and a write turn gets every missed event") {
    Follower f(false); // B keeps what is announced, but nobody takes it
    auto first = f.a->commit(batchWith({kOddEvents[0], kOddEvents[1]}));
    REQUIRE(first);
    REQUIRE(test::waitUntil([&] { return f.calls >= 2; })); // the announcement arrived
    auto second = f.a->commit(batchWith({kOddEvents[2]}));   // its announcement may or may not have arrived
    REQUIRE(second);
    // The write turn: what was kept, and what was committed after the last announcement, read.
    auto turn = f.b.beginWriteTurn(0);
    REQUIRE(turn);
    CHECK(sameEvents(*turn, f.stored()));
    f.b.endWriteTurn();
    // Taken by the turn: a caller still behind them reads them again, all of them.
    const auto readsBefore = f.b.eventLogReads();
    auto again = f.b.eventsAfter(0);
    REQUIRE(again);
    CHECK(sameEvents(*again, f.stored()));
    CHECK(f.b.eventLogReads() == readsBefore + 1);
}
