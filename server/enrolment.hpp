// Enrolment: kiosks and displays that pair with the hall instead of sharing a token from the
// configuration. A device without a credential asks for a pairing (a six-digit code it shows on
// screen, and a secret only it knows); a hall manager approves the code on the dashboard and
// names the device; the device then collects its own token with the secret. Tokens live
// kTokenS (a day) and are stored as SHA-256 only; a device fetches the next one after
// kRotateAfterS, while the old one stays valid until it expires (the overlap), so rotation never
// interrupts it. Revoking a device deletes its tokens at once: its requests fail from then on and
// its event stream closes within a second (the StreamHub asks isActive()).
// Pairings (code, secret hash, expiry), devices and token hashes live in the EventStore's shared
// part, so with several instances on one PostgreSQL a device pairs, is approved, collects its
// token and is renamed or revoked through any of them: each change is announced ("devices",
// EventStore::watchSharedChanges) and the others re-read the devices (load).
// Used by Auth (token check) and the device routes (api_devices.cpp). No HTTP here.
#pragma once

#include "event_store.hpp"
#include "server_config.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace loket::server {

class Enrolment {
public:
    static constexpr std::int64_t kPairingS = 600;         // a code is valid for ten minutes
    static constexpr std::int64_t kTokenS = 24 * 3600;     // a device token lives a day
    static constexpr std::int64_t kRotateAfterS = 12 * 3600; // and is replaced after half of that
    static constexpr std::size_t kMaxPending = 20;         // open pairings at one time

    explicit Enrolment(EventStore& store) : m_store(store) {}
    // Reads the enrolled devices: at start-up, before a change, when another instance announces one, and
    // when a token is unknown here (a few times a second at most). A device whose name, role or location
    // changed gets a new DeviceConfig; the old one stays alive for requests that hold it.
    Status load();

    struct PairingStarted { std::string code, secret; std::int64_t expiresAt; };
    Result<PairingStarted> startPairing(Role role, const std::string& address, std::int64_t now);

    struct PendingPairing { std::string code; Role role; std::string address; std::int64_t createdAt, expiresAt; };
    std::vector<PendingPairing> pending(std::int64_t now);

    struct DeviceInfo { std::string id, name; Role role; std::int64_t enrolledAt; std::optional<std::int64_t> revokedAt; std::string location; };
    // Approves a pending code and names the device; it belongs to `location`, the approving
    // manager's ("" in a one-location hall).
    Result<DeviceInfo> approve(const std::string& code, const std::string& name, const std::string& location, std::int64_t now);

    struct IssuedToken { std::string deviceId, token; Role role; std::int64_t expiresAt, rotateAt; };
    // The device collects its token with its secret: nullopt while the code waits for approval.
    Result<std::optional<IssuedToken>> claim(const std::string& secret, std::int64_t now);
    // A new token for an enrolled device (the old one stays valid until it expires).
    Result<IssuedToken> rotate(const std::string& deviceId, std::int64_t now);
    // Only a device of `location`: another location's devices are not there for this caller.
    Result<DeviceInfo> rename(const std::string& deviceId, const std::string& name, const std::string& location);
    Result<DeviceInfo> revoke(const std::string& deviceId, const std::string& location, std::int64_t now);

    // The device a token hash belongs to, if the token is valid now.
    const DeviceConfig* deviceForToken(const std::string& tokenHash, std::int64_t now);
    // False once the device is revoked (or unknown): its event stream ends.
    bool isActive(const std::string& deviceId);
    // The devices of `location`.
    std::vector<DeviceInfo> devices(const std::string& location);

private:
    struct Device {
        DeviceConfig config; // id, role, name (stable address: Principal::device points here)
        std::int64_t enrolledAt = 0;
        std::optional<std::int64_t> revokedAt;
        std::vector<DeviceTokenRecord> tokens;
    };
    Status save(const Device& d);
    // The stored rows into m_devices (m_mutex held).
    void merge(std::vector<EnrolledDeviceRecord> rows);
    std::optional<PairingRecord> findPairing(std::int64_t now, const std::function<bool(const PairingRecord&)>& which);
    // A new token for `d`, stored (with the expired ones dropped) before it is returned.
    Result<IssuedToken> issue(Device& d, std::int64_t now);
    DeviceInfo info(const Device& d) const;

    EventStore& m_store;
    std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<Device>> m_devices; // by id
    std::vector<std::unique_ptr<Device>> m_retired; // replaced by load, perhaps still in use
    // deviceForToken's re-reads for unknown tokens: this second's count.
    static constexpr int kMissReloadsPerS = 10;
    std::chrono::steady_clock::time_point m_missWindow{};
    int m_missReloads = 0;
};

} // namespace loket::server
