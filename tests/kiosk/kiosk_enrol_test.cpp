// Enrolment end to end: the real loket-kiosk, headless and started without a token, against the
// real loket-server. It shows a pairing code, a hall manager approves it through the API, the
// kiosk checks a visitor in with its own credential (stored 0600 in its state folder), and once
// revoked its requests are refused and it is back on the pairing screen within 2 seconds.
#include "child_process.hpp"
#include "tests/server/server_process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sys/stat.h>

namespace fs = std::filesystem;
using loket::kiosk::testing::ChildProcess;
using loket::kiosk::testing::kSource;
using loket::kiosk::testing::readText;
using loket::kiosk::testing::waitForFile;
using loket::test::ApiClient;
using loket::test::Json;
using loket::test::ServerProcess;
using loket::test::TempDir;
using namespace std::chrono_literals;

namespace {

// A kiosk config without a device token: the kiosk pairs. Heartbeat every second.
fs::path unpairedConfig(const TempDir& dir, const std::string& serverUrl) {
    const fs::path file = dir.path() / "kiosk.toml";
    std::ofstream(file) << "[server]\nurl = \"" << serverUrl << "\"\n"
                        << "[printer]\nprofile = \"" << (kSource / "firmware-config/printers/epson-tm-t20iii.toml").string()
                        << "\"\ntransport = \"file:" << (dir.path() / "print").string() << "/\"\n"
                        << "[timing]\nheartbeat_s = 1\n"
                        << "[hall]\nassets_dir = \"" << (kSource / "assets").string() << "\"\n";
    return file;
}

std::string allDrawn(const Json& shot) {
    std::string out;
    for (const auto& t : shot["drawn_texts"]) out += t["text"].get<std::string>() + "\n";
    return out;
}

} // namespace

TEST_CASE("enrol: a headless kiosk shows a code, works once approved, and is cut off within 2 s when revoked") {
    TempDir dir;
    ServerProcess server(dir.path() / "hall.db");
    const fs::path shots = dir.path() / "shots", state = dir.path() / "state";
    fs::create_directories(shots);
    const fs::path script = dir.path() / "enrol.script";
    std::ofstream(script) << R"(
wait-screen pairing.code 15000
shot pairing
mark code-shown
wait-screen welcome 20000
wait-services 20000
tap choose_walk_in
wait-screen services
tap choose_service paspoort
tap confirm_service
wait-screen ticket 8000
shot ticket
mark checked-in
await revoked 20000
wait-screen pairing 5000
mark pairing-again
wait-screen pairing.code 5000
shot revoked
)";
    ChildProcess kiosk({LOKET_KIOSK_BIN, "--config", unpairedConfig(dir, server.url()).string(), "--headless", "--no-speech",
                        "--script", script.string(), "--screenshots", shots.string(), "--state-dir", state.string()},
                       dir.path(), {"SDL_VIDEODRIVER=offscreen", "SDL_AUDIODRIVER=dummy"});

    // 1. Unpaired: the pairing screen with a six-digit code, as large as a ticket number.
    REQUIRE_WITH_OUTPUT(kiosk, waitForFile(shots / "code-shown.mark", 30s));
    const Json pairing = Json::parse(readText(shots / "pairing.json"));
    CHECK(pairing["screen"].get<std::string>().rfind("pairing.code", 0) == 0);
    const std::string shown = pairing["pairing_code"];
    REQUIRE(shown.size() == 7); // "483 921"
    const std::string code = shown.substr(0, 3) + shown.substr(4);
    CHECK(code.find_first_not_of("0123456789") == std::string::npos);
    float codePx = 0, largestOther = 0;
    for (const auto& t : pairing["drawn_texts"]) {
        if (t["text"] == shown) codePx = t["px"].get<float>();
        else largestOther = std::max(largestOther, t["px"].get<float>());
    }
    CHECK(codePx > 2 * largestOther);
    const std::string texts = allDrawn(pairing);
    CHECK(texts.find("Apparaat koppelen") < texts.find("Pair this device")); // Dutch first
    CHECK(texts.find("Nieuwe kiosken en schermen") != std::string::npos);
    CHECK(pairing["targets"].empty()); // nothing for a visitor to touch
    CHECK_FALSE(fs::exists(state / "credential.json"));

    // 2. The hall manager sees the same code and approves it with a name.
    ApiClient admin(server, "demo-admin-token");
    auto pending = admin.get("/api/v1/devices/pairings");
    REQUIRE(pending.json.size() == 1);
    CHECK(pending.json[0]["pairing_code"] == code);
    CHECK(pending.json[0]["role"] == "kiosk");
    REQUIRE(admin.post("/api/v1/devices/pairings/" + code + "/approve", {{"name", "Kiosk bij de ingang"}}).status == 201);

    // 3. Without a restart the kiosk goes to work: a walk-in ticket with its own credential.
    REQUIRE_WITH_OUTPUT(kiosk, waitForFile(shots / "checked-in.mark", 30s));
    const Json ticket = Json::parse(readText(shots / "ticket.json"));
    CHECK(ticket["screen"] == "ticket");
    CHECK(ticket["device_id"] == "kiosk-bij-de-ingang");
    const fs::path credential = state / "credential.json";
    struct stat st {};
    REQUIRE(::stat(credential.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const Json stored = Json::parse(readText(credential));
    CHECK(stored["device_id"] == "kiosk-bij-de-ingang");
    const std::string token = stored["token"];
    CHECK(token.rfind("ldt_", 0) == 0);
    ApiClient own(server, token);
    CHECK(own.get("/api/v1/services").status == 200);
    bool heard = false; // its heartbeats arrive under its enrolled id
    for (const auto& d : admin.get("/api/v1/devices").json) heard = heard || d.dump().find("kiosk-bij-de-ingang") != std::string::npos;
    CHECK(heard);

    // 4. Revoked: its requests fail at once, and within 2 s it is back on the pairing screen
    //    with a new code waiting on the dashboard; the stored credential is gone.
    const auto revokedAt = std::chrono::steady_clock::now();
    REQUIRE(admin.post("/api/v1/devices/enrolled/kiosk-bij-de-ingang/revoke").status == 200);
    CHECK(own.get("/api/v1/services").status == 401);
    std::ofstream(shots / "revoked.mark") << "1\n";
    REQUIRE_WITH_OUTPUT(kiosk, waitForFile(shots / "pairing-again.mark", 5s));
    const auto cutMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - revokedAt).count();
    INFO("the kiosk left its visitor screens " << cutMs << " ms after the revocation");
    CHECK(cutMs < 2000);
    REQUIRE(kiosk.wait(30s) == 0);
    const Json again = Json::parse(readText(shots / "revoked.json"));
    CHECK(again["screen"].get<std::string>().find("revoked") != std::string::npos);
    CHECK(allDrawn(again).find("uit gebruik genomen") != std::string::npos);
    CHECK(again["pairing_code"] != shown);
    CHECK_FALSE(fs::exists(credential));
    pending = admin.get("/api/v1/devices/pairings");
    REQUIRE(pending.json.size() == 1);
    CHECK(pending.json[0]["pairing_code"] != code);
}
