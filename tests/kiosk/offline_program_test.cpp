// Offline kiosks end to end (issue 13): the real loket-server and two headless loket-kiosks. The
// server is killed (-9) while visitors keep checking in at both kiosks — walk-ins over three
// services and appointment visitors, one code at both kiosks — then comes back. Every visitor got
// a printed ticket (its QR code decoded from the file printer's picture), every ticket is in the
// queue once at its real check-in time, numbers are unique, and the double check-in is resolved.
// A kiosk killed (-9) in the middle of its upload resumes it after a restart: still exactly once.
#include "child_process.hpp"
#include "tests/server/server_process.hpp"

#include "shared/proto/rfc3339.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using loket::kiosk::testing::ChildProcess;
using loket::kiosk::testing::kSource;
using loket::kiosk::testing::waitForFile;
using loket::test::Json;
using loket::test::ServerProcess;
using loket::test::TempDir;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kEnv{"SDL_VIDEODRIVER=offscreen", "SDL_AUDIODRIVER=dummy"};

// The example hall with a second kiosk (token "offline-kiosk-2-token").
fs::path hallConfig(const TempDir& dir) {
    std::ifstream in(ServerProcess::defaultConfig());
    std::stringstream text;
    text << in.rdbuf();
    const fs::path file = dir.path() / "hall.toml";
    std::ofstream(file) << text.str() << "\n[[device]]\nid = \"kiosk-2\"\nrole = \"kiosk\"\nname = \"Kiosk bij de lift\"\n"
                        << "token_sha256 = \"840b5540ec0bb5d47da094a1b1ee20288e244a1a6da6900a7b10335b11ba09c6\"\n"
                        << "checkins_per_minute = 600\ncheckin_burst = 100\n";
    return file;
}

fs::path kioskConfig(const TempDir& dir, const std::string& name, int port, const std::string& token, int uploadBatch = 25,
                     int leaseRenewS = 2) {
    const fs::path printed = dir.path() / (name + "-printed");
    fs::create_directories(printed);
    const fs::path file = dir.path() / (name + ".toml");
    std::ofstream(file) << "[server]\nurl = \"http://127.0.0.1:" << port << "\"\ndevice_token = \"" << token << "\"\n"
                        << "[printer]\nprofile = \"" << (kSource / "firmware-config/printers/epson-tm-t20iii.toml").string()
                        << "\"\ntransport = \"file:" << printed.string() << "/\"\n"
                        << "[timing]\nheartbeat_s = 1\n"
                        << "[hall]\nname = \"Gemeente Rijnwaarde\"\nassets_dir = \"" << (kSource / "assets").string() << "\"\n"
                        << "[offline]\njournal = \"" << (dir.path() / (name + "-journal.sqlite")).string() << "\"\n"
                        << "lease_renew_s = " << leaseRenewS << "\nupload_batch = " << uploadBatch << "\n";
    return file;
}

// A server on a fixed port of this test (so the kiosks find it again after the crash).
class Hall {
public:
    explicit Hall(const TempDir& dir) : m_dir(dir), m_config(hallConfig(dir)) {
        ServerProcess probe(dir.path() / "probe.db");
        m_port = probe.port();
        m_clock = loket::test::hallClockAt(9 * 3600);
        m_shiftS = std::stol(m_clock.substr(m_clock.find('=') + 1));
    }
    void start() {
        m_server = std::make_unique<ChildProcess>(
            std::vector<std::string>{LOKET_SERVER_BIN, "--config", m_config.string(), "--db", (m_dir.path() / "hall.db").string(),
                                     "--listen", "127.0.0.1:" + std::to_string(m_port)},
            m_dir.path(), std::vector<std::string>{m_clock});
        REQUIRE(waitUntil(15s, [&] { return static_cast<bool>(client().Get("/healthz")); }));
    }
    void kill9() { m_server->kill9(); }
    int port() const { return m_port; }
    // The hall's clock now (the server runs it shifted to 09:00 UTC today).
    long now() const { return static_cast<long>(std::time(nullptr)) + m_shiftS; }

