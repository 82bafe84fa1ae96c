// Failover (issue 14): a headless kiosk (script mode) and a headless display hold the addresses of
// both instances on one PostgreSQL. The instance they use is killed (-9); the kiosk's next
// check-in and the display's next call are served by the other instance within seconds, the
// display's event stream resumes there with Last-Event-ID (no call missed, none said twice), and
// everything the killed instance acknowledged is there. Real PostgreSQL, servers, kiosk, display.
#include "postgres_process.hpp"
#include "programs.hpp"
#include "server_process.hpp"

#include "../kiosk/child_process.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

using loket::kiosk::testing::ChildProcess;
using loket::kiosk::testing::readText;
using loket::kiosk::testing::waitForFile;
using namespace loket::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = LOKET_SOURCE_DIR;

// The example hall is always open ([hours] always = true): the instances run on the real clock
// (offset 0), the display's, so a call is news to it and is said (it keeps quiet about calls
// older than three minutes, and the test's default hall clock is shifted to 09:00).
std::unique_ptr<ServerProcess> instanceOn(const TempDir& dir, const std::string& url, const std::string& name) {
    return std::make_unique<ServerProcess>(dir.path() / (name + ".db"), ServerProcess::defaultConfig(),
                                           std::vector<std::string>{"LOKET_CLOCK_OFFSET_S=0"}, std::vector<std::string>{"--store", url});
}

// A kiosk whose file lists instance A first and B as [[server.also]].
fs::path kioskConfig(const TempDir& dir, const ServerProcess& a, const ServerProcess& b) {
    const fs::path printed = dir.path() / "printed";
    fs::create_directories(printed);
    const fs::path file = dir.path() / "kiosk.toml";
    std::ofstream(file) << "[server]\nurl = \"" << a.url() << "\"\ndevice_token = \"demo-kiosk-token\"\n"
                        << "[[server.also]]\nurl = \"" << b.url() << "\"\n"
                        << "[printer]\nprofile = \"" << (kSource / "firmware-config/printers/epson-tm-t20iii.toml").string()
                        << "\"\ntransport = \"file:" << printed.string() << "/\"\n"
                        << "[timing]\nheartbeat_s = 1\n"
                        << "[hall]\nname = \"Gemeente Rijnwaarde\"\nassets_dir = \"" << (kSource / "assets").string() << "\"\n";
    return file;
}

std::string walkIn(const std::string& service) {
    return "tap choose_walk_in\ntap choose_service " + service + "\ntap confirm_service\nwait-screen ticket 15000\n"
           "wait-printed 8000\ntap done\nwait-screen welcome 8000\n";
}

// The bytes a request from the process `client` to `port` has waiting unread on the server's end
// (0 when none): the client's connections by socket inode (/proc/<pid>/fd), the server's end of
// each, and its receive queue (/proc/net/tcp). With the server stopped (SIGSTOP) this is a
// request in flight.
std::size_t bytesWaitingAt(int port, int client) {
    std::set<unsigned long> inodes;
    std::error_code ec;
    for (const auto& fd : fs::directory_iterator("/proc/" + std::to_string(client) + "/fd", ec)) {
        const std::string target = fs::read_symlink(fd.path(), ec).string();
        if (target.rfind("socket:[", 0) == 0) inodes.insert(std::stoul(target.substr(8)));
    }
    struct Row {
        unsigned localPort, remotePort, state;
        std::size_t rx;
        unsigned long inode;
    };
    std::vector<Row> rows;
    std::istringstream table(readText("/proc/net/tcp"));
    std::string line;
    std::getline(table, line); // the heading
    while (std::getline(table, line)) {
        std::istringstream in(line);
        std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout;
        unsigned long inode = 0;
        if (!(in >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode)) continue;
        rows.push_back({static_cast<unsigned>(std::stoul(local.substr(local.find(':') + 1), nullptr, 16)),
                        static_cast<unsigned>(std::stoul(remote.substr(remote.find(':') + 1), nullptr, 16)),
                        static_cast<unsigned>(std::stoul(state, nullptr, 16)),
                        static_cast<std::size_t>(std::stoul(queues.substr(queues.find(':') + 1), nullptr, 16)), inode});
    }
    constexpr unsigned kEstablished = 1;
    std::size_t waiting = 0;
    for (const Row& mine : rows) {
        if (!inodes.count(mine.inode) || mine.remotePort != static_cast<unsigned>(port) || mine.state != kEstablished) continue;
        for (const Row& theirs : rows)
            if (theirs.localPort == static_cast<unsigned>(port) && theirs.remotePort == mine.localPort) waiting += theirs.rx;
    }
    return waiting;
}

