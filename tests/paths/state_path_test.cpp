// Where a device keeps its credential (shared/paths/state_path.hpp): systemd's StateDirectory
// first, then the XDG state folder of an installed program, else the build tree's default.
#include "shared/paths/state_path.hpp"

#include <catch2/catch.hpp>

#include <map>

using loket::paths::statePathFor;

namespace {

auto envOf(std::map<std::string, std::string> vars) {
    return [vars](const char* name) -> std::optional<std::string> {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

} // namespace

TEST_CASE("enrol: a device's state folder is systemd's StateDirectory, else XDG's, else the tree's") {
    const std::filesystem::path tree = "var/state/loket-kiosk";
    // systemd sets STATE_DIRECTORY (several folders are joined with ':'; the first is ours).
    CHECK(statePathFor("loket-kiosk", tree, true, envOf({{"STATE_DIRECTORY", "/var/lib/kiosk:/var/lib/other"}, {"HOME", "/home/k"}})) ==
          "/var/lib/kiosk");
    CHECK(statePathFor("loket-kiosk", tree, false, envOf({{"STATE_DIRECTORY", "/run/s"}})) == "/run/s");
    // Installed without systemd's folder: the account's XDG state folder.
    CHECK(statePathFor("loket-kiosk", tree, true, envOf({{"XDG_STATE_HOME", "/home/k/st"}, {"HOME", "/home/k"}})) ==
          "/home/k/st/loket-kiosk");
    CHECK(statePathFor("loket-kiosk", tree, true, envOf({{"XDG_STATE_HOME", "relative"}, {"HOME", "/home/k"}})) ==
          "/home/k/.local/state/loket-kiosk");
    CHECK(statePathFor("loket-display", tree, true, envOf({{"HOME", "/home/d"}})) == "/home/d/.local/state/loket-display");
    // A build tree (./run.sh, tests): the in-tree default.
    CHECK(statePathFor("loket-kiosk", tree, false, envOf({{"HOME", "/home/k"}})) == tree);
    CHECK(statePathFor("loket-kiosk", tree, true, envOf({})) == tree);
}
