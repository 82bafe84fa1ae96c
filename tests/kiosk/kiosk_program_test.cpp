// The real loket-kiosk, headless, against the real loket-server: every flow, every error
// screen, the server going away and coming back, printer faults and the idle reset. Each shot
// is checked from its pixels and its view-model: targets ≥ 15 mm with ≥ 3 mm between them,
// text contrast ≥ 4.5:1 (7:1 for the ticket number), a spoken form for every text, and no
// booking code in anything said. Set LOKET_KIOSK_DOCS_DIR to keep the pictures (docs/kiosk).
#include "child_process.hpp"
#include "tests/server/server_process.hpp"

#include "shared/core/utf8.hpp"
#include "shared/ticket/bitmap.hpp"
#include "shared/ticket/font.hpp"
#include "shared/ticket/printer_profile.hpp"
#include "shared/ticket/virtual_printer.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <stb_image.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using loket::kiosk::testing::ChildProcess;
using loket::kiosk::testing::kSource;
using loket::kiosk::testing::waitForFile;
using loket::test::ApiClient;
using loket::test::Json;
using loket::test::ServerProcess;
using loket::test::TempDir;
using namespace std::chrono_literals;

namespace {

std::string readFile(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The kiosk's config for a test: this server, this printer, heartbeat every second.
fs::path writeConfig(const TempDir& dir, const std::string& serverUrl, const std::string& printer, bool landscape = false) {
    const fs::path file = dir.path() / (landscape ? "kiosk-landscape.toml" : "kiosk.toml");
    std::ofstream(file) << "[server]\nurl = \"" << serverUrl << "\"\ndevice_token = \"demo-kiosk-token\"\n"
                        << "[printer]\nprofile = \"" << (kSource / "firmware-config/printers/epson-tm-t20iii.toml").string()
                        << "\"\ntransport = \"" << printer << "\"\n"
                        << (landscape ? "[screen]\nwidth_px = 1920\nheight_px = 1080\ndiagonal_inch = 21.5\norientation = \"landscape\"\n"
                                      : "[screen]\nwidth_px = 1080\nheight_px = 1920\ndiagonal_inch = 21.5\n")
                        << "[timing]\nheartbeat_s = 1\n"
                        << "[hall]\nname = \"Gemeente Rijnwaarde\"\nassets_dir = \"" << (kSource / "assets").string() << "\"\n"
                        << "[[booking_code]]\nname = \"jcc-link\"\n"
                        << "regex = 'https?://[^ ]*[?&]code=([A-Za-z2-9]{6,10})(?:&.*)?'\n";
    return file;
}

std::vector<std::string> kioskArgs(const fs::path& config, const fs::path& script, const fs::path& shots) {
    return {LOKET_KIOSK_BIN, "--config", config.string(), "--headless", "--script", script.string(), "--screenshots", shots.string()};
}

const std::vector<std::string> kEnv{"SDL_VIDEODRIVER=offscreen", "SDL_AUDIODRIVER=dummy"};

// Runs a script to its end and returns the folder of its shots.
fs::path runKiosk(const TempDir& dir, const fs::path& config, const std::string& name, const std::string& script) {
    const fs::path shots = dir.path() / name;
    fs::create_directories(shots);
    const fs::path scriptFile = dir.path() / (name + ".script");
    std::ofstream(scriptFile) << script;
    ChildProcess kiosk(kioskArgs(config, scriptFile, shots), dir.path(), kEnv);
    auto code = kiosk.wait(60s);
    INFO(kiosk.output());
    REQUIRE(code == 0);
    return shots;
}

Json shot(const fs::path& shots, const std::string& name) {
    auto text = readFile(shots / (name + ".json"));
    REQUIRE_FALSE(text.empty());
    return Json::parse(text);
}

double luminance(const unsigned char* p) {
    auto channel = [](unsigned char v) {
        const double c = v / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(p[0]) + 0.7152 * channel(p[1]) + 0.0722 * channel(p[2]);
}

double contrast(double a, double b) { return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05); }

// Checks one shot from its pixels and its view-model; copies it to the docs folder if asked.
void checkShot(const fs::path& shots, const std::string& name) {
    INFO("shot " << name);
    const Json j = shot(shots, name);
    const double dpi = j["dpi"].get<double>();
    const double px = dpi / 25.4;
    int w = 0, h = 0, n = 0;
    unsigned char* pixels = stbi_load((shots / (name + ".png")).c_str(), &w, &h, &n, 3);
    REQUIRE(pixels);
    CHECK(w == j["size"][0].get<int>());
    CHECK(h == j["size"][1].get<int>());

    // Touch targets: at least 15 mm, and 3 mm apart.
    const auto& targets = j["targets"];
    for (std::size_t a = 0; a < targets.size(); ++a) {
        const auto& ra = targets[a]["rect"];
        INFO("target " << targets[a]["action"].get<std::string>() << " " << targets[a]["arg"].get<std::string>());
        CHECK(targets[a]["w_mm"].get<double>() >= 15.0);
        CHECK(targets[a]["h_mm"].get<double>() >= 15.0);
        for (std::size_t b = a + 1; b < targets.size(); ++b) {
            const auto& rb = targets[b]["rect"];
            const double gapX = std::max(rb[0].get<double>() - ra[2].get<double>(), ra[0].get<double>() - rb[2].get<double>());
            const double gapY = std::max(rb[1].get<double>() - ra[3].get<double>(), ra[1].get<double>() - rb[3].get<double>());
            CHECK(std::max(gapX, gapY) / px >= 3.0 - 1e-6);
        }
    }
    // Contrast of every drawn text, measured from the pixels in its box: the commonest colour
    // is the background, the pixel that differs most from it is the text.
    for (const auto& t : j["drawn_texts"]) {
        const auto& r = t["rect"];
        const int x0 = std::max(0, static_cast<int>(r[0].get<double>())), y0 = std::max(0, static_cast<int>(r[1].get<double>()));
        const int x1 = std::min(w, static_cast<int>(r[2].get<double>())), y1 = std::min(h, static_cast<int>(r[3].get<double>()));
        if (x1 <= x0 || y1 <= y0) continue;
        std::map<std::uint32_t, int> counts;
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) {
                const unsigned char* p = pixels + (static_cast<std::size_t>(y) * w + x) * 3;
                ++counts[(p[0] << 16) | (p[1] << 8) | p[2]];
            }
        auto bg = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
        const unsigned char bgPixel[3] = {static_cast<unsigned char>(bg >> 16), static_cast<unsigned char>(bg >> 8),
                                          static_cast<unsigned char>(bg)};
        const double bgL = luminance(bgPixel);
        double best = 1;
        for (auto& [c, count] : counts) {
            const unsigned char p[3] = {static_cast<unsigned char>(c >> 16), static_cast<unsigned char>(c >> 8),
                                        static_cast<unsigned char>(c)};
            best = std::max(best, contrast(luminance(p), bgL));
        }
        INFO("text \"" << t["text"].get<std::string>() << "\"");
        CHECK(best >= (t["number"].get<bool>() ? 7.0 : 4.5));
    }
    stbi_image_free(pixels);
    // Every visible text can be heard.
    for (const auto& t : j["texts"]) CHECK_FALSE(t["spoken"].get<std::string>().empty());
    if (const char* docs = std::getenv("LOKET_KIOSK_DOCS_DIR")) {
        fs::create_directories(docs);
        fs::copy_file(shots / (name + ".png"), fs::path(docs) / (name + ".png"), fs::copy_options::overwrite_existing);
    }
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

std::string texts(const Json& j) {
    std::string all;
    for (const auto& t : j["texts"]) all += t["shown"].get<std::string>() + "\n";
    return all;
}

// How far the test server's clock is shifted by default: it reads today 09:00 UTC
// (ServerProcess), whatever the hour of the test run.
long defaultClockShift() {
    const long real = static_cast<long>(std::time(nullptr));
    return 9 * 3600 - real % 86400;
}

// An appointment starting `minutesFromNow` from the server's now, as the server prints it.
void addAppointment(ApiClient& admin, const std::string& code, const std::string& service, int minutesFromNow,
                    long clockShiftS = defaultClockShift()) {
    // The server's clock decides "now" (shifted by LOKET_CLOCK_OFFSET_S when the test asks).
    const auto now = std::chrono::system_clock::now() + std::chrono::seconds(clockShiftS) + std::chrono::minutes(minutesFromNow);
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:00Z", &utc);
    auto r = admin.post("/api/v1/appointments", Json{{"code", code}, {"service", service}, {"starts_at", buf}});
    INFO(r.body);
    REQUIRE(r.status == 201);
}

Json devices(const ServerProcess& server) {
    ApiClient admin(server, "demo-admin-token");
    return admin.get("/api/v1/devices").json;
}

std::string kioskPrinterState(const ServerProcess& server) {
    for (const auto& d : devices(server))
        if (d.value("kind", "") == "kiosk" && d.contains("detail") && d["detail"].is_object())
            return d["detail"].value("printer", "");
    return "";
}

} // namespace

TEST_CASE("kiosk program: a walk-in gets a printed ticket whose QR code leads to the visit") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const fs::path printed = dir.path() / "printed";
    fs::create_directories(printed);
    const auto config = writeConfig(dir, server.url(), "file:" + printed.string() + "/");
    const auto shots = runKiosk(dir, config, "walk-in", R"(
wait-screen welcome
shot welcome
wait-services
tap choose_walk_in
wait-screen services
shot services
tap choose_service paspoort
shot service-confirm
tap confirm_service
wait-screen ticket 8000
wait 600
shot ticket
)");
    for (const char* name : {"welcome", "services", "service-confirm", "ticket"}) checkShot(shots, name);
    const Json ticket = shot(shots, "ticket");
    CHECK(ticket["screen"] == "ticket");
    CHECK(texts(ticket).find("Uw ticket wordt geprint") != std::string::npos);
    CHECK(ticket.contains("touch_to_print_ms"));
    const Json services = shot(shots, "services");
    CHECK(texts(services).find("Alleen met afspraak") != std::string::npos); // huwelijk
    CHECK(texts(services).find("Dit kunt u ook online regelen.") != std::string::npos);
    const Json confirm = shot(shots, "service-confirm");
    CHECK(texts(confirm).find("Neem mee:") != std::string::npos);

