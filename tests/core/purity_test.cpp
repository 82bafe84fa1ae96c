// The core is pure: the standard library only. No SDL, ImGui, SQLite, HTTP, curl, threads,
// files or clocks may enter shared/core, so the simulator runs exactly what the server runs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

TEST_CASE("core: includes nothing but the standard library and itself") {
    const std::regex include(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
    const std::vector<std::string> forbidden = {"SDL", "imgui", "sqlite", "httplib", "curl", "thread", "mutex", "fstream",
                                                "filesystem", "chrono", "random", "ctime", "iostream", "nlohmann", "atomic"};
    int files = 0;
    for (auto& entry : std::filesystem::directory_iterator(std::filesystem::path(LOKET_SOURCE_DIR) / "shared" / "core")) {
        if (entry.path().extension() != ".hpp" && entry.path().extension() != ".cpp") continue;
        ++files;
        std::ifstream in(entry.path());
        std::string line;
        while (std::getline(in, line)) {
            std::smatch m;
            if (!std::regex_search(line, m, include)) continue;
            const std::string header = m[1];
            for (const auto& bad : forbidden) {
                INFO(entry.path().filename().string() << " includes " << header);
                CHECK(header.find(bad) == std::string::npos);
            }
            if (line.find('"') != std::string::npos) {
                INFO(entry.path().filename().string() << " includes " << header);
                CHECK((header.rfind("shared/core/", 0) == 0 || header.find('/') == std::string::npos));
            }
        }
    }
    CHECK(files > 10);
}
