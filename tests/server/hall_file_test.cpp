// The hall file's counter field `sitting_desk` (issue 16): read with default false, refused when
// it is not true or false, and written back by the admin page's export.
#include "server/configuration_file.hpp"
#include "server/server_config.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace loket::server;

namespace {

std::string exampleHall() {
    std::ifstream in(std::string(LOKET_SOURCE_DIR) + "/firmware-config/hall.example.toml");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string withCounterLine(std::string text, const std::string& line) {
    const std::string anchor = "id = \"b4\"\nname = \"4\"\n";
    const auto at = text.find(anchor);
    REQUIRE(at != std::string::npos);
    return text.insert(at + anchor.size(), line + "\n");
}

} // namespace

TEST_CASE("configuration: the hall file's sitting_desk is read per counter, false when left out, and exported") {
    auto config = parseServerConfig(withCounterLine(exampleHall(), "sitting_desk = true"), "hall.toml");
    REQUIRE(config);
    const auto& counters = config->hall.counters;
    REQUIRE(counters.size() >= 4);
    CHECK(counters[*config->hall.counterIndex("b4")].sittingDesk);
    CHECK_FALSE(counters[*config->hall.counterIndex("b1")].sittingDesk);
    const std::string exported = exportConfigurationToml(*config, config->hall);
    CHECK(exported.find("sitting_desk = true") != std::string::npos);

    auto bad = parseServerConfig(withCounterLine(exampleHall(), "sitting_desk = \"ja\""), "hall.toml");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("sitting_desk") != std::string::npos);
}
