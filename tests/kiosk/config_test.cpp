#include "kiosk_test_support.hpp"

#include "shared/kiosk/kiosk_config.hpp"

using namespace loket::kiosk;

TEST_CASE("config: the example file in firmware-config parses") {
    auto config = loadKioskConfig(loket::kiosk::testing::sourceDir() / "firmware-config" / "kiosk.example.toml");
    REQUIRE(config);
    CHECK(config->deviceToken == "demo-kiosk-token");
    CHECK(config->languages.front() == "nl");
    CHECK(config->timing.idleTimeoutS == 60);
    CHECK(config->timing.idleWarningS == 20);
    CHECK(config->screen.dpi > 90);
    CHECK(config->screen.dpi < 110);
    CHECK_FALSE(config->bookingCodes.empty());
}

TEST_CASE("config: the screen DPI follows from the diagonal") {
    auto config = parseKioskConfig(R"(
[server]
device_token = "t"
[screen]
width_px = 1080
height_px = 1920
diagonal_inch = 21.5
)", "test.toml");
    REQUIRE(config);
    CHECK(config->screen.dpi == Approx(102.46).epsilon(0.001));
}

TEST_CASE("config: mistakes are errors that say what is wrong") {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"[server]\ndevice_token = \"t\"\nurll = \"x\"", "test.toml:3: server.urll: unknown setting"},
        {"[server]\nurl = \"ftp://x\"\ndevice_token = \"t\"", "test.toml:2: server.url: must start with http"},
        {"[server]\ndevice_token = \"t\"\n[timing]\nidle_timeout_s = 20\nidle_warning_s = 20", "test.toml:5: timing.idle_warning_s: must be shorter"},
        {"[server]\ndevice_token = \"t\"\n[languages]\navailable = [\"nl\", \"en\"]\ndefault = \"tr\"", "languages.default"},
        {"[server]\ndevice_token = \"t\"\n[printer]\ntransport = \"usb:1\"", "printer.transport: must start with"},
        {"[server]\ndevice_token = \"t\"\n[[booking_code]]\nname = \"x\"\nregex = \"([A-Z\"", "not a valid regular expression"},
        {"[server]\ndevice_token = \"t\"\n[screen]\ndpi = 100\ndiagonal_inch = 21.5", "not both"},
        {"[server\n", "test.toml:1: "},
    };
    for (const auto& [text, expected] : cases) {
        CAPTURE(text);
        auto config = parseKioskConfig(text, "test.toml");
        REQUIRE_FALSE(config);
        CHECK(config.error().code == loket::ErrorCode::ConfigError);
        CHECK(config.error().message.find(expected) != std::string::npos);
    }
}

TEST_CASE("enrol: a kiosk config without a device token is valid: the kiosk pairs with the server") {
    for (const char* text : {"[server]\nurl = \"http://x\"\n", "[server]\nurl = \"http://x\"\ndevice_token = \"\"\n"}) {
        auto config = parseKioskConfig(text, "test.toml");
        REQUIRE(config);
        CHECK(config->deviceToken.empty());
    }
}

TEST_CASE("failover: further server instances are listed as [[server.also]], each trusted like the first or by its own pin") {
    auto config = parseKioskConfig(R"(
[server]
url = "https://10.20.0.11:8443"
ca_file = "/etc/loket/hall-ca.pem"
device_token = "t"
[[server.also]]
url = "https://10.20.0.12:8443"
[[server.also]]
url = "https://10.20.0.13:8443"
pinned_public_key = "sha256//AAAA"
)", "test.toml");
    REQUIRE(config);
    REQUIRE(config->moreServers.size() == 2);
    CHECK(config->moreServers[0] == loket::config::ServerAddress{"https://10.20.0.12:8443", "/etc/loket/hall-ca.pem", ""});
    CHECK(config->moreServers[1] == loket::config::ServerAddress{"https://10.20.0.13:8443", "", "sha256//AAAA"});
    // The single address stays valid, with no further ones.
    auto single = parseKioskConfig("[server]\nurl = \"http://127.0.0.1:8080\"\ndevice_token = \"t\"\n", "test.toml");
    REQUIRE(single);
    CHECK(single->moreServers.empty());

    const std::vector<std::pair<std::string, std::string>> mistakes{
        {"[server]\ndevice_token = \"t\"\n[[server.also]]\nurl = \"ftp://x\"", "test.toml:4: server.also[0].url: must start with http"},
        {"[server]\ndevice_token = \"t\"\n[[server.also]]\nport = 8080", "server.also[0].port: unknown setting"},
        {"[server]\nurl = \"https://a\"\nca_file = \"ca.pem\"\ndevice_token = \"t\"\n[[server.also]]\nurl = \"http://b\"",
         "server.also[0].url: a CA file or pinned key (its own or the first server's) needs an https:// url"},
        {"[server]\nurl = \"http://a\"\ndevice_token = \"t\"\n[[server.also]]\nurl = \"http://a\"", "is listed twice"},
        {"[server]\ndevice_token = \"t\"\nalso = \"http://b\"", "must be written as [[server.also]] tables"},
    };
    for (const auto& [text, expected] : mistakes) {
        CAPTURE(text);
        auto bad = parseKioskConfig(text, "test.toml");
        REQUIRE_FALSE(bad);
        CHECK(bad.error().message.find(expected) != std::string::npos);
    }
}

TEST_CASE("failover: --server takes one address or several separated by commas, the further ones trusted like the first") {
    loket::config::ServerAddress first{"https://old", "ca.pem", ""};
    std::vector<loket::config::ServerAddress> more{{"https://older", "", ""}};
    REQUIRE(loket::config::overrideServers("https://a:8443,https://b:8443", first, more));
    CHECK(first == loket::config::ServerAddress{"https://a:8443", "ca.pem", ""});
    REQUIRE(more.size() == 1);
    CHECK(more[0] == loket::config::ServerAddress{"https://b:8443", "ca.pem", ""});
    REQUIRE(loket::config::overrideServers("https://c", first, more));
    CHECK(more.empty());
    auto plain = loket::config::overrideServers("https://a,http://b", first, more);
    REQUIRE_FALSE(plain);
    CHECK(plain.error().message.find("needs https://") != std::string::npos);
    CHECK_FALSE(loket::config::overrideServers("https://a,", first, more));
}
