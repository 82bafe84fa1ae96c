#include "data_path.hpp"

#include <system_error>

namespace loket::paths {

std::filesystem::path dataPathFor(const std::filesystem::path& executable, const std::filesystem::path& installed,
                                  const std::filesystem::path& inTree) {
    if (executable.empty()) return inTree;
    const auto candidate = (executable.parent_path() / ".." / "share" / "loket" / installed).lexically_normal();
    std::error_code ec;
    return std::filesystem::exists(candidate, ec) ? candidate : inTree;
}

std::filesystem::path dataPath(const std::filesystem::path& installed, const std::filesystem::path& inTree) {
    // The real binary, not a symlink to it: /proc/self/exe is resolved by the kernel.
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return dataPathFor(ec ? std::filesystem::path{} : self, installed, inTree);
}

} // namespace loket::paths
