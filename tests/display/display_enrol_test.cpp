// Enrolment of a hall display, and the renewal of a device's credential, against the real
// loket-server: the loket-display program started without a token shows a pairing code, goes
// to work once approved, and when revoked loses its event stream within 2 s and shows a new
// code. The renewal runs on a test clock (13 hours later, without waiting): the token changes
// while the event stream stays open and keeps delivering, and the old token still works.
#include "hall_server.hpp"

#include "../kiosk/child_process.hpp"
#include "shared/enrol/credential_file.hpp"
#include "shared/enrol/device_enrolment.hpp"
#include "shared/enrol/pairing_view.hpp"
#include "shared/net/event_stream_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using loket::kiosk::testing::ChildProcess;
using loket::test::HallServer;
using namespace loket;
using namespace std::chrono_literals;

namespace {

template <typename Fn>
bool waitUntil(Fn&& condition, std::chrono::milliseconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return condition();
}

struct ScratchDir {
    fs::path path;
    ScratchDir() {
        std::string pattern = (fs::temp_directory_path() / "loket-enrol-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Open event streams on the server (its /metrics).
int streamsOpen(const HallServer& server) {
    net::HttpClient metrics(net::HttpOptions{server.url(), ""});
    auto reply = metrics.get("/metrics", net::RequestOptions{{}, "application/json", "text/plain"});
    if (!reply) return -1;
    std::smatch m;
    static const std::regex line("loket_sse_clients (\\d+)");
    return std::regex_search(reply->body, m, line) ? std::stoi(m[1]) : -1;
}

std::vector<std::string> codesIn(const std::string& output) {
    static const std::regex line("pairing code (\\d{3}) (\\d{3})");
    std::vector<std::string> out;
    for (std::sregex_iterator it(output.begin(), output.end(), line), end; it != end; ++it) out.push_back((*it)[1].str() + (*it)[2].str());
    return out;
}

nlohmann::json approve(HallServer& server, const std::string& code, const std::string& name) {
    auto reply = server.admin().post("/api/v1/devices/pairings/" + code + "/approve", nlohmann::json{{"name", name}}.dump());
    REQUIRE(reply);
    return nlohmann::json::parse(reply->body)["device"];
}

} // namespace

TEST_CASE("enrol: the pairing screen's texts exist in Dutch and English") {
    for (const char* language : {"nl", "en"}) {
        auto catalog = i18n::loadCatalog(std::string(LOKET_SOURCE_DIR) + "/assets", language);
        REQUIRE(catalog);
        for (const auto& key : enrol::pairingTextKeys()) {
            INFO(language << ": " << key);
            CHECK(catalog->has(key));
        }
    }
    auto nl = i18n::loadCatalog(std::string(LOKET_SOURCE_DIR) + "/assets", "nl");
    enrol::PairingStatus status;
    status.phase = enrol::PairingPhase::ShowingCode;
    status.code = "483921";
    status.notice = enrol::PairingNotice::CodeExpired;
    const auto vm = enrol::pairingView(status, *nl, nullptr);
    CHECK(vm.code == "483 921");
    CHECK(vm.screenId == "pairing.code.code_expired");
    CHECK(vm.notice.first.find("verlopen") != std::string::npos);
}

TEST_CASE("enrol: the credential file is private (0600), replaced whole, and a foreign file is a clear error") {
    ScratchDir dir;
    const fs::path file = dir.path / "state" / "credential.json";
    CHECK_FALSE(*enrol::loadCredential(file)); // none yet
    const ::mode_t old = ::umask(0); // even with a careless umask
    REQUIRE(enrol::saveCredential(file, {"http://h", "kiosk-1", "kiosk", "ldt_a", 100, 200}));
    ::umask(old);
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(enrol::saveCredential(file, {"http://h", "kiosk-1", "kiosk", "ldt_b", 300, 400}));
    auto back = enrol::loadCredential(file);
    REQUIRE(back);
    REQUIRE(*back);
    CHECK((*back)->token == "ldt_b");
    CHECK((*back)->renewAt == 300);
    CHECK_FALSE(fs::exists(file.string() + ".tmp"));
    std::ofstream(file) << "{\"token\": 1}";
    auto bad = enrol::loadCredential(file);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find(file.string()) != std::string::npos);
    REQUIRE(enrol::removeCredential(file));
    CHECK(enrol::removeCredential(file)); // already gone is fine
}

TEST_CASE("enrol: a headless display pairs, follows the hall, and its event stream ends within 2 s of a revocation") {
    HallServer server;
    ScratchDir dir;
    // The example config without its token: the display pairs.
    std::ifstream example(std::string(LOKET_SOURCE_DIR) + "/firmware-config/display.example.toml");
    std::stringstream text;
    text << example.rdbuf();
    const std::string config = std::regex_replace(text.str(), std::regex("\ntoken = \"[^\"]*\""), "\ntoken = \"\"");
    REQUIRE(config != text.str());
    std::ofstream(dir.path / "display.toml") << config;
    ChildProcess display({LOKET_DISPLAY_BIN, "--config", (dir.path / "display.toml").string(), "--assets",
                          std::string(LOKET_SOURCE_DIR) + "/assets", "--server", server.url(), "--headless", "--screenshots",
                          dir.path.string(), "--screenshot-every", "0.2", "--no-sound", "--state-dir", (dir.path / "state").string()},
                         dir.path, {"SDL_VIDEODRIVER=offscreen", "SDL_AUDIODRIVER=dummy"});
    REQUIRE(waitUntil([&] { return !codesIn(display.output()).empty(); }));
    const std::string code = codesIn(display.output()).front();
    REQUIRE(waitUntil([&] { return fs::exists(dir.path / "current.png"); })); // the pairing screen is drawn
    CHECK(streamsOpen(server) == 0);
    const auto device = approve(server, code, "Scherm wachtruimte");
    CHECK(device["role"] == "display");
    INFO(display.output());
    REQUIRE(waitUntil([&] { return display.output().find("hall loaded") != std::string::npos; }));
    REQUIRE(waitUntil([&] { return streamsOpen(server) == 1; }));

    const auto revokedAt = std::chrono::steady_clock::now();
    REQUIRE(server.admin().post("/api/v1/devices/enrolled/" + device["id"].get<std::string>() + "/revoke", "{}"));
    REQUIRE(waitUntil([&] { return streamsOpen(server) == 0; }, 5s));
    const auto cutMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - revokedAt).count();
    INFO("the display's stream ended " << cutMs << " ms after the revocation");
    CHECK(cutMs < 2000);
    // It notices, forgets its credential and shows a new code (and does not reconnect).
    REQUIRE(waitUntil([&] {
        const std::string out = display.output();
        return codesIn(out).size() == 2 && out.find("not paired any more") != std::string::npos;
    }, 10s));
    CHECK(codesIn(display.output())[1] != code);
    CHECK_FALSE(fs::exists(dir.path / "state" / "credential.json"));
    CHECK(streamsOpen(server) == 0);
    display.terminate();
}

TEST_CASE("enrol: a device renews its token on the test clock while its event stream stays open") {
    HallServer server;
    ScratchDir dir;
    std::atomic<std::int64_t> offsetS{0};
    auto settings = [&] {
        enrol::EnrolmentSettings s;
        s.serverUrl = server.url();
        s.role = "display";
        s.credentialFile = dir.path / "credential.json";
        s.clock = [&offsetS] { return static_cast<std::int64_t>(std::time(nullptr)) + offsetS.load(); };
        return s;
    };
    auto enrolment = std::make_unique<enrol::DeviceEnrolment>(settings(), nullptr);
    enrolment->start();
    REQUIRE(waitUntil([&] { return enrolment->status().phase == enrol::PairingPhase::ShowingCode; }));
    approve(server, enrolment->status().code, "Scherm 2");
    REQUIRE(waitUntil([&] { return enrolment->paired(); }));
    const std::string first = enrolment->token();

    // A stream that asks the enrolment for its token, as the display's hall link does.
    std::mutex mutex;
    std::vector<std::string> types;
    net::EventStreamOptions options;
    options.baseUrl = server.url();
    options.tokenSource = [&] { return enrolment->token(); };
    net::EventStreamCallbacks callbacks;
    callbacks.onEvent = [&](const net::SseEvent& ev) {
        std::lock_guard lock(mutex);
        types.push_back(ev.type);
    };
    net::EventStreamClient stream(options, callbacks);
    stream.start();
    REQUIRE(waitUntil([&] { return stream.state() == net::StreamState::Connected; }));

    // Twelve hours on nothing happens yet; thirteen hours on the device renews.
    offsetS = 11 * 3600;
    enrolment->poke();
    server.issue("paspoort"); // a round trip through the server: time for the enrolment to act if it would
    CHECK(enrolment->renewals() == 0);
    offsetS = 13 * 3600;
    enrolment->poke();
    REQUIRE(waitUntil([&] { return enrolment->renewals() == 1; }));
    const std::string second = enrolment->token();
    CHECK(second != first);
    CHECK(second.rfind("ldt_", 0) == 0);
    auto stored = enrol::loadCredential(dir.path / "credential.json");
    REQUIRE(stored);
    REQUIRE(*stored);
    CHECK((*stored)->token == second);

    // No visible interruption: the same connection delivers the next event; both tokens work.
    server.issue("paspoort");
    REQUIRE(waitUntil([&] {
        std::lock_guard lock(mutex);
        return !types.empty();
    }));
    CHECK(stream.connectCount() == 1);
    CHECK(stream.state() == net::StreamState::Connected);
    for (const std::string& token : {first, second}) {
        net::HttpClient device(net::HttpOptions{server.url(), token});
        CHECK(device.get("/api/v1/hall"));
    }
    stream.stop();

    // A restarted device goes straight back to work with its stored credential.
    enrolment.reset();
    enrolment = std::make_unique<enrol::DeviceEnrolment>(settings(), nullptr);
    enrolment->start();
    REQUIRE(waitUntil([&] { return enrolment->paired(); }));
    CHECK(enrolment->token() == second);
    // A device that was off longer than its token lives pairs again, and says why.
    offsetS = 13 * 3600 + 25 * 3600;
    enrolment->poke();
    REQUIRE(waitUntil([&] { return enrolment->status().phase == enrol::PairingPhase::ShowingCode; }));
    CHECK(enrolment->status().notice == enrol::PairingNotice::CredentialExpired);
    CHECK_FALSE(fs::exists(dir.path / "credential.json"));
}
