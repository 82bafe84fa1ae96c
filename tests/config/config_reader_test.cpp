#include "shared/config/config_reader.hpp"

#include <catch2/catch.hpp>

using namespace loket;
using config::Section;

namespace {

config::Document parse(const char* text) {
    auto doc = config::parseToml(text, "hall.toml");
    REQUIRE(doc);
    return std::move(*doc);
}

} // namespace

TEST_CASE("config: values are read typed, in range, and absent keys keep their defaults") {
    const auto doc = parse("name = \"Katwijk\"\n[screen]\ndpi = 96.5\nwidth = 1080\nfull = true\n"
                           "langs = [\"nl\", \"en\"]\nvoices = { nl = \"nl\", en = \"en-gb\" }\n");
    const Section root = Section::root(doc);
    std::string name;
    REQUIRE(root.text("name", name));
    CHECK(name == "Katwijk");
    auto screen = root.section("screen");
    REQUIRE(screen);
    double dpi = 0;
    int width = 0, height = 720;
    bool full = false;
    std::vector<std::string> langs;
    std::map<std::string, std::string> voices;
    CHECK(screen->number("dpi", 40, 600, dpi));
    CHECK(screen->integer("width", 320, 8192, width));
    CHECK(screen->integer("height", 320, 8192, height));
    CHECK(screen->boolean("full", full));
    CHECK(screen->texts("langs", langs));
    CHECK(screen->textMap("voices", voices));
    CHECK(dpi == 96.5);
    CHECK(width == 1080);
    CHECK(height == 720);
    CHECK(full);
    CHECK(langs == std::vector<std::string>{"nl", "en"});
    CHECK(voices.at("en") == "en-gb");
    auto missing = root.section("sound");
    REQUIRE(missing);
    CHECK_FALSE(missing->has("volume"));
}

TEST_CASE("config: every problem names the file, the line, the field and what is wrong") {
    const auto doc = parse("[screen]\nwidth = 99999\ncolour = \"red\"\n\n[[pattern]]\ngroup = \"one\"\n");
    const Section root = Section::root(doc);
    auto screen = root.section("screen");
    REQUIRE(screen);
    int width = 0;
    auto range = screen->integer("width", 320, 8192, width);
    REQUIRE_FALSE(range);
    CHECK(range.error().code == ErrorCode::ConfigError);
    CHECK(range.error().message == "hall.toml:2: screen.width: must be a whole number from 320 to 8192");
    auto unknown = screen->only({"width"});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message == "hall.toml:3: screen.colour: unknown setting");
    auto patterns = root.tables("pattern");
    REQUIRE(patterns);
    REQUIRE(patterns->size() == 1);
    int group = 1;
    auto wrongType = patterns->at(0).integer("group", 0, 9, group);
    REQUIRE_FALSE(wrongType);
    CHECK(wrongType.error().message == "hall.toml:6: pattern[0].group: must be a whole number from 0 to 9");
    CHECK_FALSE(root.section("pattern")); // an array of tables is not a [table]
    CHECK_FALSE(screen->tables("width"));

    auto syntax = config::parseToml("[screen\nwidth = 1\n", "hall.toml");
    REQUIRE_FALSE(syntax);
    CHECK(syntax.error().message.rfind("hall.toml:1: ", 0) == 0);
    auto absent = config::loadToml("/nonexistent/hall.toml");
    REQUIRE_FALSE(absent);
    CHECK(absent.error().message.find("/nonexistent/hall.toml") != std::string::npos);
}