    // The paper: its QR code opens the visitor page of this very ticket.
    std::vector<fs::path> pngs;
    for (const auto& e : fs::directory_iterator(printed))
        if (e.path().extension() == ".png") pngs.push_back(e.path());
    REQUIRE(pngs.size() == 1); // one touch, one ticket
    const std::string url = zbar(pngs.front());
    REQUIRE(url.find("/v/") != std::string::npos);
    ApiClient visitor(server);
    auto visit = visitor.get("/api/v1/visits/" + url.substr(url.rfind('/') + 1));
    REQUIRE(visit.status == 200);
    const std::string number = visit.json["number"];
    CHECK(number.front() == 'A');
    CHECK(texts(ticket).find(number) != std::string::npos);
    CHECK(kioskPrinterState(server) == "ok");
}

TEST_CASE("needs: the kiosk's optional needs step sends the visitor's choice with the check-in, skipping sends none") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const fs::path printed = dir.path() / "printed";
    fs::create_directories(printed);
    // The hall turns the step on ([hall] ask_needs; off by default).
    const auto config = writeConfig(dir, server.url(), "file:" + printed.string() + "/");
    std::string text = readFile(config);
    const auto hall = text.find("[hall]\n");
    REQUIRE(hall != std::string::npos);
    text.insert(hall + 7, "ask_needs = true\n");
    std::ofstream(config) << text;
    const auto shots = runKiosk(dir, config, "needs", R"(
wait-screen welcome
wait-services
tap choose_walk_in
wait-screen services
tap choose_service ophalen
tap confirm_service
wait-screen needs
tap toggle_need sitting_desk
tap toggle_need interpreter
shot needs
tap confirm_needs
wait-screen ticket 8000
wait-printed 8000
tap done
wait-screen welcome
wait-services
tap choose_walk_in
wait-screen services
tap choose_service ophalen
tap confirm_service
wait-screen needs
tap skip_needs
wait-screen ticket 8000
wait-printed 8000
)");
    checkShot(shots, "needs"); // targets of 15 mm, 3 mm apart, contrast, every text spoken
    const Json needs = shot(shots, "needs");
    CHECK(needs["screen"] == "needs");
    CHECK(texts(needs).find("Heeft u iets nodig aan de balie?") != std::string::npos);
    CHECK(texts(needs).find("Overslaan") != std::string::npos);

    // Staff see the first visitor's needs; the second skipped and has none.
    ApiClient staff(server, loginDemo(server));
    auto tickets = staff.get("/api/v1/tickets");
    REQUIRE(tickets.status == 200);
    REQUIRE(tickets.json.size() == 2);
    CHECK(tickets.json[0]["needs"]["kinds"] == Json::array({"sitting_desk", "interpreter"}));
    CHECK(tickets.json[1]["needs"]["kinds"] == Json::array());
    // The printed tickets carry no needs: they are for the counter only.
    for (const auto& e : fs::directory_iterator(printed))
        if (e.path().extension() == ".bin") CHECK(readFile(e.path()).find("sitting") == std::string::npos);
}

