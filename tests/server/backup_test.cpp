// Backup and restore: `loket-server backup` copies the live database while check-ins run, and
// `loket-server restore` puts it under a stopped server, which resumes with the same numbers and
// event ids. A restore refuses a running server's database and a file that is not a Loket database.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <sqlite3.h>
#include <sys/wait.h>
#include <thread>

using namespace loket::test;

TEST_CASE("backup: a backup taken under load restores every acknowledged ticket, and numbering continues") {
    TempDir dir;
    const auto live = dir.path() / "live.db";
    const auto backupFile = dir.path() / "backups" / "hall-backup.db";
    std::filesystem::create_directories(backupFile.parent_path());
    std::map<std::string, std::string> ackedBeforeBackup; // retry key -> number
    std::atomic<bool> backupStarted{false};
    long long lastEventIdBeforeBackup = 0;
    {
        ServerProcess server(live);
        std::atomic<bool> stop{false};
        std::atomic<int> acked{0};
        std::mutex mutex;
        std::vector<std::thread> kiosks;
        for (int k = 0; k < 2; ++k)
            kiosks.emplace_back([&, k] {
                ApiClient kiosk(server, "demo-kiosk-token");
                for (int i = 0; !stop; ++i) {
                    const std::string key = "kiosk" + std::to_string(k) + "-" + std::to_string(i);
                    auto t = kiosk.post("/api/v1/tickets", {{"service", i % 2 ? "ophalen" : "uittreksel"}}, {{"Idempotency-Key", key}});
                    if (t.status != 201) continue; // not acknowledged: no promise to keep
                    const bool before = !backupStarted;
                    ++acked;
                    if (before) {
                        std::lock_guard lock(mutex);
                        ackedBeforeBackup[key] = t.json["ticket"]["number"];
                    }
                }
            });
        // Wait for a real load, then copy while the kiosks keep going.
        for (int i = 0; i < 2000 && acked < 20; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        REQUIRE(acked >= 20);
        lastEventIdBeforeBackup = ApiClient(server, "demo-display-token").get("/api/v1/hall").json["event_id"].get<long long>();
        backupStarted = true;
        const int ackedAtStart = acked;
        auto backup = runServerCommand("backup --to " + backupFile.string() + " --db " + live.string());
        INFO(backup.output);
        REQUIRE(backup.exitCode == 0);
        CHECK(backup.output.find("backed up to") != std::string::npos);
        for (int i = 0; i < 2000 && acked < ackedAtStart + 5; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        stop = true;
        for (auto& t : kiosks) t.join();
        CHECK(acked >= ackedAtStart + 5); // the hall kept issuing during and after the copy
        // Restoring over a database a running server holds is refused and changes nothing.
        auto refused = runServerCommand("restore " + backupFile.string() + " --db " + live.string());
        CHECK(refused.exitCode == 1);
        CHECK(refused.output.find("in use by a running loket-server") != std::string::npos);
    }
    REQUIRE(ackedBeforeBackup.size() >= 20);

    // Restore into a fresh path and start a server on it.
    const auto restored = dir.path() / "restored" / "hall.db";
    std::filesystem::create_directories(restored.parent_path());
    auto restore = runServerCommand("restore " + backupFile.string() + " --db " + restored.string());
    INFO(restore.output);
    REQUIRE(restore.exitCode == 0);
    ServerProcess server(restored);
    ApiClient staff(server, loginDemo(server));
    auto tickets = staff.get("/api/v1/tickets");
    REQUIRE(tickets.status == 200);
    std::set<std::string> numbers;
    std::map<char, int> highest;
    for (const auto& t : tickets.json) {
        const std::string number = t["number"];
        numbers.insert(number);
        highest[number[0]] = std::max(highest[number[0]], std::stoi(number.substr(1)));
    }
    for (const auto& [key, number] : ackedBeforeBackup) {
        INFO(key);
        CHECK(numbers.count(number) == 1);
    }
    // One consistent snapshot: each service's numbers run without a gap.
    std::map<char, int> perPrefix;
    for (const auto& n : numbers) ++perPrefix[n[0]];
    for (const auto& [prefix, count] : perPrefix) CHECK(count == highest[prefix]);
    // A retry of an acknowledged check-in still gives the same ticket; new numbers continue.
    ApiClient kiosk(server, "demo-kiosk-token");
    const auto& [someKey, someNumber] = *ackedBeforeBackup.begin();
    auto retry = kiosk.post("/api/v1/tickets", {{"service", someKey.back() % 2 ? "ophalen" : "uittreksel"}}, {{"Idempotency-Key", someKey}});
    CHECK(retry.status == 200);
    CHECK(retry.json["ticket"]["number"] == someNumber);
    const long long restoredEventId = ApiClient(server, "demo-display-token").get("/api/v1/hall").json["event_id"].get<long long>();
    CHECK(restoredEventId >= lastEventIdBeforeBackup);
    auto next = kiosk.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "after-restore"}});
    REQUIRE(next.status == 201);
    const std::string nextNumber = next.json["ticket"]["number"];
    CHECK(std::stoi(nextNumber.substr(1)) == highest[nextNumber[0]] + 1);
    CHECK(ApiClient(server, "demo-display-token").get("/api/v1/hall").json["event_id"].get<long long>() > restoredEventId);
}

