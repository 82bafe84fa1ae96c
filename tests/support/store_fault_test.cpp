// Storage faults against the real server: the fault VFS (fault_vfs.hpp) is preloaded into
// loket-server and fails, one by one, every write, sync and truncate of a scripted hall morning
// (check-ins, calls, a transfer, completions, a no-show, a pause, and the next morning's day
// rollover). For every N:
//   - every request is answered 2xx or 503 store_failed; a 503 retried (a check-in with its key)
//     then succeeds in the same server process — it recovers once the fault clears;
//   - what the server holds in memory equals what it rebuilds from disk after kill -9;
//   - the end state equals the state of the same morning without faults: nothing acknowledged
//     is missing, nothing failed took effect twice.
// A power cut at every write or sync loses, keeps or tears whatever was not yet synced; the
// restarted server then holds exactly the acknowledged steps (and, maybe, the one in flight).
//
// CI sweeps every write for I/O errors and a seeded sample for "disk full" and power cuts; set
// LOKET_FAULT_STRIDE=1 for the whole sweep of each (docs/testing.md).
#include "fault_vfs.hpp"
#include "server_process.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <cstdlib>
#include <ctime>
#include <functional>
#include <optional>

using namespace loket::test;

namespace {

constexpr long long kDayS = 86400;

// The hall's clock runs at 09:00 UTC on the first day (10:00 or 11:00 in the hall), whatever
// the hour of the test run, so a run never crosses midnight by accident.
long long firstDayOffset() {
    static const long long shift = 9 * 3600 - static_cast<long long>(std::time(nullptr)) % kDayS;
    return shift;
}

// The state that matters, without times or predictions: tickets and counters as staff see them.
Json snapshot(const ServerProcess& server, const std::string& staffToken) {
    ApiClient staff(server, staffToken);
    auto tickets = staff.get("/api/v1/tickets");
    auto counters = staff.get("/api/v1/counters");
    REQUIRE(tickets.status == 200);
    REQUIRE(counters.status == 200);
    Json out = {{"tickets", Json::array()}, {"counters", Json::array()}};
    for (const auto& t : tickets.json)
        out["tickets"].push_back({{"id", t["id"]}, {"number", t["number"]}, {"status", t["status"]}, {"counter", t.value("counter", Json())},
                                  {"services", t["services"]}, {"outcome", t.value("outcome", Json())}, {"calls", t.value("calls", Json())}});
    for (const auto& c : counters.json)
        out["counters"].push_back({{"id", c["id"]}, {"state", c["state"]}, {"ticket", c.value("ticket", Json())}});
    return out;
}

// One request of the morning. `expect` is its status when all goes well.
struct Step {
    std::string what;
    std::function<ApiResponse(const ServerProcess&, const std::string& staffToken)> send;
    int expect = 200;
};

std::vector<Step> morningSteps(int day) {
    const std::string d = std::to_string(day);
    auto checkIn = [d](std::string key, std::string service) {
        return Step{"check-in " + key, [=](const ServerProcess& s, const std::string&) {
                        return ApiClient(s, "demo-kiosk-token").post("/api/v1/tickets", {{"service", service}}, {{"Idempotency-Key", "d" + d + "-" + key}});
                    }, 201};
    };
    auto counter = [](std::string id, std::string action, int expect = 200) {
        return Step{id + " " + action, [=](const ServerProcess& s, const std::string& token) {
                        return ApiClient(s, token).post("/api/v1/counters/" + id + "/" + action);
                    }, expect};
    };
    // Acts on the ticket the counter serves now (read from the counters list, not remembered,
    // so the same step works whatever ids a run gave).
    auto onCurrent = [](std::string counterId, std::string action, Json body = Json::object()) {
        return Step{counterId + " ticket " + action, [=](const ServerProcess& s, const std::string& token) {
                        ApiClient staff(s, token);
                        for (const auto& c : staff.get("/api/v1/counters").json)
                            if (c["id"] == counterId && c.value("ticket", Json()).is_object())
                                return staff.post("/api/v1/tickets/" + c["ticket"]["id"].dump() + "/" + action, body);
                        return ApiResponse{-2, {}, "counter " + counterId + " serves nobody"};
                    }};
    };
    if (day == 0)
        return {checkIn("k1", "paspoort"), checkIn("k2", "ophalen"), checkIn("k3", "uittreksel"), checkIn("k4", "verhuizing"),
                counter("b1", "open"), counter("b2", "open"), counter("b1", "next"), onCurrent("b1", "start"),
                onCurrent("b1", "complete", {{"outcome", "handled"}}), counter("b2", "next"), onCurrent("b2", "no-show"),
                checkIn("k5", "paspoort"), counter("b1", "next"), onCurrent("b1", "transfer", {{"service", "verhuizing"}}),
                counter("b2", "next"), onCurrent("b2", "complete", {{"outcome", "handled"}}), counter("b2", "pause"),
                counter("b1", "next"), onCurrent("b1", "recall"), onCurrent("b1", "complete", {{"outcome", "backoffice"}})};
    // The next morning: the first command after midnight also rolls the day over.
    return {checkIn("k1", "ophalen"), checkIn("k2", "paspoort"), counter("b2", "open"), counter("b2", "next"),
            onCurrent("b2", "complete", {{"outcome", "handled"}}), checkIn("k3", "uittreksel")};
}

std::vector<std::string> serverEnv(const FaultControl& control, long long offsetS) {
    return {control.preloadEnv(), control.controlEnv(), "LOKET_CLOCK_OFFSET_S=" + std::to_string(offsetS)};
}

int strideFromEnv(int ciStride) {
    const char* s = std::getenv("LOKET_FAULT_STRIDE");
    return s && std::atoi(s) > 0 ? std::atoi(s) : ciStride;
}


// The morning without faults, with the state after every step (index 0: before the first).
struct Baseline {
    std::vector<Json> states[2];
    std::int64_t ops = 0; // counted operations from the first request of day 0 to the last of day 1
};

// Runs one day's steps; a 503 is retried once and must then succeed. Returns how many steps were
// acknowledged before the server stopped answering (all of them unless the power failed).
struct DayResult {
    std::size_t acknowledged = 0;
    int failures = 0; // 503 answers
    bool serverGone = false;
};

DayResult runDay(const ServerProcess& server, const std::string& token, const std::vector<Step>& steps, std::vector<Json>* states) {
    DayResult out;
    if (states) states->push_back(snapshot(server, token));
    for (const Step& step : steps) {
        INFO("step: " << step.what);
        ApiResponse r = step.send(server, token);
        if (r.status == -1) { // the connection broke: the power failed under this request
            out.serverGone = true;
            return out;
        }
        if (r.status == 503) {
            CHECK(r.json["error"]["code"] == "store_failed");
            ++out.failures;
            r = step.send(server, token); // the fault was one write: the same request now works
            if (r.status == -1) {
                out.serverGone = true;
                return out;
            }
        }
        INFO("answer: " << r.status << " " << r.body);
        REQUIRE(r.status == step.expect);
        ++out.acknowledged;
        if (states) states->push_back(snapshot(server, token));
    }
    return out;
}

std::string login(const ServerProcess& server) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto r = ApiClient(server).post("/api/v1/login", {{"username", "demo"}, {"password", "demo-demo-demo"}});
        if (r.status == 200) return r.json["token"];
        REQUIRE(r.status == 503); // storing the session failed: try once more
    }
    FAIL("login failed twice");
    return {};
}

