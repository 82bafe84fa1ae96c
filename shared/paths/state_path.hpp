// Where a Loket device program keeps what it must remember across restarts (today: the
// credential it received when it was paired with the hall server). One rule for the kiosk and
// the display, called from their main():
//   1. `$STATE_DIRECTORY` when systemd set it (a unit with StateDirectory=; the first entry);
//   2. installed (the program runs from <prefix>/bin with <prefix>/share/loket beside it):
//      `$XDG_STATE_HOME/<program>`, else `$HOME/.local/state/<program>`;
//   3. otherwise (a build tree, ./run.sh, tests) the in-tree default, e.g. var/state/loket-kiosk.
// A --state-dir option given on the command line wins over all of these. Standard library only.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace loket::paths {

// The rule above for `program` ("loket-kiosk"); `inTree` is the build-tree default.
std::filesystem::path statePath(const std::string& program, const std::filesystem::path& inTree);

// The same rule with the environment and the installed check given (tests).
std::filesystem::path statePathFor(const std::string& program, const std::filesystem::path& inTree, bool installed,
                                   const std::function<std::optional<std::string>(const char*)>& env);

} // namespace loket::paths
