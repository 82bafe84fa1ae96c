// Backup and restore: `loket-server backup` copies the live database while check-ins run, and
// `loket-server restore` puts it under a stopped server, which resumes with the same numbers and
// event ids. A restore refuses a running server's database and a file that is not a Loket database.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
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
        auto backup = runServerCommand("backup --to " + backupFile.string() + " --db " + live.string());
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