    Json get(const std::string& path) {
        auto r = client().Get(path.c_str(), {{"Authorization", "Bearer demo-admin-token"}});
        if (!r || r->status != 200) return Json();
        return Json::parse(r->body);
    }
    int post(const std::string& path, const Json& body, const std::string& token = "demo-admin-token", const std::string& key = "") {
        httplib::Headers h{{"Authorization", "Bearer " + token}};
        if (!key.empty()) h.emplace("Idempotency-Key", key);
        auto r = client().Post(path.c_str(), h, body.dump(), "application/json");
        INFO((r ? r->body : std::string("no answer")));
        return r ? r->status : 0;
    }
    Json waiting() {
        Json list = get("/api/v1/tickets?status=waiting");
        return list.is_array() ? list : list.value("tickets", Json::array());
    }
    template <typename F>
    static bool waitUntil(std::chrono::milliseconds timeout, F&& f) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            if (f()) return true;
            std::this_thread::sleep_for(5ms); // polling a condition, not waiting for time
        }
        return f();
    }
    // What a kiosk's last heartbeat said (detail); empty before its first one.
    Json kioskDetail(const std::string& id) {
        for (const auto& d : get("/api/v1/devices"))
            if (d.value("id", "") == id && d.contains("detail") && d["detail"].is_object()) return d["detail"];
        return Json::object();
    }
    // Whether every kiosk in `ids` has its leases, key and book (it reports offline_ready).
    bool kiosksReady(const std::set<std::string>& ids) {
        std::size_t ready = 0;
        for (const auto& d : get("/api/v1/devices"))
            if (ids.count(d.value("id", "")) && d.contains("detail") && d["detail"].value("offline_ready", false)) ++ready;
        return ready == ids.size();
    }

private:
    httplib::Client client() const { return httplib::Client("127.0.0.1", m_port); }
    const TempDir& m_dir;
    fs::path m_config;
    int m_port = 0;
    std::string m_clock;
    long m_shiftS = 0;
    std::unique_ptr<ChildProcess> m_server;
};

std::string walkIn(const std::string& service) {
    return "tap choose_walk_in\ntap choose_service " + service + "\ntap confirm_service\nwait-screen ticket 8000\n"
           "wait-printed 8000\ntap done\nwait-screen welcome 8000\n";
}
std::string appointment(const std::string& code) {
    return "type " + code + "\nkey enter\nwait-screen ticket 8000\nwait-printed 8000\ntap done\nwait-screen welcome 8000\n";
}

std::string zbar(const fs::path& png) {
    std::string out;
    if (FILE* p = popen(("zbarimg --raw -q " + png.string() + " 2>/dev/null").c_str(), "r")) {
        char buf[512];
        while (fgets(buf, sizeof buf, p)) out += buf;
        pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

std::vector<fs::path> printedTickets(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".png") out.push_back(e.path());
    return out;
}

long instant(const std::string& rfc3339) {
    loket::core::Seconds t = 0;
    REQUIRE(loket::proto::parseRfc3339(rfc3339, t));
    return static_cast<long>(t);
}

// An appointment `minutes` after the hall's now, as the API takes it.
std::string startsAt(const Hall& hall, int minutes) {
    const std::time_t t = hall.now() + minutes * 60;
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:00Z", &utc);
    return buf;
}

} // namespace

