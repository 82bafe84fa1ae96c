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
