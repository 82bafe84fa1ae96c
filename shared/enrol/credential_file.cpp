#include "credential_file.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace loket::enrol {

namespace {

Error ioError(const std::string& what, const std::filesystem::path& file) {
    return makeError(ErrorCode::Io, what + " " + file.string() + ": " + std::strerror(errno));
}

} // namespace

Result<std::optional<DeviceCredential>> loadCredential(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        if (errno == ENOENT) return std::optional<DeviceCredential>{};
        return ioError("cannot read the device credential", file);
    }
    std::stringstream text;
    text << in.rdbuf();
    try {
        const auto j = nlohmann::json::parse(text.str());
        DeviceCredential c;
        c.serverUrl = j.at("server").get<std::string>();
        c.deviceId = j.at("device_id").get<std::string>();
        c.role = j.at("role").get<std::string>();
        c.token = j.at("token").get<std::string>();
        c.renewAt = j.at("renew_at").get<std::int64_t>();
        c.expiresAt = j.at("expires_at").get<std::int64_t>();
        if (c.token.empty() || c.deviceId.empty()) throw std::runtime_error("empty token or device id");
        return std::optional<DeviceCredential>{std::move(c)};
    } catch (const std::exception& e) {
        return makeError(ErrorCode::ConfigError, file.string() + " is not a Loket device credential (" + e.what() +
                                                     "); remove it to pair the device again");
    }
}

Status saveCredential(const std::filesystem::path& file, const DeviceCredential& c) {
    const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return makeError(ErrorCode::Io, "cannot create the state folder " + dir.string() + ": " + ec.message());
    if (!file.parent_path().empty()) ::chmod(dir.c_str(), 0700); // best effort: a shared folder stays as it is
    const std::string text = nlohmann::json{{"server", c.serverUrl}, {"device_id", c.deviceId}, {"role", c.role},
                                            {"token", c.token}, {"renew_at", c.renewAt}, {"expires_at", c.expiresAt}}
                                 .dump(2) + "\n";
    const std::filesystem::path tmp = file.string() + ".tmp";
    ::unlink(tmp.c_str());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return ioError("cannot write the device credential", tmp);
    bool ok = ::fchmod(fd, 0600) == 0; // whatever the umask
    for (std::size_t done = 0; ok && done < text.size();) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    if (::close(fd) != 0) ok = false;
    if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
        auto err = ioError("cannot write the device credential", file);
        ::unlink(tmp.c_str());
        return err;
    }
    return Ok{};
}

Status removeCredential(const std::filesystem::path& file) {
    if (::unlink(file.c_str()) != 0 && errno != ENOENT) return ioError("cannot remove the device credential", file);
    return Ok{};
}

} // namespace loket::enrol