TEST_CASE("backup: restore refuses a file that is not a Loket database and leaves the database alone") {
    TempDir dir;
    const auto db = dir.path() / "hall.db";
    {
        ServerProcess server(db);
        REQUIRE(ApiClient(server, "demo-kiosk-token").post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "k"}}).status == 201);
    }
    const auto text = dir.path() / "notes.txt";
    std::ofstream(text) << "not a database\n";
    auto junk = runServerCommand("restore " + text.string() + " --db " + db.string());
    CHECK(junk.exitCode == 1);
    CHECK(junk.output.find("not a readable SQLite database") != std::string::npos);
    auto missing = runServerCommand("restore " + (dir.path() / "nothing.db").string() + " --db " + db.string());
    CHECK(missing.exitCode == 1);
    CHECK(missing.output.find("no such file") != std::string::npos);
    // An SQLite file of another program.
    const auto other = dir.path() / "other.db";
    REQUIRE(runServerCommand("backup --to " + other.string() + " --db " + db.string()).exitCode == 0); // a real backup to tamper with
    REQUIRE(runServerCommand("restore " + other.string() + " --db " + (dir.path() / "ok.db").string()).exitCode == 0);
    {
        sqlite3* c = nullptr;
        REQUIRE(sqlite3_open(other.c_str(), &c) == SQLITE_OK);
        CHECK(sqlite3_exec(c, "DROP TABLE events", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(c);
    }
    auto foreign = runServerCommand("restore " + other.string() + " --db " + db.string());
    INFO(foreign.output);
    CHECK(foreign.exitCode == 1);
    CHECK(foreign.output.find("not a Loket database") != std::string::npos);
    // The hall's own data is untouched.
    ServerProcess server(db);
    CHECK(ApiClient(server, "demo-display-token").get("/api/v1/hall").json["event_id"].get<long long>() > 0);
    CHECK(!std::filesystem::exists(db.string() + ".before-restore"));
}

namespace {

// Checks a walk-in in and returns its number ("B003").
std::string walkIn(const ServerProcess& server, const std::string& token, const std::string& service, const std::string& key) {
    ApiClient kiosk(server, token);
    auto t = kiosk.post("/api/v1/tickets", {{"service", service}}, {{"Idempotency-Key", key}});
    REQUIRE(t.status == 201);
    return t.json["ticket"]["number"];
}

} // namespace

TEST_CASE("locations: a city's backup restored brings back every location's queue") {
    TempDir dir;
    const auto city = std::filesystem::path(LOKET_SOURCE_DIR) / "firmware-config" / "city.example.toml";
    const auto live = dir.path() / "live" / "city.db";
    const auto backupFile = dir.path() / "backups" / "city-backup.db";
    std::filesystem::create_directories(live.parent_path());
    std::filesystem::create_directories(backupFile.parent_path());
    {
        ServerProcess server(live, city);
        // Each location its own queue: 2 at the town hall, 3 at Noord, 1 at Oosterdorp.
        for (int i = 0; i < 2; ++i) walkIn(server, "stadhuis-kiosk-token", "paspoort", "s" + std::to_string(i));
        for (int i = 0; i < 3; ++i) walkIn(server, "noord-kiosk-token", "ophalen", "n" + std::to_string(i));
        CHECK(walkIn(server, "dorp-kiosk-token", "ophalen", "d0") == "B001");
        auto backup = runServerCommand("backup --to " + backupFile.string() + " --db " + live.string() + " --config " + city.string());
        INFO(backup.output);
        REQUIRE(backup.exitCode == 0);
        for (const char* id : {"stadhuis", "noord", "dorp"}) {
            CHECK(backup.output.find(std::string("location ") + id + ":") != std::string::npos);
            CHECK(std::filesystem::is_regular_file(dir.path() / "backups" / ("city-backup." + std::string(id) + ".db")));
        }
        // After the backup: not in it, so gone after the restore.
        CHECK(walkIn(server, "noord-kiosk-token", "ophalen", "n-after") == "B004");
    }

    // Restored into a new place, every location resumes where the backup was taken.
    const auto restored = dir.path() / "restored" / "city.db";
    std::filesystem::create_directories(restored.parent_path());
    auto restore = runServerCommand("restore " + backupFile.string() + " --db " + restored.string());
    INFO(restore.output);
    REQUIRE(restore.exitCode == 0);
    for (const char* id : {"stadhuis", "noord", "dorp"})
        CHECK(std::filesystem::is_regular_file(dir.path() / "restored" / ("city." + std::string(id) + ".db")));
    ServerProcess server(restored, city);
    for (const auto& [token, waiting] : std::vector<std::pair<std::string, int>>{
             {"stadhuis-display-token", 2}, {"noord-display-token", 3}, {"dorp-display-token", 1}}) {
        INFO(token);
        auto hall = ApiClient(server, token).get("/api/v1/hall");
        REQUIRE(hall.status == 200);
        int tickets = 0;
        for (const auto& s : hall.json["services"]) tickets += s.value("waiting", 0);
        CHECK(tickets == waiting);
    }
    CHECK(walkIn(server, "stadhuis-kiosk-token", "paspoort", "s-after") == "A003");
    CHECK(walkIn(server, "noord-kiosk-token", "ophalen", "n-after-restore") == "B004");
    CHECK(walkIn(server, "dorp-kiosk-token", "ophalen", "d-after") == "B002");
}

TEST_CASE("locations: restore moves aside a location file the backup has none of") {
    TempDir dir;
    const auto db = dir.path() / "hall.db";
    const auto backupFile = dir.path() / "hall-backup.db";
    {
        ServerProcess server(db);
        REQUIRE(ApiClient(server, "demo-kiosk-token").post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "a"}}).status == 201);
    }
    REQUIRE(runServerCommand("backup --to " + backupFile.string() + " --db " + db.string()).exitCode == 0);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "hall-backup.noord.db"));
    // A location file made after that backup (the hall became a city).
    std::filesystem::copy_file(db, dir.path() / "hall.noord.db");
    auto restore = runServerCommand("restore " + backupFile.string() + " --db " + db.string());
    INFO(restore.output);
    REQUIRE(restore.exitCode == 0);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "hall.noord.db"));
    CHECK(std::filesystem::is_regular_file(dir.path() / "hall.noord.db.before-restore"));
}