TEST_CASE("kiosk program: an appointment checks in by the on-screen keyboard and by a scanned link") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    addAppointment(admin, "K7Q2MX", "paspoort", 10);
    addAppointment(admin, "ZZ3456", "rijbewijs", 20);
    const auto config = writeConfig(dir, server.url(), "file:" + (dir.path() / "t.bin").string());
    const auto shots = runKiosk(dir, config, "appointment", R"(
tap choose_appointment
wait-screen code_entry
tap type_char K
tap type_char 7
tap type_char Q
tap type_char 2
tap type_char M
tap type_char X
shot code-entry
tap submit_code
wait-screen ticket 8000
shot appointment-ticket
tap done
wait-screen welcome
type https://afspraak.example.nl/bevestiging?code=zz3456&taal=nl
key enter
wait-screen ticket 8000
shot scanned-ticket
)");
    checkShot(shots, "code-entry");
    checkShot(shots, "appointment-ticket");
    const Json entry = shot(shots, "code-entry");
    CHECK(texts(entry).find("K7Q2MX") != std::string::npos);
    CHECK(entry["spoken"].get<std::string>().find("K7Q2MX") == std::string::npos);
    CHECK(entry["spoken"].get<std::string>().find("6 tekens") != std::string::npos);
    CHECK(texts(shot(shots, "appointment-ticket")).find("Afspraak om") != std::string::npos);
    CHECK(texts(shot(shots, "scanned-ticket")).find("R00") != std::string::npos);
}