TEST_CASE("offline: with the server killed two kiosks keep issuing tickets, and every one is in the queue once") {
    TempDir dir;
    Hall hall(dir);
    hall.start();
    // The morning so far: appointments in the book and a few check-ins while all is well.
    const std::vector<std::string> codes = {"KQ2M7X", "ZZ3456", "PT4R8W", "HN6J2C", "WB9D3F",
                                            "MX5K7R", "QA8T2L", "RC3V9N", "DT7F4P", "JL2W8S"};
    for (std::size_t i = 0; i < codes.size(); ++i)
        REQUIRE(hall.post("/api/v1/appointments", {{"code", codes[i]}, {"service", i % 2 ? "rijbewijs" : "paspoort"},
                                                   {"starts_at", startsAt(hall, 5 + static_cast<int>(i) * 3)}}) == 201);
    for (int i = 0; i < 3; ++i)
        REQUIRE(hall.post("/api/v1/tickets", {{"service", "ophalen"}}, "demo-kiosk-token", "morning-" + std::to_string(i)) == 201);

    // Kiosk 1: 15 walk-ins over three services and 5 appointments; kiosk 2 the same, and one of
    // kiosk 1's codes again (a visitor who checked in at both kiosks).
    const std::vector<std::string> services = {"paspoort", "ophalen", "rijbewijs"};
    auto script = [&](int kiosk) {
        std::string s = "wait-screen welcome 20000\nwait-services 20000\nmark ready\nawait server-down 60000\n";
        for (int i = 0; i < 15; ++i) {
            s += walkIn(services[static_cast<std::size_t>(i) % 3]);
            if (i % 3 == 2) s += appointment(codes[static_cast<std::size_t>(kiosk * 5 + i / 3)]);
        }
        if (kiosk == 1) s += appointment(codes[0]);
        return s + "report " + (dir.path() / ("touch-" + std::to_string(kiosk) + ".json")).string() +
               "\nmark done\nawait uploaded 60000\n";
    };
    std::vector<std::unique_ptr<ChildProcess>> kiosks;
    std::vector<fs::path> shots;
    const std::vector<std::string> tokens = {"demo-kiosk-token", "offline-kiosk-2-token"};
    for (int k = 0; k < 2; ++k) {
        const std::string name = "kiosk" + std::to_string(k + 1);
        shots.push_back(dir.path() / (name + "-shots"));
        fs::create_directories(shots.back());
        std::ofstream(dir.path() / (name + ".script")) << script(k);
        kiosks.push_back(std::make_unique<ChildProcess>(
            std::vector<std::string>{LOKET_KIOSK_BIN, "--config", kioskConfig(dir, name, hall.port(), tokens[static_cast<std::size_t>(k)]).string(),
                                     "--headless", "--script", (dir.path() / (name + ".script")).string(), "--screenshots",
                                     shots.back().string()},
            dir.path(), kEnv));
    }
    for (const auto& s : shots) REQUIRE(waitForFile(s / "ready.mark", 30s));
    REQUIRE(Hall::waitUntil(20s, [&] { return hall.kiosksReady({"kiosk-1", "kiosk-2"}); }));

    hall.kill9();
    const long downAt = hall.now();
    for (const auto& s : shots) std::ofstream(s / "server-down.mark") << "1";
    for (std::size_t k = 0; k < shots.size(); ++k) REQUIRE_WITH_OUTPUT(*kiosks[k], waitForFile(shots[k] / "done.mark", 60s));
    const long backAt = hall.now();
    // Touch → printed ticket while offline (the benchmark's figure; every touch here was offline).
    std::vector<double> touch;
    std::map<std::string, std::vector<double>> parts; // where the time goes, per ticket
    for (int k = 0; k < 2; ++k) {
        std::ifstream in(dir.path() / ("touch-" + std::to_string(k) + ".json"));
        REQUIRE(in);
        const Json report = Json::parse(in);
        for (const auto& ms : report["touch_to_print_ms"]) touch.push_back(ms.get<double>());
        for (const char* part : {"journal_ms", "layout_ms", "transport_ms"})
            for (const auto& ms : report.value(part, Json::array())) parts[part].push_back(ms.get<double>());
    }
    for (auto& [part, values] : parts) {
        if (values.empty()) continue;
        std::sort(values.begin(), values.end());
        WARN("offline " << part << ": p50 " << values[values.size() / 2] << ", p95 " << values[(values.size() * 95 + 99) / 100 - 1]
                        << ", max " << values.back());
    }
    REQUIRE(touch.size() >= 30); // every walk-in (a scanned code has no touch)
    std::sort(touch.begin(), touch.end());
    WARN("offline touch → print: p50 " << touch[touch.size() / 2] << " ms, p95 "
                                       << touch[(touch.size() * 95 + 99) / 100 - 1] << " ms, max " << touch.back() << " ms");
    const auto restart = std::chrono::steady_clock::now();
    hall.start();
    const std::size_t expected = 3 + 2 * 20 + 1;
    REQUIRE(Hall::waitUntil(30s, [&] { return hall.waiting().size() >= expected; }));
    const double uploadS = std::chrono::duration<double>(std::chrono::steady_clock::now() - restart).count();
    WARN("server back → all " << expected - 3 << " offline tickets in the queue: " << uploadS << " s");
    for (const auto& s : shots) std::ofstream(s / "uploaded.mark") << "1";
    for (auto& k : kiosks) CHECK_WITH_OUTPUT(*k, k->wait(30s) == 0);

    // Every ticket once; numbers unique; offline ones placed inside the outage by the hall's clock.
    const Json waiting = hall.waiting();
    REQUIRE(waiting.size() == expected);
    std::set<std::string> numbers;
    std::map<std::string, int> kindOfCode;
    int appointments = 0;
    for (const auto& t : waiting) {
        CHECK(numbers.insert(t["number"].get<std::string>()).second);
        const long issued = instant(t["issued_at"]);
        if (t["kind"] == "appointment") {
            ++appointments;
            ++kindOfCode[t["appointment"]["code"].get<std::string>()];
        }
        if (issued >= downAt - 1) CHECK(issued <= backAt + 1);
    }
    CHECK(appointments == 10);
    for (const auto& code : codes) CHECK(kindOfCode[code] == 1); // the double check-in kept one appointment
    // In check-in order: within each kiosk's lease, a later number was checked in later.
    std::map<std::string, long> issuedOf;
    for (const auto& t : waiting) issuedOf[t["number"].get<std::string>()] = instant(t["issued_at"]);
    const Json leases = hall.get("/api/v1/offline/leases");
    for (const auto& l : leases["leases"]) {
        long previous = 0;
        const std::string prefix = l["prefix"];
        for (int seq = l["first"].get<int>(); seq < l["first"].get<int>() + l["count"].get<int>(); ++seq) {
            char digits[16];
            std::snprintf(digits, sizeof digits, "%03d", seq);
            const std::string number = prefix + digits;
            if (!issuedOf.count(number)) continue;
            CHECK(issuedOf[number] >= previous);
            previous = issuedOf[number];
        }
    }

    // Every visitor holds a printed ticket whose QR code opens their visit, and its number is in the queue.
    std::size_t printed = 0;
    std::set<std::string> printedNumbers;
    for (int k = 0; k < 2; ++k) {
        for (const auto& png : printedTickets(dir.path() / ("kiosk" + std::to_string(k + 1) + "-printed"))) {
            ++printed;
            const std::string url = zbar(png);
            INFO(png);
            REQUIRE(url.find("/v/") != std::string::npos);
            httplib::Client visitor("127.0.0.1", hall.port());
            auto visit = visitor.Get(("/api/v1/visits/" + url.substr(url.rfind('/') + 1)).c_str());
            REQUIRE(visit);
            REQUIRE(visit->status == 200);
            const std::string number = Json::parse(visit->body)["number"];
            CHECK(numbers.count(number) == 1);
            CHECK(printedNumbers.insert(number).second);
        }
    }
    CHECK(printed == expected - 3);
    // The dashboard's view: no kiosk holds unsent tickets any more.
    REQUIRE(Hall::waitUntil(10s, [&] {
        for (const auto& d : hall.get("/api/v1/devices"))
            if (d.value("kind", "") == "kiosk" && d["detail"].value("unsent_tickets", -1) != 0) return false;
        return true;
    }));
}