namespace {

std::filesystem::path cityExample() { return std::filesystem::path(LOKET_SOURCE_DIR) / "firmware-config" / "city.example.toml"; }

// Tickets issued in one backup file (its ticket.issued events).
long long issuedIn(const std::filesystem::path& file) {
    sqlite3* c = nullptr;
    long long n = -1;
    if (sqlite3_open_v2(file.c_str(), &c, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* q = nullptr;
        if (sqlite3_prepare_v2(c, "SELECT COUNT(*) FROM events WHERE type = 'ticket.issued'", -1, &q, nullptr) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW)
            n = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(c);
    return n;
}

std::string fileText(const std::filesystem::path& file) {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

TEST_CASE("locations: a city's backup takes the locations its configuration names: a missing file is refused by name, a stray one is left out and named") {
    TempDir dir;
    const auto live = dir.path() / "live" / "city.db";
    std::filesystem::create_directories(live.parent_path());
    std::filesystem::create_directories(dir.path() / "backups");
    { ServerProcess server(live, cityExample()); }
    // A location taken out of the configuration left its file behind.
    std::filesystem::copy_file(dir.path() / "live" / "city.noord.db", dir.path() / "live" / "city.oud.db");
    const auto backupFile = dir.path() / "backups" / "city-backup.db";

    // Without the configuration the backup cannot know the city: it refuses, and says how.
    auto blind = runServerCommand("backup --to " + backupFile.string() + " --db " + live.string());
    INFO(blind.output);
    CHECK(blind.exitCode == 1);
    CHECK(blind.output.find("--config") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(backupFile));

    // With it: the three configured locations, not the stray one, which the output names.
    auto backup = runServerCommand("backup --to " + backupFile.string() + " --db " + live.string() + " --config " + cityExample().string());
    INFO(backup.output);
    REQUIRE(backup.exitCode == 0);
    for (const char* id : {"stadhuis", "noord", "dorp"})
        CHECK(std::filesystem::is_regular_file(dir.path() / "backups" / ("city-backup." + std::string(id) + ".db")));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "backups" / "city-backup.oud.db"));
    CHECK(backup.output.find("not backed up: " + (dir.path() / "live" / "city.oud.db").string()) != std::string::npos);
    const auto manifest = Json::parse(fileText(dir.path() / "backups" / "city-backup.db.manifest.json"));
    CHECK(manifest["not_taken"] == Json::array({"city.oud.db"}));
    CHECK(manifest["files"].size() == 4);

    // A configured location whose file is gone: refused, naming the file; nothing is written.
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(dir.path() / "live" / (std::string("city.dorp.db") + suffix));
    const auto second = dir.path() / "backups" / "second.db";
    auto missing = runServerCommand("backup --to " + second.string() + " --db " + live.string() + " --config " + cityExample().string());
    INFO(missing.output);
    CHECK(missing.exitCode == 1);
    CHECK(missing.output.find((dir.path() / "live" / "city.dorp.db").string()) != std::string::npos);
    CHECK(missing.output.find("location dorp") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(second));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "backups" / "second.stadhuis.db"));
}

