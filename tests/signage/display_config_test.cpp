#include "shared/signage/display_config.hpp"

#include <catch2/catch.hpp>

using loket::ErrorCode;
using namespace loket::signage;

TEST_CASE("display config: the example config file loads") {
    auto cfg = loadDisplayConfig(std::string(LOKET_SOURCE_DIR) + "/firmware-config/display.example.toml");
    REQUIRE(cfg);
    CHECK(cfg->token == "demo-display-token");
    CHECK(cfg->signage.profile == Profile::Hall);
    CHECK(cfg->screen.width == 1920);
    CHECK(cfg->sound.languages.front() == "nl");
}

TEST_CASE("display config: profiles, directions and screens are read") {
    auto cfg = parseDisplayConfig(R"(
[server]
url = "http://hall.local:8080"
token = "t"
[display]
profile = "zone"
zone_counters = ["b1", "b2"]
directions = { b1 = "left", b2 = "up-right" }
[screen]
width = 1080
height = 1920
diagonal_in = 43
viewing_distance_m = 6
)", "test.toml");
    REQUIRE(cfg);
    CHECK(cfg->signage.profile == Profile::Zone);
    CHECK(cfg->signage.zoneCounters.size() == 2);
    CHECK(cfg->signage.arrows.at("b1") == "\u2190");
    CHECK(cfg->signage.arrows.at("b2") == "\u2197");
    CHECK(cfg->screen.height == 1920);
}

TEST_CASE("display config: mistakes are clear errors naming the setting") {
    auto check = [](const char* text, const char* mentions) {
        auto cfg = parseDisplayConfig(text, "bad.toml");
        REQUIRE_FALSE(cfg);
        CHECK(cfg.error().code == ErrorCode::ConfigError);
        INFO(cfg.error().message);
        CHECK(cfg.error().message.find(mentions) != std::string::npos);
    };
    check("[display]\nprofile = \"lobby\"\n", "display.profile");
    check("[display]\nprofile = \"zone\"\n", "display.zone_counters");
    check("[display]\nprofile = \"counter\"\n", "display.counter");
    check("[display]\ndirections = { b1 = \"sideways\" }\n", "display.directions.b1");
    check("[display]\nhighlight_s = 5\n", "display.highlight_s");
    check("[screen]\nwidth = \"big\"\n", "screen.width");
    check("[screen]\ncolour = 1\n", "screen.colour: unknown setting");
    check("[sound]\nvolume = 3.0\n", "sound.volume");
    check("[sound]\nlanguages = [\"en\", \"nl\"]\n", "sound.languages");
    check("[server\nurl=", "bad.toml:1");
}

TEST_CASE("display config: further server instances are read from [[server.also]]") {
    auto cfg = parseDisplayConfig(R"(
[server]
url = "https://10.20.0.11:8443"
pinned_public_key = "sha256//AAAA"
token = "t"
[[server.also]]
url = "https://10.20.0.12:8443"
pinned_public_key = "sha256//BBBB"
)", "display.toml");
    REQUIRE(cfg);
    REQUIRE(cfg->moreServers.size() == 1);
    CHECK(cfg->moreServers[0].url == "https://10.20.0.12:8443");
    CHECK(cfg->moreServers[0].pinnedPublicKey == "sha256//BBBB");
    auto bad = parseDisplayConfig("[server]\ntoken = \"t\"\n[[server.also]]\nurl = \"\"\n", "display.toml");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("server.also[0].url") != std::string::npos);
}