// The state a server rebuilds from the file, read by a fresh process (no faults).
Json reopened(const std::filesystem::path& db, FaultControl& control, long long offsetS, const std::string& token) {
    control.disarm();
    ServerProcess server(db, ServerProcess::defaultConfig(), serverEnv(control, offsetS));
    return snapshot(server, token);
}

const Baseline& baseline() {
    static const Baseline b = [] {
        Baseline out;
        TempDir dir;
        FaultControl control(dir.path() / "control");
        const auto db = dir.path() / "hall.db";
        std::string token;
        {
            ServerProcess server(db, ServerProcess::defaultConfig(), serverEnv(control, firstDayOffset()));
            control.arm();
            token = login(server);
            runDay(server, token, morningSteps(0), &out.states[0]);
        }
        ServerProcess next(db, ServerProcess::defaultConfig(), serverEnv(control, firstDayOffset() + kDayS));
        token = login(next); // a session lasts one working day
        runDay(next, token, morningSteps(1), &out.states[1]);
        out.ops = control.ops();
        return out;
    }();
    return b;
}

// One whole morning, two days, with the Nth counted operation failing with `code`.
void morningWithFault(std::int64_t n, int code) {
    const Baseline& base = baseline();
    INFO("fault at operation " << n << " of " << base.ops << ", code " << code);
    TempDir dir;
    FaultControl control(dir.path() / "control");
    const auto db = dir.path() / "hall.db";
    std::string token;
    std::string firstDate;
    {
        ServerProcess server(db, ServerProcess::defaultConfig(), serverEnv(control, firstDayOffset()));
        firstDate = ApiClient(server, "demo-display-token").get("/api/v1/hall").json["hall"]["date"];
        control.arm();
        control.failAt(n, code);
        token = login(server);
        runDay(server, token, morningSteps(0), nullptr);
        const Json memory = snapshot(server, token);
        CHECK(memory == base.states[0].back());
        server.stop(); // an orderly stop: its checkpoint may be the write that fails
        control.disarm();
        CHECK(reopened(db, control, firstDayOffset(), token) == memory);
    }
    control.resume();
    ServerProcess server(db, ServerProcess::defaultConfig(), serverEnv(control, firstDayOffset() + kDayS)); // rolls the day over
    token = login(server); // a session lasts one working day
    runDay(server, token, morningSteps(1), nullptr);
    const Json memory = snapshot(server, token);
    CHECK(memory == base.states[1].back());
    CHECK(ApiClient(server, "demo-admin-token").get("/api/v1/stats?date=" + firstDate).json["visitors"] == 5);
    server.kill9();
    CHECK(reopened(db, control, firstDayOffset() + kDayS, token) == memory);
    CHECK(control.injected() == 1);
}

} // namespace

TEST_CASE("store fault: the fault VFS counts the writes of a hall morning") {
    const Baseline& base = baseline();
    INFO("operations: " << base.ops);
    CHECK(base.ops > 50);
    CHECK(base.states[0].size() == morningSteps(0).size() + 1);
    CHECK(base.states[0].back()["tickets"].size() == 5);
}

TEST_CASE("store fault: every write, sync and truncate of a hall morning may fail with an I/O error") {
    const Baseline& base = baseline();
    const int stride = strideFromEnv(1);
    for (std::int64_t n = 1; n <= base.ops; n += stride) morningWithFault(n, SQLITE_IOERR);
}