TEST_CASE("locations: a city's backup is one instant of every location: check-ins made in turn at two locations never show one ahead of the other") {
    TempDir dir;
    // The example city with kiosks that may check in as fast as they can.
    std::string text = fileText(cityExample());
    for (std::size_t at = 0; (at = text.find("role = \"kiosk\"\n", at)) != std::string::npos;) {
        text.insert(at + 15, "checkins_per_minute = 6000000\ncheckin_burst = 1000000\n");
        at += 15;
    }
    const auto config = dir.path() / "city.toml";
    std::ofstream(config) << text;
    const auto live = dir.path() / "live" / "city.db";
    std::filesystem::create_directories(live.parent_path());
    ServerProcess server(live, config);

    // Two kiosks' worth of visitors, each checking in at the town hall and then at Dorp: at any one
    // instant the town hall has 0, 1 or 2 (one per thread) tickets more than Dorp. They may make
    // kPairsPerRound more pairs per backup round, so a slow machine (each backup is a process of
    // its own) never runs the service out of its 999 numbers of the day.
    constexpr int kPairsPerRound = 100;
    std::atomic<bool> stop{false}, refused{false};
    std::atomic<int> pairs{0}, allowed{0}, refusedWith{0};
    std::vector<std::thread> visitors;
    for (int v = 0; v < 2; ++v)
        visitors.emplace_back([&, v] {
            ApiClient stadhuis(server, "stadhuis-kiosk-token"), dorp(server, "dorp-kiosk-token");
            for (int i = 0; !stop; ++i) {
                for (int a = allowed; !stop && pairs >= a; a = allowed) allowed.wait(a);
                if (stop) return;
                const std::string key = std::to_string(v) + "-" + std::to_string(i);
                int status = stadhuis.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "s" + key}}).status;
                if (status == 201) status = dorp.post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "d" + key}}).status;
                if (status != 201) {
                    refusedWith = status;
                    refused = true; // then the count below is wrong: the test fails, and stops waiting
                }
                ++pairs;
                pairs.notify_all();
                if (refused) return;
            }
        });
    std::vector<std::pair<long long, long long>> seen;
    std::string failure;
    for (int b = 0; b < 6 && failure.empty() && !refused; ++b) {
        // A few more pairs checked in since the last backup (the visitors notify each one); the
        // rest of this round's go on during the backup.
        allowed += kPairsPerRound;
        allowed.notify_all();
        for (int now = pairs, target = now + 3; now < target && !refused; now = pairs) pairs.wait(now);
        const auto backupFile = dir.path() / ("b" + std::to_string(b) + ".db");
        auto backup = runServerCommand("backup --to " + backupFile.string() + " --db " + live.string() + " --config " + config.string());
        if (backup.exitCode != 0) failure = backup.output;
        seen.emplace_back(issuedIn(dir.path() / ("b" + std::to_string(b) + ".stadhuis.db")), issuedIn(dir.path() / ("b" + std::to_string(b) + ".dorp.db")));
    }
    stop = true;
    allowed += 1;
    allowed.notify_all();
    for (auto& t : visitors) t.join();
    INFO("a check-in answered " << refusedWith.load() << " after " << pairs.load() << " pairs");
    REQUIRE_FALSE(refused);
    INFO(failure);
    REQUIRE(failure.empty());
    for (const auto& [stadhuis, dorp] : seen) {
        INFO("town hall " << stadhuis << ", Dorp " << dorp);
        CHECK(stadhuis - dorp >= 0);
        CHECK(stadhuis - dorp <= 2);
    }
    const auto manifest = Json::parse(fileText(dir.path() / "b0.db.manifest.json"));
    CHECK(manifest["one_snapshot"] == true);
    CHECK(manifest["files"].size() == 4);
    CHECK(manifest["files"][1]["location"] == "stadhuis");
    CHECK(manifest["files"][1]["last_event_id"].get<long long>() > 0);
}