TEST_CASE("kiosk program: every check-in error has its own screen and next step") {
    TempDir dir;
    // "Too early" needs an appointment later today: run the hall's clock at 09:00 UTC (10:00 or
    // 11:00 in the hall), whatever the hour of the test run.
    const long real = static_cast<long>(std::time(nullptr));
    const long shift = 9 * 3600 - real % 86400;
    ServerProcess server(dir.path() / "hall.db", ServerProcess::defaultConfig(), {"LOKET_CLOCK_OFFSET_S=" + std::to_string(shift)});
    ApiClient admin(server, "demo-admin-token");
    addAppointment(admin, "EARLY234", "paspoort", 120, shift);
    addAppointment(admin, "TMRW2345", "paspoort", 26 * 60, shift);
    addAppointment(admin, "TWICE234", "paspoort", 5, shift);
    ApiClient kioskApi(server, "demo-kiosk-token");
    auto first = kioskApi.post("/api/v1/tickets", Json{{"appointment_code", "TWICE234"}, {"language", "nl"}},
                               {{"Idempotency-Key", "test-first-check-in"}});
    REQUIRE(first.status == 201);
    const std::string existing = first.json["ticket"]["number"];
    // The facts the kiosk shows travel typed in the error's details (api.md), not in the message.
    auto twice = kioskApi.post("/api/v1/tickets", Json{{"appointment_code", "TWICE234"}, {"language", "nl"}},
                               {{"Idempotency-Key", "test-second-check-in"}});
    CHECK(twice.status == 409);
    CHECK(twice.json["error"]["details"]["ticket_number"] == existing);
    auto early = kioskApi.post("/api/v1/tickets", Json{{"appointment_code", "EARLY234"}, {"language", "nl"}},
                               {{"Idempotency-Key", "test-early-check-in"}});
    CHECK(early.json["error"]["code"] == "too_early");
    CHECK(early.json["error"]["details"]["check_in_from"].is_string());
    const auto config = writeConfig(dir, server.url(), "file:" + (dir.path() / "t.bin").string());
    const auto shots = runKiosk(dir, config, "errors", R"(
type NOSUCH23
key enter
wait-screen problem.unknown_code
shot error-unknown-code
tap try_again
type 12
key enter
wait-screen problem.invalid_code
shot error-invalid-code
tap start_over
type EARLY234
key enter
wait-screen problem.too_early
shot error-too-early
tap done
type TMRW2345
key enter
wait-screen problem.not_today
shot error-not-today
tap done
type TWICE234
key enter
wait-screen problem.already_checked_in
shot error-already-checked-in
tap done
wait-services
tap choose_walk_in
tap choose_service s7
tap confirm_service
wait-screen problem.walk_in_not_offered
shot error-walk-in-not-offered
tap other_service
wait-screen services
)");
    for (const char* name : {"error-unknown-code", "error-invalid-code", "error-too-early", "error-not-today",
                             "error-already-checked-in", "error-walk-in-not-offered"}) {
        checkShot(shots, name);
        const Json j = shot(shots, name);
        bool hasNextStep = false;
        for (const auto& t : j["targets"])
            if (t["action"] != "toggle_speech" && t["action"] != "toggle_large_text") hasNextStep = true;
        CHECK(hasNextStep);
        for (const char* code : {"NOSUCH23", "EARLY234", "TMRW2345", "TWICE234"})
            CHECK(j["spoken"].get<std::string>().find(code) == std::string::npos);
    }
    CHECK(texts(shot(shots, "error-too-early")).find("Kom terug om ") != std::string::npos);
    CHECK(texts(shot(shots, "error-already-checked-in")).find("Uw nummer is " + existing) != std::string::npos);
    CHECK(texts(shot(shots, "error-not-today")).find("Uw afspraak is op ") != std::string::npos);
    CHECK(texts(shot(shots, "error-walk-in-not-offered")).find("afspraak nodig") != std::string::npos);
}