TEST_CASE("offline: a kiosk killed in the middle of its upload resumes it after a restart, still exactly once") {
    TempDir dir;
    Hall hall(dir);
    hall.start();
    const fs::path shots = dir.path() / "shots";
    fs::create_directories(shots);
    const auto config = kioskConfig(dir, "kiosk1", hall.port(), "demo-kiosk-token", 1);
    std::string script = "wait-screen welcome 20000\nwait-services 20000\nmark ready\nawait server-down 60000\n";
    // 20 walk-ins: exactly the two 10-number blocks (more would get the last-resort ticket).
    for (int i = 0; i < 20; ++i) script += walkIn(i % 2 ? "paspoort" : "ophalen");
    script += "mark done\nawait never 120000\n";
    std::ofstream(dir.path() / "first.script") << script;
    auto kiosk = std::make_unique<ChildProcess>(
        std::vector<std::string>{LOKET_KIOSK_BIN, "--config", config.string(), "--headless", "--script",
                                 (dir.path() / "first.script").string(), "--screenshots", shots.string()},
        dir.path(), kEnv);
    REQUIRE(waitForFile(shots / "ready.mark", 30s));
    REQUIRE(Hall::waitUntil(20s, [&] { return hall.kiosksReady({"kiosk-1"}); }));
    hall.kill9();
    std::ofstream(shots / "server-down.mark") << "1";
    REQUIRE_WITH_OUTPUT(*kiosk, waitForFile(shots / "done.mark", 60s));
    hall.start();
    // The upload goes one entry at a time: kill the kiosk once some, not all, are in.
    std::size_t atKill = 0;
    REQUIRE(Hall::waitUntil(20s, [&] { return (atKill = hall.waiting().size()) >= 3; }));
    kiosk->kill9();
    atKill = hall.waiting().size();
    INFO("tickets in the queue when the kiosk was killed: " << atKill);
    CHECK(atKill < 20);

    std::ofstream(dir.path() / "second.script") << "wait-screen welcome 20000\nawait uploaded 60000\n";
    ChildProcess again({LOKET_KIOSK_BIN, "--config", config.string(), "--headless", "--script",
                        (dir.path() / "second.script").string(), "--screenshots", shots.string()},
                       dir.path(), kEnv);
    REQUIRE(Hall::waitUntil(30s, [&] { return hall.waiting().size() >= 20; }));
    std::ofstream(shots / "uploaded.mark") << "1";
    CHECK_WITH_OUTPUT(again, again.wait(30s) == 0);
    const Json waiting = hall.waiting();
    CHECK(waiting.size() == 20);
    std::set<std::string> numbers;
    for (const auto& t : waiting) CHECK(numbers.insert(t["number"].get<std::string>()).second);
    CHECK(printedTickets(dir.path() / "kiosk1-printed").size() == 20);
}

