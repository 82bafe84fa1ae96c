// Crash loop: the real server is killed with SIGKILL again and again while kiosks check visitors
// in (each with its own idempotency keys) and counters call and complete them. After every
// restart the test's own bookkeeping is checked against the server:
//   - every acknowledged check-in is there, with the number it was given;
//   - every acknowledged call and completion is there;
//   - no number and no ticket is doubled;
//   - event ids continue: none goes back, a new change gets a higher one;
//   - a check-in that was never answered, retried with its key, takes effect exactly once
//     (200 when it had been stored before the crash, 201 when it had not).
// CI runs 10 cycles; LOKET_SOAK_CYCLES=100 runs the long version (docs/benchmarks.md).
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

using namespace loket::test;

namespace {

constexpr int kKiosks = 3;
const std::vector<std::string> kCounters = {"b1", "b2"};
const std::vector<std::string> kServices = {"paspoort", "ophalen", "uittreksel", "rijbewijs"};

struct CheckIn {
    std::string service;
    std::optional<long long> id;   // set when answered
    std::string number;
};

// What the clients know for certain: only what the server acknowledged.
struct Books {
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::string, CheckIn> checkIns;  // by idempotency key
    std::set<long long> called;               // acknowledged calls (ticket ids)
    std::set<long long> completed;            // acknowledged completions
    long long acknowledgedThisCycle = 0;
    long long retriedStoredBefore = 0, retriedStoredAfter = 0;
    std::vector<std::string> problems;        // from the client threads (Catch asserts on the main thread only)
    void problem(std::string what) {
        std::lock_guard lock(mutex);
        problems.push_back(std::move(what));
        changed.notify_all();
    }
};

void kiosk(const ServerProcess& server, Books& books, int cycle, int index, std::uint32_t seed) {
    ApiClient client(server, "demo-kiosk-token");
    std::mt19937 rng(seed);
    for (int i = 0;; ++i) {
        const std::string key = "c" + std::to_string(cycle) + "-k" + std::to_string(index) + "-" + std::to_string(i);
        const std::string service = kServices[rng() % kServices.size()];
        {
            std::lock_guard lock(books.mutex);
            books.checkIns[key] = CheckIn{service, std::nullopt, {}};
        }
        auto r = client.post("/api/v1/tickets", {{"service", service}}, {{"Idempotency-Key", key}});
        if (r.status == -1) return; // the server is gone: this key stays unanswered
        if (r.status != 201) return books.problem("check-in " + key + ": " + std::to_string(r.status) + " " + r.body);
        std::lock_guard lock(books.mutex);
        auto& c = books.checkIns[key];
        c.id = r.json["ticket"]["id"].get<long long>();
        c.number = r.json["ticket"]["number"];
        books.acknowledgedThisCycle += 1;
        books.changed.notify_all();
    }
}

void counter(const ServerProcess& server, Books& books, const std::string& token, const std::string& id) {
    ApiClient staff(server, token);
    for (;;) {
        // Finish what the counter serves (an answer lost in the last crash included), then call.
        auto counters = staff.get("/api/v1/counters");
        if (counters.status == -1) return;
        std::optional<long long> serving;
        for (const auto& c : counters.json)
            if (c["id"] == id && c.value("ticket", Json()).is_object()) serving = c["ticket"]["id"].get<long long>();
        if (serving) {
            auto done = staff.post("/api/v1/tickets/" + std::to_string(*serving) + "/complete", {{"outcome", "handled"}});
            if (done.status == -1) return;
            if (done.status != 200) return books.problem("complete at " + id + ": " + std::to_string(done.status) + " " + done.body);
            std::lock_guard lock(books.mutex);
            books.completed.insert(*serving);
            continue;
        }
        auto next = staff.post("/api/v1/counters/" + id + "/next");
        if (next.status == -1) return;
        if (next.status != 200 && next.status != 204) return books.problem("next at " + id + ": " + std::to_string(next.status) + " " + next.body);
        if (next.status == 200) {
            std::lock_guard lock(books.mutex);
            books.called.insert(next.json["ticket"]["id"].get<long long>());
        }
    }
}

long long hallEventId(const ServerProcess& server) {
    auto hall = ApiClient(server, "demo-display-token").get("/api/v1/hall");
    REQUIRE(hall.status == 200);
    return hall.json["event_id"].get<long long>();
}

// Compares the server's tickets with the books; retries every unanswered key.
void audit(const ServerProcess& server, Books& books, const std::string& token, long long lastEventIdBefore) {
    ApiClient staff(server, token);
    ApiClient kiosk(server, "demo-kiosk-token");
    CHECK(hallEventId(server) >= lastEventIdBefore);

    // Unanswered check-ins, retried with their keys: each takes effect exactly once.
    std::vector<std::string> unanswered;
    for (auto& [key, c] : books.checkIns)
        if (!c.id) unanswered.push_back(key);
    for (const auto& key : unanswered) {
        auto& c = books.checkIns[key];
        auto r = kiosk.post("/api/v1/tickets", {{"service", c.service}}, {{"Idempotency-Key", key}});
        INFO(key << ": " << r.body);
        REQUIRE((r.status == 200 || r.status == 201));
        (r.status == 200 ? books.retriedStoredBefore : books.retriedStoredAfter) += 1;
        c.id = r.json["ticket"]["id"].get<long long>();
        c.number = r.json["ticket"]["number"];
        // The same key again: the same ticket, never a second one.
        auto again = kiosk.post("/api/v1/tickets", {{"service", c.service}}, {{"Idempotency-Key", key}});
        CHECK(again.status == 200);
        CHECK(again.json["ticket"]["id"].get<long long>() == *c.id);
    }

    auto tickets = staff.get("/api/v1/tickets");
    REQUIRE(tickets.status == 200);
    std::map<long long, Json> byId;
    std::set<std::string> numbers;
    for (const auto& t : tickets.json) {
        CHECK(byId.emplace(t["id"].get<long long>(), t).second);
        CHECK(numbers.insert(t["number"].get<std::string>()).second); // numbers are unique
    }
    // Nothing doubled: exactly one ticket per key ever sent.
    CHECK(byId.size() == books.checkIns.size());
    for (const auto& [key, c] : books.checkIns) {
        INFO("check-in " << key);
        auto it = byId.find(*c.id);
        REQUIRE(it != byId.end());
        CHECK(it->second["number"] == c.number);
        CHECK(it->second["services"][0] == c.service);
    }
    for (long long id : books.called) {
        INFO("called ticket " << id);
        REQUIRE(byId.count(id) == 1);
        CHECK(byId[id]["status"] != "waiting");
    }
    for (long long id : books.completed) {
        INFO("completed ticket " << id);
        REQUIRE(byId.count(id) == 1);
        CHECK(byId[id]["status"] == "done");
    }
}

int cyclesFromEnv() {
    const char* s = std::getenv("LOKET_SOAK_CYCLES");
    return s && std::atoi(s) > 0 ? std::atoi(s) : 10;
}

} // namespace