TEST_CASE("kiosk program: a closed hall says when it opens") {
    TempDir dir;
    std::string hall = readFile(ServerProcess::defaultConfig());
    const auto at = hall.find("always = true");
    REQUIRE(at != std::string::npos);
    hall.replace(at, 13, "mon = [\"00:00-00:01\"]\ntue = [\"00:00-00:01\"]\nwed = [\"00:00-00:01\"]\nthu = [\"00:00-00:01\"]\n"
                         "fri = [\"00:00-00:01\"]\nsat = [\"00:00-00:01\"]\nsun = [\"00:00-00:01\"]");
    std::ofstream(dir.path() / "closed.toml") << hall;
    ServerProcess server(dir.path() / "hall.db", dir.path() / "closed.toml");
    const auto config = writeConfig(dir, server.url(), "file:" + (dir.path() / "t.bin").string());
    const auto shots = runKiosk(dir, config, "closed", R"(
wait-services
tap choose_walk_in
tap choose_service paspoort
tap confirm_service
wait-screen problem.hall_closed
shot error-hall-closed
)");
    checkShot(shots, "error-hall-closed");
    CHECK(texts(shot(shots, "error-hall-closed")).find("Wij zijn vandaag open van 00:00 tot 00:01.") != std::string::npos);
}

TEST_CASE("kiosk program: with the server gone the kiosk stays calm and recovers the check-in by itself") {
    TempDir dir;
    int port = 0;
    {
        ServerProcess probe(dir.path() / "probe.db");
        port = probe.port();
    }
    auto startServer = [&] {
        auto server = std::make_unique<ChildProcess>(
            std::vector<std::string>{LOKET_SERVER_BIN, "--config", ServerProcess::defaultConfig().string(), "--db",
                                     (dir.path() / "hall.db").string(), "--listen", "127.0.0.1:" + std::to_string(port)},
            dir.path());
        httplib::Client health("127.0.0.1", port);
        const auto until = std::chrono::steady_clock::now() + 15s;
        while (!health.Get("/healthz") && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(20ms);
        return server;
    };
    auto server = startServer();
    const auto config = writeConfig(dir, "http://127.0.0.1:" + std::to_string(port), "file:" + (dir.path() / "t.bin").string());
    const fs::path shots = dir.path() / "offline";
    fs::create_directories(shots);
    std::ofstream(dir.path() / "offline.script") << R"(
wait-screen welcome
wait-services
tap choose_walk_in
tap choose_service paspoort
mark ready
await server-down 20000
tap confirm_service
wait-screen offline 10000
shot offline-pending
mark offline-seen
wait-screen ticket 30000
shot recovered
tap done
wait-screen welcome
mark ticket-seen
await server-down-again 20000
wait-screen offline 10000
shot offline
mark offline-idle-seen
wait-screen welcome 30000
)";
    ChildProcess kiosk(kioskArgs(config, dir.path() / "offline.script", shots), dir.path(), kEnv);
    INFO(kiosk.output());
    REQUIRE(waitForFile(shots / "ready.mark", 30s));
    server->kill9();
    std::ofstream(shots / "server-down.mark") << "1";
    REQUIRE(waitForFile(shots / "offline-seen.mark", 30s));
    server = startServer();
    REQUIRE(waitForFile(shots / "ticket-seen.mark", 30s));
    server->terminate();
    std::ofstream(shots / "server-down-again.mark") << "1";
    REQUIRE(waitForFile(shots / "offline-idle-seen.mark", 30s));
    server = startServer();
    REQUIRE(kiosk.wait(40s) == 0);

    for (const char* name : {"offline-pending", "recovered", "offline"}) checkShot(shots, name);
    CHECK(texts(shot(shots, "offline-pending")).find("Het systeem is even niet bereikbaar") != std::string::npos);
    CHECK(texts(shot(shots, "offline-pending")).find("Meld u bij de balie.") != std::string::npos);
    // The retried check-in made exactly one ticket.
    httplib::Client api("127.0.0.1", port);
    auto waiting = api.Get("/api/v1/tickets?status=waiting", {{"Authorization", "Bearer demo-admin-token"}});
    REQUIRE(waiting);
    REQUIRE(waiting->status == 200);
    auto list = Json::parse(waiting->body);
    const Json& tickets = list.is_array() ? list : list["tickets"];
    CHECK(tickets.size() == 1);
}