TEST_CASE("offline: a booking made while the kiosk runs reaches its book at once, restarted during the outage it serves the code as a walk-in") {
    TempDir dir;
    Hall hall(dir);
    hall.start();
    REQUIRE(hall.post("/api/v1/appointments", {{"code", "KQ2M7X"}, {"service", "rijbewijs"}, {"starts_at", startsAt(hall, 10)}}) == 201);
    const fs::path shots = dir.path() / "shots";
    fs::create_directories(shots);
    // Leases (and with them the book) are renewed only every ten minutes here: only the event
    // stream can bring the new booking in time.
    const auto config = kioskConfig(dir, "kiosk1", hall.port(), "demo-kiosk-token", 25, 600);
    std::ofstream(dir.path() / "first.script") << "wait-screen welcome 20000\nwait-services 20000\nmark ready\nawait server-down 60000\n"
                                               << appointment("ZZ3456") << "mark done\nawait never 120000\n";
    auto kiosk = std::make_unique<ChildProcess>(
        std::vector<std::string>{LOKET_KIOSK_BIN, "--config", config.string(), "--headless", "--script",
                                 (dir.path() / "first.script").string(), "--screenshots", shots.string()},
        dir.path(), kEnv);
    REQUIRE(waitForFile(shots / "ready.mark", 30s));
    REQUIRE(Hall::waitUntil(20s, [&] { return hall.kioskDetail("kiosk-1").value("offline_book_entries", 0) == 1; }));
    REQUIRE(hall.post("/api/v1/appointments", {{"code", "ZZ3456"}, {"service", "paspoort"}, {"starts_at", startsAt(hall, 15)}}) == 201);
    REQUIRE_WITH_OUTPUT(*kiosk, Hall::waitUntil(10s, [&] { return hall.kioskDetail("kiosk-1").value("offline_book_entries", 0) == 2; }));
    hall.kill9();
    std::ofstream(shots / "server-down.mark") << "1";
    REQUIRE_WITH_OUTPUT(*kiosk, waitForFile(shots / "done.mark", 30s)); // the new code was in the offline book
    // The kiosk loses power during the outage: the book's key is gone with its memory.
    kiosk->kill9();
    std::ofstream(dir.path() / "second.script")
        << "wait-screen welcome 20000\nwait-services 20000\ntype KQ2M7X\nkey enter\nwait-screen problem.code_not_checkable 8000\n"
        << "shot offline-code-not-checkable\ntap other_service\ntap choose_service rijbewijs\ntap confirm_service\nwait-screen ticket 8000\nwait-printed 8000\n"
        << "tap done\nwait-screen welcome 8000\n" << walkIn("ophalen") << "mark again\nawait uploaded 60000\n";
    ChildProcess again({LOKET_KIOSK_BIN, "--config", config.string(), "--headless", "--script",
                        (dir.path() / "second.script").string(), "--screenshots", shots.string()},
                       dir.path(), kEnv);
    REQUIRE_WITH_OUTPUT(again, waitForFile(shots / "again.mark", 30s));
    hall.start();
    REQUIRE(Hall::waitUntil(30s, [&] { return hall.waiting().size() >= 3; }));
    std::ofstream(shots / "uploaded.mark") << "1";
    CHECK_WITH_OUTPUT(again, again.wait(30s) == 0);
    std::map<std::string, std::string> kindOf; // service → kind
    for (const auto& t : hall.waiting()) kindOf[t["services"][0].get<std::string>()] = t["kind"];
    CHECK(kindOf["paspoort"] == "appointment"); // ZZ3456, from the refreshed book
    CHECK(kindOf["rijbewijs"] == "walk_in");    // KQ2M7X after the restart: a walk-in for its service
    CHECK(kindOf["ophalen"] == "walk_in");      // walk-ins go on after a restart (the kept service list)
    std::set<std::string> numbers;
    for (const auto& t : hall.waiting()) CHECK(numbers.insert(t["number"].get<std::string>()).second);
    CHECK(printedTickets(dir.path() / "kiosk1-printed").size() == 3);
    // The pictures for docs/kiosk/README.md: the offline appointment ticket as the file printer
    // decoded it from the ESC/POS bytes, and the screen after a restart during the outage.
    if (const char* docs = std::getenv("LOKET_KIOSK_DOCS_DIR")) {
        fs::create_directories(docs);
        fs::copy_file(dir.path() / "kiosk1-printed" / "ticket-0001.bin.png", fs::path(docs) / "offline-ticket.png",
                      fs::copy_options::overwrite_existing);
        fs::copy_file(shots / "offline-code-not-checkable.png", fs::path(docs) / "offline-code-not-checkable.png",
                      fs::copy_options::overwrite_existing);
    }
}
