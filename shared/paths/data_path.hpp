// Where a Loket program finds its read-only data: web pages, translations, sounds, printer
// profiles, simulator scenarios. Installed from the Debian packages, the data lives in
// <prefix>/share/loket beside <prefix>/bin (so /usr/share/loket for /usr/bin/loket-server, and the
// same relative layout in a scratch root the package test installs into); in a build tree there
// is no such folder and the program keeps its in-tree default (./assets, server/web, …), which is
// what ./run.sh and the tests use. Used by the programs' main(); the pure libraries (shared/kiosk,
// shared/signage, …) never call it — they take the folders they are given.
#pragma once

#include <filesystem>

namespace loket::paths {

// `<exe's folder>/../share/loket/<installed>` when the running program is installed (that path
// exists), otherwise `inTree` unchanged.
std::filesystem::path dataPath(const std::filesystem::path& installed, const std::filesystem::path& inTree);

// The same rule for a given executable path (tests).
std::filesystem::path dataPathFor(const std::filesystem::path& executable, const std::filesystem::path& installed,
                                  const std::filesystem::path& inTree);

} // namespace loket::paths