TEST_CASE("crash loop: kill -9 under load, again and again, loses and doubles nothing") {
    const int cycles = cyclesFromEnv();
    TempDir dir;
    const auto db = dir.path() / "hall.db";
    // 09:00 UTC in the hall whatever the hour of the run, so no run crosses midnight.
    const long long shift = 9 * 3600 - static_cast<long long>(std::time(nullptr)) % 86400;
    const std::vector<std::string> env = {"LOKET_CLOCK_OFFSET_S=" + std::to_string(shift)};
    std::mt19937 rng(20261201);
    Books books;
    std::string token;
    long long lastEventId = 0;
    long long kills = 0;
    const auto start = std::chrono::steady_clock::now();

    std::optional<ServerProcess> server;
    server.emplace(db, ServerProcess::defaultConfig(), env);
    token = loginDemo(*server);
    for (const auto& id : kCounters) REQUIRE(ApiClient(*server, token).post("/api/v1/counters/" + id + "/open").status == 200);

    for (int cycle = 0; cycle < cycles; ++cycle) {
        INFO("cycle " << cycle);
        {
            std::lock_guard lock(books.mutex);
            books.acknowledgedThisCycle = 0;
        }
        std::vector<std::thread> clients;
        for (int k = 0; k < kKiosks; ++k)
            clients.emplace_back(kiosk, std::cref(*server), std::ref(books), cycle, k, static_cast<std::uint32_t>(rng()));
        for (const auto& id : kCounters) clients.emplace_back(counter, std::cref(*server), std::ref(books), token, id);
        // Kill at a seeded point of the load: after 5 to 30 acknowledged check-ins this cycle.
        const long long killAfter = 5 + static_cast<long long>(rng() % 26);
        {
            std::unique_lock lock(books.mutex);
            REQUIRE(books.changed.wait_for(lock, std::chrono::seconds(60), [&] { return books.acknowledgedThisCycle >= killAfter || !books.problems.empty(); }));
            INFO("client problems: " << Json(books.problems).dump());
            REQUIRE(books.problems.empty());
        }
        // Ids are only ever read from a live server: what a display could have seen before the crash.
        lastEventId = std::max(lastEventId, hallEventId(*server));
        server->kill9();
        ++kills;
        for (auto& t : clients) t.join();
        {
            std::lock_guard lock(books.mutex);
            INFO("client problems: " << Json(books.problems).dump());
            REQUIRE(books.problems.empty());
        }
        server.emplace(db, ServerProcess::defaultConfig(), env);
        std::lock_guard lock(books.mutex);
        audit(*server, books, token, lastEventId);
        // A new change after the restart gets a higher id than any before the crash.
        const long long before = hallEventId(*server);
        CHECK(before >= lastEventId);
        lastEventId = before;
    }
    auto probe = ApiClient(*server, "demo-kiosk-token").post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "after-the-loop"}});
    REQUIRE(probe.status == 201);
    CHECK(hallEventId(*server) > lastEventId);

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    long long acknowledged = 0;
    for (const auto& [key, c] : books.checkIns) acknowledged += c.id ? 1 : 0;
    std::cout << "crash loop: " << kills << " kill -9 cycles in " << seconds << " s; " << books.checkIns.size()
              << " check-ins (" << books.retriedStoredBefore << " unanswered but stored, " << books.retriedStoredAfter
              << " unanswered and not stored, both retried with their key), " << books.called.size() << " calls and "
              << books.completed.size() << " completions acknowledged; lost 0, doubled 0 (checked after every cycle)\n";
}