std::size_t linesIn(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

} // namespace

TEST_CASE("postgres: kill -9 of the instance a kiosk and a display use: the other serves their next check-in and call within seconds") {
    PostgresProcess postgres;
    const std::string url = postgres.createDatabase("city");
    TempDir dir;
    auto a = instanceOn(dir, url, "a");
    auto b = instanceOn(dir, url, "b");
    const std::string staff = loginDemo(*a); // sessions live in the database: valid on B too

    const fs::path marks = dir.path() / "marks";
    fs::create_directories(marks);
    const fs::path report = dir.path() / "kiosk-report.json";
    std::ofstream(dir.path() / "kiosk.script") << "wait-screen welcome 20000\nwait-services 20000\n" << walkIn("ophalen") << "mark first\nawait go 60000\n"
                                               << walkIn("ophalen") << "mark second\nreport " << report.string() << "\n";
    const std::vector<std::string> env{"SDL_VIDEODRIVER=offscreen", "SDL_AUDIODRIVER=dummy"};
    ChildProcess kiosk({LOKET_KIOSK_BIN, "--config", kioskConfig(dir, *a, *b).string(), "--headless", "--no-speech", "--script",
                        (dir.path() / "kiosk.script").string(), "--screenshots", marks.string()},
                       dir.path(), env);
    // The display takes both addresses on its command line (the further one verified like the first).
    const fs::path said = dir.path() / "said.log";
    ChildProcess display({LOKET_DISPLAY_BIN, "--config", (kSource / "firmware-config/display.example.toml").string(), "--assets",
                          (kSource / "assets").string(), "--server", a->url() + "," + b->url(), "--headless", "--screenshots",
                          (dir.path() / "display").string(), "--no-sound", "--announce-log", said.string()},
                         dir.path(), env);
    // Before: the kiosk checks a visitor in through A, and a call on A is said by the display.
    REQUIRE_WITH_OUTPUT(kiosk, waitForFile(marks / "first.mark", 30s));
    REQUIRE(waitUntil([&] { return display.output().find("hall loaded") != std::string::npos; }, 20s));
    ApiClient onA(*a, staff);
    REQUIRE(onA.post("/api/v1/counters/b3/open").status == 200);
    auto first = onA.post("/api/v1/counters/b3/next");
    REQUIRE(first.status == 200); // acknowledged by A
    REQUIRE(waitUntil([&] { return linesIn(readText(said)) == 1; }, 10s));

    // A dies with the kiosk's heartbeat in flight: A is stopped until the heartbeat (the kiosk's one
    // request with a body: its GETs are about 130 bytes, the heartbeat about 225) waits unread at
    // A, then killed. A GET caught instead is let through and the next request waited for.
    constexpr std::size_t kHeartbeatBytes = 180;
    std::size_t inFlight = 0;
    const auto caughtBy = std::chrono::steady_clock::now() + 20s;
    while (inFlight < kHeartbeatBytes && std::chrono::steady_clock::now() < caughtBy) {
        REQUIRE(::kill(a->pid(), SIGSTOP) == 0);
        REQUIRE(waitUntil([&] { return (inFlight = bytesWaitingAt(a->port(), kiosk.pid())) > 0; }, 5s));
        if (inFlight < kHeartbeatBytes) {
            REQUIRE(::kill(a->pid(), SIGCONT) == 0);
            REQUIRE(waitUntil([&] { return bytesWaitingAt(a->port(), kiosk.pid()) == 0; }, 5s));
        }
    }
    INFO("bytes of the kiosk's request in flight at A: " << inFlight);
    REQUIRE(inFlight >= kHeartbeatBytes);
    a->kill9();
    const auto killedAt = std::chrono::steady_clock::now();
    // The heartbeat is repeated on B at once (it is marked repeatable): B hears from the kiosk
    // before the next heartbeat is due, and the kiosk never shows its offline screen.
    REQUIRE(waitUntil(
        [&] {
            auto devices = ApiClient(*b, staff).get("/api/v1/devices");
            if (devices.status != 200 || !devices.json.is_array()) return false;
            for (const auto& d : devices.json)
                if (d.value("kind", "") == "kiosk" && !d["last_seen"].is_null()) return true;
            return false;
        },
        10s));
    INFO("B heard from the kiosk " << std::chrono::duration<double>(std::chrono::steady_clock::now() - killedAt).count()
                                   << " s after the kill");
    // The kiosk's next check-in: A refuses the connection, B issues the ticket.
    std::ofstream(marks / "go.mark") << "";
    const bool secondDone = waitForFile(marks / "second.mark", 20s);
    INFO("kiosk after the kill: " << kiosk.output());
    REQUIRE(secondDone);
    const auto kioskServed = std::chrono::steady_clock::now() - killedAt;
    CHECK(kiosk.wait(10s) == 0);
    const Json kioskReport = Json::parse(readText(report));
    INFO("kiosk report: " << kioskReport.dump());
    CHECK(kioskReport["screens_entered"].value("offline", 0) == 0); // no offline screen, not for a moment

    // The display's next call, made on B, reaches it over its stream to B.
    ApiClient onB(*b, staff);
    REQUIRE(onB.post("/api/v1/tickets/" + first.json["ticket"]["id"].dump() + "/complete", {{"outcome", "handled"}}).status == 200);
    auto second = onB.post("/api/v1/counters/b3/next");
    REQUIRE(second.status == 200);
    const auto calledAt = std::chrono::steady_clock::now();
    REQUIRE(waitUntil([&] { return linesIn(readText(said)) == 2; }, 10s));
    const auto displayServed = std::chrono::steady_clock::now() - calledAt;
    const std::string sentences = readText(said);
    INFO("said: " << sentences);
    const std::string firstLine = sentences.substr(0, sentences.find('\n') + 1);
    CHECK(sentences.substr(firstLine.size()) != firstLine); // two calls, each said once
    CHECK(firstLine.find("balie 3") != std::string::npos);
    // "Within seconds": the kiosk needed A's refusal and B's answer; the display its stream's move.
    CHECK(kioskServed < 10s);
    CHECK(displayServed < 5s);

    // Nothing acknowledged is lost: B holds A's check-in and call, and the check-in it served.
    auto tickets = onB.get("/api/v1/tickets");
    REQUIRE(tickets.status == 200);
    REQUIRE(tickets.json.size() == 2);
    std::map<std::string, Json> byId;
    for (const auto& t : tickets.json) byId[t["id"].dump()] = t;
    const Json& issuedOnA = byId[first.json["ticket"]["id"].dump()];
    const Json& issuedOnB = byId[second.json["ticket"]["id"].dump()];
    CHECK(issuedOnA["status"] == "done");
    CHECK(issuedOnA["calls"] == 1);
    CHECK(issuedOnB["status"] == "called");
    CHECK(issuedOnB["calls"] == 1);
    CHECK(issuedOnA["number"] != issuedOnB["number"]);
    display.terminate();
}
