// A configuration error names the file, the line and the field, and the server refuses to start.
#include "server_process.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace loket::test;

namespace {

CommandRun checkConfig(const std::filesystem::path& file) { return runServerCommand("--config " + file.string() + " --check-config"); }

std::string exampleWith(const std::string& from, const std::string& to) {
    std::ifstream in(ServerProcess::defaultConfig());
    std::stringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    auto pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    text.replace(pos, from.size(), to);
    return text;
}

int lineOf(const std::string& text, const std::string& needle) {
    auto pos = text.find(needle);
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

} // namespace

TEST_CASE("config: the example configurations are valid") {
    CHECK(checkConfig(ServerProcess::exampleConfig()).exitCode == 0);
    CHECK(checkConfig(std::filesystem::path(LOKET_SOURCE_DIR) / "firmware-config" / "hall.gemeente.example.toml").exitCode == 0);
}

TEST_CASE("config: an error names the file, the line and the field") {
    TempDir dir;
    auto file = dir.path() / "hall.toml";
    struct Case { std::string from, to, field; };
    std::vector<Case> cases = {
        {"norm_s = 300", "norm_s = \"five minutes\"", "hall.norm_s"},
        {"prefix = \"R\"", "prefix = \"rr\"", "service 'rijbewijs'.prefix"},
        {"expected_duration_s = 420", "expected_duraton_s = 420", "service 'rijbewijs'.expected_duraton_s"},
        {"services = [\"ophalen\", \"uittreksel\", \"overig\"]", "services = [\"ophalen\", \"zwemmen\"]", "counter 'b4'.services"},
        {"policy = \"norm\"", "policy = \"random\"", "hall.policy"},
        {"timezone = \"Europe/Amsterdam\"", "timezone = \"Mars/Olympus\"", "hall.timezone"},
    };
    for (const auto& c : cases) {
        const std::string text = exampleWith(c.from, c.to);
        std::ofstream(file) << text;
        auto run = checkConfig(file);
        INFO(run.output);
        CHECK(run.exitCode != 0);
        CHECK(run.output.find(file.string() + ":" + std::to_string(lineOf(text, c.to))) != std::string::npos);
        CHECK(run.output.find(c.field) != std::string::npos);
    }
    std::ofstream(file) << "[hall\nname = 1";
    auto syntax = checkConfig(file);
    CHECK(syntax.exitCode != 0);
    CHECK(syntax.output.find(file.string() + ":1") != std::string::npos);
}
