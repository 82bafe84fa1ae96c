#include "state_path.hpp"

#include "data_path.hpp"

#include <cstdlib>

namespace loket::paths {

std::filesystem::path statePathFor(const std::string& program, const std::filesystem::path& inTree, bool installed,
                                   const std::function<std::optional<std::string>(const char*)>& env) {
    if (auto dir = env("STATE_DIRECTORY"); dir && !dir->empty()) return dir->substr(0, dir->find(':'));
    if (!installed) return inTree;
    if (auto xdg = env("XDG_STATE_HOME"); xdg && !xdg->empty() && xdg->front() == '/') return std::filesystem::path(*xdg) / program;
    if (auto home = env("HOME"); home && !home->empty()) return std::filesystem::path(*home) / ".local" / "state" / program;
    return inTree;
}

std::filesystem::path statePath(const std::string& program, const std::filesystem::path& inTree) {
    // Installed exactly when the read-only data is found beside the binary (data_path.hpp).
    const bool installed = dataPath(".", "") != std::filesystem::path{};
    return statePathFor(program, inTree, installed, [](const char* name) -> std::optional<std::string> {
        const char* value = std::getenv(name);
        return value ? std::optional<std::string>(value) : std::nullopt;
    });
}

} // namespace loket::paths