TEST_CASE("kiosk program: out of paper, the number and a working QR code are on screen and staff are told") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    auto printer = loket::ticket::VirtualPrinter::start({});
    REQUIRE(printer);
    loket::ticket::PrinterStatus paperOut;
    paperOut.paperOut = true;
    (*printer)->setStatus(paperOut);
    const auto config = writeConfig(dir, server.url(), (*printer)->spec());
    const auto shots = runKiosk(dir, config, "paper-out", R"(
wait-services
tap choose_walk_in
tap choose_service verhuizing
tap confirm_service
wait-screen ticket.on_screen 10000
wait 1500
shot ticket-printer-fault
)");
    checkShot(shots, "ticket-printer-fault");
    CHECK(texts(shot(shots, "ticket-printer-fault")).find("Maak een foto van uw nummer") != std::string::npos);
    const std::string url = zbar(shots / "ticket-printer-fault.png");
    REQUIRE(url.find("/v/") != std::string::npos);
    ApiClient visitor(server);
    CHECK(visitor.get("/api/v1/visits/" + url.substr(url.rfind('/') + 1)).status == 200);
    CHECK((*printer)->jobs().empty());
    CHECK(kioskPrinterState(server) == "paper_out");

    // A landscape kiosk puts the code beside the number; it must still scan.
    const auto landscape = writeConfig(dir, server.url(), (*printer)->spec(), true);
    const auto wide = runKiosk(dir, landscape, "paper-out-landscape", R"(
wait-services
tap choose_walk_in
tap choose_service paspoort
tap confirm_service
wait-screen ticket.on_screen 10000
shot ticket-printer-fault-landscape
)");
    checkShot(wide, "ticket-printer-fault-landscape");
    CHECK(zbar(wide / "ticket-printer-fault-landscape.png").find("/v/") != std::string::npos);
}

TEST_CASE("kiosk program: paper near its end still prints, and staff are warned") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    auto printer = loket::ticket::VirtualPrinter::start({});
    REQUIRE(printer);
    loket::ticket::PrinterStatus low;
    low.paperNearEnd = true;
    (*printer)->setStatus(low);
    const auto config = writeConfig(dir, server.url(), (*printer)->spec());
    const auto shots = runKiosk(dir, config, "paper-low", R"(
wait-services
tap choose_walk_in
tap choose_service paspoort
tap confirm_service
wait-screen ticket 10000
wait 1500
shot ticket-paper-low
)");
    CHECK(shot(shots, "ticket-paper-low")["screen"] == "ticket");
    CHECK((*printer)->waitForJobs(1, 5s));
    CHECK(kioskPrinterState(server) == "paper_low");
}

