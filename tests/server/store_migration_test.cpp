// The database's schema version: a file from before versioning (the first schema, user_version
// 0) is migrated at start-up and keeps every event and session; a file from a newer server is
// refused with a clear message rather than guessed at.
#include "server_process.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

using namespace loket::test;

namespace {

// The schema as the server wrote it before it had a version (user_version stays 0).
const char* kUnversionedSchema = R"SQL(
CREATE TABLE events(id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE idempotency(key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, status INTEGER NOT NULL,
  response TEXT NOT NULL, day INTEGER NOT NULL);
CREATE TABLE visits(ticket INTEGER PRIMARY KEY, day INTEGER NOT NULL, number TEXT NOT NULL, service TEXT NOT NULL,
  services TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, issued_at INTEGER NOT NULL,
  appointment_at INTEGER NOT NULL, first_called_at INTEGER, started_at INTEGER, ended_at INTEGER,
  counter TEXT NOT NULL, outcome TEXT NOT NULL, feedback INTEGER, limit_s INTEGER NOT NULL, issued_hour INTEGER NOT NULL);
CREATE INDEX visits_by_day ON visits(day);
CREATE TABLE sessions(token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, expires_at INTEGER NOT NULL);
)SQL";

class Db {
public:
    explicit Db(const std::filesystem::path& file) { REQUIRE(sqlite3_open(file.c_str(), &m_db) == SQLITE_OK); }
    ~Db() { sqlite3_close(m_db); }
    void exec(const std::string& sql) {
        char* error = nullptr;
        const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error);
        INFO(sql << ": " << (error ? error : ""));
        sqlite3_free(error);
        REQUIRE(rc == SQLITE_OK);
    }
    long long integer(const std::string& sql) {
        sqlite3_stmt* q = nullptr;
        REQUIRE(sqlite3_prepare_v2(m_db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(q) == SQLITE_ROW);
        const long long v = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
        return v;
    }

private:
    sqlite3* m_db = nullptr;
};

} // namespace

TEST_CASE("store: a database of the previous schema version is migrated at start-up and keeps its data") {
    TempDir dir;
    // Real events and a real session, written by this server into a scratch file...
    std::string token, number;
    {
        ServerProcess scratch(dir.path() / "scratch.db");
        token = loginDemo(scratch);
        auto t = ApiClient(scratch, "demo-kiosk-token").post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "k1"}});
        REQUIRE(t.status == 201);
        number = t.json["ticket"]["number"];
    }
    // ...copied into a file with the unversioned schema.
    const auto old = dir.path() / "old.db";
    {
        Db db(old);
        db.exec(kUnversionedSchema);
        db.exec("ATTACH '" + (dir.path() / "scratch.db").string() + "' AS scratch");
        db.exec("INSERT INTO events(id, type, body) SELECT id, type, body FROM scratch.events");
        db.exec("INSERT INTO idempotency(key, request_hash, status, response, day) SELECT key, request_hash, status, response, day FROM scratch.idempotency");
        db.exec("INSERT INTO sessions(token_hash, username, expires_at) SELECT token_hash, username, expires_at FROM scratch.sessions");
        db.exec("DETACH scratch");
        REQUIRE(db.integer("PRAGMA user_version") == 0);
    }
    {
        ServerProcess server(old);
        auto tickets = ApiClient(server, token).get("/api/v1/tickets"); // the old session still works
        REQUIRE(tickets.status == 200);
        REQUIRE(tickets.json.size() == 1);
        CHECK(tickets.json[0]["number"] == number);
        // The retry key came along: the same request again is the same ticket.
        auto retry = ApiClient(server, "demo-kiosk-token").post("/api/v1/tickets", {{"service", "ophalen"}}, {{"Idempotency-Key", "k1"}});
        CHECK(retry.status == 200);
        CHECK(retry.json["ticket"]["number"] == number);
    }
    Db db(old);
    CHECK(db.integer("PRAGMA user_version") == 10);
    CHECK(db.integer("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'door_answers'") == 1);
    CHECK(db.integer("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'health'") == 1);
    CHECK(db.integer("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('idempotency_by_day', 'sessions_by_expiry')") == 2);
}

TEST_CASE("store: a database of schema 7 (staff accounts, before locations) is migrated to 8 and keeps its accounts and sessions") {
    TempDir dir;
    const auto file = dir.path() / "hall.db";
    std::string session;
    const std::string password = "een-lang-wachtwoord";
    {
        ServerProcess server(file);
        ApiClient admin(server, loginDemo(server, "beheer"));
        REQUIRE(admin.post("/api/v1/staff", {{"username", "loket-1"}, {"password", password}, {"role", "counter"}, {"counters", {"*"}}}).status == 201);
        auto login = ApiClient(server).post("/api/v1/login", {{"username", "loket-1"}, {"password", password}});
        REQUIRE(login.status == 200);
        session = login.json["token"];
    }
    {
        // Back to schema 7 as a server without locations wrote it: the columns of 8 and the tables of 9 and 10 dropped.
        Db db(file);
        db.exec("ALTER TABLE sessions DROP COLUMN location; ALTER TABLE enrolled_devices DROP COLUMN location; "
                "ALTER TABLE staff_accounts DROP COLUMN locations; DROP TABLE door_answers; DROP TABLE pairings; DROP TABLE print_jobs; "
                "DROP TABLE device_status; PRAGMA user_version = 7");
    }
    {
        ServerProcess server(file);
        CHECK(ApiClient(server, session).get("/api/v1/counters").status == 200); // the session goes on
        auto again = ApiClient(server).post("/api/v1/login", {{"username", "loket-1"}, {"password", password}});
        CHECK(again.status == 200);
        CHECK(again.json.contains("location") == false);
    }
    Db db(file);
    CHECK(db.integer("PRAGMA user_version") == 10);
    CHECK(db.integer("SELECT COUNT(*) FROM staff_accounts WHERE username = 'loket-1' AND locations = ''") == 1);
}

TEST_CASE("store: a database from a newer server is refused, and left as it was") {
    TempDir dir;
    const auto file = dir.path() / "future.db";
    {
        Db db(file);
        db.exec(kUnversionedSchema);
        db.exec("PRAGMA user_version = 99");
    }
    const auto run = runServerCommand("--config " + ServerProcess::defaultConfig().string() + " --db " + file.string() +
                                      " --listen 127.0.0.1:0");
    INFO(run.output);
    CHECK(run.exitCode == 1);
    CHECK(run.output.find("schema version 99") != std::string::npos);
    CHECK(Db(file).integer("PRAGMA user_version") == 99);
}
