// The credential a kiosk or display received when a hall manager approved its pairing code,
// kept in one small JSON file in the device's state folder (shared/paths/state_path.hpp).
// The file holds a live bearer token: it is written with mode 0600 (created so, never widened),
// through a temporary file renamed over the old one, so a crash leaves the old or the new
// credential, never half of one. Times are the device's own clock (seconds since the epoch):
// the server says "renew in N s" and "valid for M s", and the device counts from when it heard it.
// Used by DeviceEnrolment; standard library and nlohmann-json only (in the .cpp).
#pragma once

#include "shared/core/result.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace loket::enrol {

struct DeviceCredential {
    std::string serverUrl; // the server that issued it; another server means pairing again
    std::string deviceId;  // "kiosk-bij-de-lift"
    std::string role;      // "kiosk" | "display"
    std::string token;     // the bearer token (only its hash is on the server)
    std::int64_t renewAt = 0;   // ask for the next token from here on
    std::int64_t expiresAt = 0; // the token stops working here
};

// The stored credential; nullopt when there is no file. A file that is not ours (bad JSON,
// missing fields) is an error naming it.
Result<std::optional<DeviceCredential>> loadCredential(const std::filesystem::path& file);
// Writes the credential (mode 0600, atomically); creates the folder (0700) when missing.
Status saveCredential(const std::filesystem::path& file, const DeviceCredential& credential);
// Forgets the credential (a revoked device); no file is fine.
Status removeCredential(const std::filesystem::path& file);

} // namespace loket::enrol