TEST_CASE("kiosk program: the idle warning gives more time, and the reset clears what was typed") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const auto config = writeConfig(dir, server.url(), "file:" + (dir.path() / "t.bin").string());
    const auto shots = runKiosk(dir, config, "idle", R"(
tap choose_appointment
type K7Q
advance 41
shot idle-warning
tap more_time
expect-screen code_entry
advance 41
advance 20
wait-screen welcome
tap choose_appointment
shot code-entry-cleared
)");
    checkShot(shots, "idle-warning");
    const Json warning = shot(shots, "idle-warning");
    REQUIRE(warning["targets"].size() == 1);
    CHECK(warning["targets"][0]["action"] == "more_time");
    CHECK(texts(warning).find("Bent u er nog?") != std::string::npos);
    CHECK(texts(shot(shots, "code-entry-cleared")).find("K7Q") == std::string::npos);
}

TEST_CASE("kiosk program: keys alone, another language, large text and read-aloud") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    ApiClient admin(server, "demo-admin-token");
    addAppointment(admin, "SPEAK234", "paspoort", 10);
    const auto config = writeConfig(dir, server.url(), "file:" + (dir.path() / "t.bin").string());
    const auto shots = runKiosk(dir, config, "keys", R"(
tap set_language en
tap toggle_large_text
shot welcome-en-large
key next
key next
key enter
wait-screen services
key next
shot services-en-large-focus
tap back
wait-screen welcome
tap toggle_large_text
tap set_language tr
shot welcome-tr
tap set_language pl
tap toggle_speech
tap choose_appointment
type SPEAK234
shot code-entry-pl-speech
key enter
wait-screen ticket 8000
shot ticket-pl
)");
    for (const char* name : {"welcome-en-large", "services-en-large-focus", "welcome-tr", "code-entry-pl-speech", "ticket-pl"})
        checkShot(shots, name);
    CHECK(shot(shots, "welcome-en-large")["large_text"] == true);
    CHECK(texts(shot(shots, "services-en-large-focus")).find("What are you here for?") != std::string::npos);
    CHECK(texts(shot(shots, "welcome-tr")).find("Belediyeye hoş geldiniz") != std::string::npos);
    const Json ticket = shot(shots, "ticket-pl");
    std::string said;
    for (const auto& line : ticket["speech_log"]) said += line.get<std::string>() + "\n";
    CHECK(said.find("pl: ") != std::string::npos);
    CHECK(said.find("Numer") != std::string::npos);
    CHECK(said.find("SPEAK234") == std::string::npos); // the booking code is never spoken
}

namespace {

// Whether `text` is printed on the ticket as one line of the body text (the "bring" line): the
// line is drawn with the ticket's own font, size and centring (shared/ticket/ticket_layout.cpp:
// body text 26 dots × the profile's text scale) and looked for, dot for dot, in the paper.
bool printedLine(const loket::ticket::Bitmap& paper, const std::string& text) {
    using namespace loket::ticket;
    auto profile = loadPrinterProfile(kSource / "firmware-config/printers/epson-tm-t20iii.toml");
    auto fonts = loadFonts();
    auto cps = loket::core::decodeUtf8(text);
    REQUIRE(profile);
    REQUIRE(fonts);
    REQUIRE(cps);
    const std::u32string line(cps->begin(), cps->end());
    const int px = std::max(8, static_cast<int>(std::lround(26 * profile->textScale)));
    const LineMetrics m = lineMetrics(fonts->regular, px);
    const int width = profile->printWidthDots - 2 * profile->marginDots;
    Bitmap expected(profile->printWidthDots, m.lineHeight);
    drawText(expected, fonts->regular, px, profile->marginDots + (width - measureText(fonts->regular, px, line)) / 2, m.ascent, line);
    REQUIRE(expected.blackCount() > 0);
    if (paper.width() != expected.width()) return false;
    for (int top = 0; top + expected.height() <= paper.height(); ++top) {
        bool same = true;
        for (int y = 0; y < expected.height() && same; ++y)
            for (int x = 0; x < expected.width() && same; ++x) same = paper.get(x, top + y) == expected.get(x, y);
        if (same) return true;
    }
    return false;
}

} // namespace

