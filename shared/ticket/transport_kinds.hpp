// The three transport implementations behind openTransport (internal to loket::ticket).
#pragma once

#include "transport.hpp"

namespace loket::ticket::detail {

Result<std::unique_ptr<Transport>> openFileTransport(const std::filesystem::path& path, std::string spec);
Result<std::unique_ptr<Transport>> openTcpTransport(const std::string& host, int port, std::string spec,
                                                    std::chrono::milliseconds connectTimeout);
Result<std::unique_ptr<Transport>> openDeviceTransport(const std::filesystem::path& path, std::string spec);

} // namespace loket::ticket::detail