TEST_CASE("beheer: a new banner and 'what to bring' reach the running kiosk: screens and the printed ticket show them") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const fs::path printed = dir.path() / "printed";
    fs::create_directories(printed);
    const auto config = writeConfig(dir, server.url(), "file:" + printed.string() + "/");
    const fs::path shots = dir.path() / "live";
    fs::create_directories(shots);
    std::ofstream(dir.path() / "live.script") << R"(
wait-screen welcome
mark ready
await changed 20000
wait-text 5000 12:00 gesloten
shot welcome-banner
wait-services
tap choose_walk_in
wait-screen services
tap choose_service paspoort
wait-text 5000 nieuwe pasfoto
shot service-confirm
tap confirm_service
wait-screen ticket 8000
wait-printed 8000
)";
    ChildProcess kiosk(kioskArgs(config, dir.path() / "live.script", shots), dir.path(), kEnv);
    INFO(kiosk.output());
    REQUIRE(waitForFile(shots / "ready.mark", 30s));
    // The hall manager's changes on /beheer (the page sends exactly these) while the kiosk runs.
    ApiClient admin(server, "demo-admin-token");
    REQUIRE(admin.post("/api/v1/configuration", {{"type", "banner.set"}, {"text", {{"nl", "Vandaag zijn wij om 12:00 gesloten"}}}}).status == 200);
    const std::string bring = "Een nieuwe pasfoto en uw oude paspoort";
    REQUIRE(admin.post("/api/v1/configuration", {{"type", "service.set"}, {"service", {{"id", "paspoort"}, {"bring", {{"nl", bring}}}}}}).status == 200);
    std::ofstream(shots / "changed.mark") << "1";
    REQUIRE(kiosk.wait(60s) == 0);

    for (const char* name : {"welcome-banner", "service-confirm"}) checkShot(shots, name); // contrast, sizes, spoken
    CHECK(texts(shot(shots, "welcome-banner")).find("Vandaag zijn wij om 12:00 gesloten") != std::string::npos);
    const Json confirm = shot(shots, "service-confirm");
    CHECK(texts(confirm).find(bring) != std::string::npos);
    CHECK(texts(confirm).find("Vandaag zijn wij om 12:00 gesloten") != std::string::npos); // on every screen

    std::vector<fs::path> pngs;
    for (const auto& e : fs::directory_iterator(printed))
        if (e.path().extension() == ".png") pngs.push_back(e.path());
    REQUIRE(pngs.size() == 1);
    auto paper = loket::ticket::readPng(pngs.front());
    REQUIRE(paper);
    CHECK(printedLine(*paper, bring));
    CHECK_FALSE(printedLine(*paper, "Twee pasfoto's en uw oude paspoort")); // the line is found, not any line
}

TEST_CASE("beheer: a closed day added while the kiosk runs: the kiosk refuses walk-ins with the closed text") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const auto config = writeConfig(dir, server.url(), "file:" + (dir.path() / "t.bin").string());
    const fs::path shots = dir.path() / "closed";
    fs::create_directories(shots);
    std::ofstream(dir.path() / "closed.script") << R"(
wait-screen welcome
mark ready
await changed 20000
wait-services
tap choose_walk_in
wait-screen services
tap choose_service ophalen
tap confirm_service
wait-screen problem.hall_closed 8000
shot closed
)";
    ChildProcess kiosk(kioskArgs(config, dir.path() / "closed.script", shots), dir.path(), kEnv);
    INFO(kiosk.output());
    REQUIRE(waitForFile(shots / "ready.mark", 30s));
    ApiClient admin(server, "demo-admin-token");
    const std::string today = ApiClient(server, "demo-display-token").get("/api/v1/hall").json["hall"]["date"];
    auto closed = admin.post("/api/v1/configuration", {{"type", "exception.set"}, {"date", today}, {"kind", "closed"}, {"note", {{"nl", "Studiedag"}}}});
    REQUIRE(closed.status == 200);
    std::ofstream(shots / "changed.mark") << "1";
    REQUIRE(kiosk.wait(60s) == 0);
    checkShot(shots, "closed");
    const std::string said = texts(shot(shots, "closed"));
    CHECK(said.find("De balies zijn nu gesloten") != std::string::npos);
    CHECK(said.find("Wij zijn vandaag niet meer open.") != std::string::npos);
    // Nothing was issued.
    CHECK(admin.get("/api/v1/tickets?status=waiting").json.size() == 0);
}
