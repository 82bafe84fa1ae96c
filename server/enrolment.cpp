#include "enrolment.hpp"

#include "crypto.hpp"

#include <algorithm>
#include <random>

namespace loket::server {

namespace {

Role roleFromName(const std::string& name) { return name == "display" ? Role::Display : Role::Kiosk; }

// Six digits from the OS's randomness (screens show them as "123 456").
std::string pairingCode() {
    std::random_device rd;
    const unsigned n = rd() % 1000000u;
    char text[8];
    std::snprintf(text, sizeof text, "%06u", n);
    return text;
}

// "Balie 3 kiosk" -> "balie-3-kiosk": a readable device id from its name.
std::string slug(const std::string& name) {
    std::string out;
    for (unsigned char c : name) {
        if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
        else if (!out.empty() && out.back() != '-') out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.substr(0, 40);
}

} // namespace

Status Enrolment::load() {
    auto rows = m_store.enrolledDevices();
    if (!rows) return rows.error();
    std::lock_guard lock(m_mutex);
    for (auto& r : *rows) {
        auto d = std::make_unique<Device>();
        d->config = DeviceConfig{r.id, roleFromName(r.role), r.name, {}};
        d->config.location = r.location;
        d->enrolledAt = r.enrolledAt;
        d->revokedAt = r.revokedAt;
        d->tokens = std::move(r.tokens);
        m_devices[r.id] = std::move(d);
    }
    return Ok{};
}

void Enrolment::expire(std::int64_t now) {
    std::erase_if(m_pairings, [now](const auto& p) { return p.second.expiresAt <= now; });
}

Result<Enrolment::PairingStarted> Enrolment::startPairing(Role role, const std::string& address, std::int64_t now) {
    if (role != Role::Kiosk && role != Role::Display) return makeError(ErrorCode::InvalidValue, "role must be kiosk or display.");
    std::lock_guard lock(m_mutex);
    expire(now);
    if (m_pairings.size() >= kMaxPending)
        return makeError(ErrorCode::TooManyRequests, "Too many devices wait for approval; approve them or wait ten minutes.");
    std::string code;
    do code = pairingCode();
    while (m_pairings.count(code));
    const std::string secret = randomToken(32);
    m_pairings[code] = Pairing{role, address, sha256Hex(secret), now, now + kPairingS, std::nullopt};
    return PairingStarted{code, secret, now + kPairingS};
}

std::vector<Enrolment::PendingPairing> Enrolment::pending(std::int64_t now) {
    std::lock_guard lock(m_mutex);
    expire(now);
    std::vector<PendingPairing> out;
    for (const auto& [code, p] : m_pairings)
        if (!p.approvedDevice) out.push_back({code, p.role, p.address, p.createdAt, p.expiresAt});
    return out;
}

Enrolment::DeviceInfo Enrolment::info(const Device& d) const {
    return DeviceInfo{d.config.id, d.config.name, d.config.role, d.enrolledAt, d.revokedAt, d.config.location};
}

Status Enrolment::save(const Device& d) {
    return m_store.putEnrolledDevice(EnrolledDeviceRecord{d.config.id, d.config.name, roleName(d.config.role), d.enrolledAt, d.revokedAt, d.tokens,
                                                      d.config.location});
}

Result<Enrolment::DeviceInfo> Enrolment::approve(const std::string& code, const std::string& name, const std::string& location,
                                                 std::int64_t now) {
    if (name.empty() || name.size() > 80) return makeError(ErrorCode::InvalidValue, "Give the device a name of 1 to 80 characters.");
    std::lock_guard lock(m_mutex);
    expire(now);
    auto it = m_pairings.find(code);
    if (it == m_pairings.end() || it->second.approvedDevice)
        return makeError(ErrorCode::NotFound, "No device waits with code " + code + "; the code may have expired (ten minutes).");
    std::string base = slug(name);
    if (base.empty()) base = roleName(it->second.role);
    std::string id = base;
    for (int n = 2; m_devices.count(id); ++n) id = base + "-" + std::to_string(n);
    auto d = std::make_unique<Device>();
    d->config = DeviceConfig{id, it->second.role, name, {}};
    d->config.location = location;
    d->enrolledAt = now;
    if (auto st = save(*d); !st) return st.error();
    it->second.approvedDevice = id;
    DeviceInfo out = info(*d);
    m_devices[id] = std::move(d);
    return out;
}

Result<Enrolment::IssuedToken> Enrolment::issue(Device& d, std::int64_t now) {
    const std::string token = "ldt_" + randomToken(32);
    auto before = d.tokens;
    std::erase_if(d.tokens, [now](const DeviceTokenRecord& t) { return t.expiresAt <= now; });
    d.tokens.push_back({sha256Hex(token), now + kTokenS});
    if (auto st = save(d); !st) {
        d.tokens = std::move(before); // nothing changed: the device keeps its current token
        return st.error();
    }
    return IssuedToken{d.config.id, token, d.config.role, now + kTokenS, now + kRotateAfterS};
}

Result<std::optional<Enrolment::IssuedToken>> Enrolment::claim(const std::string& secret, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    expire(now);
    const std::string hash = sha256Hex(secret);
    auto it = std::find_if(m_pairings.begin(), m_pairings.end(), [&](const auto& p) { return p.second.secretHash == hash; });
    if (it == m_pairings.end())
        return makeError(ErrorCode::NotFound, "This pairing is unknown or has expired; start a new one.");
    if (!it->second.approvedDevice) return std::optional<IssuedToken>{};
    auto dev = m_devices.find(*it->second.approvedDevice);
    if (dev == m_devices.end() || dev->second->revokedAt) {
        m_pairings.erase(it);
        return makeError(ErrorCode::NotFound, "This device was revoked before it collected its token.");
    }
    auto token = issue(*dev->second, now);
    if (!token) return token.error();
    m_pairings.erase(it); // the secret works once
    return std::optional<IssuedToken>{*token};
}

Result<Enrolment::IssuedToken> Enrolment::rotate(const std::string& deviceId, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    auto it = m_devices.find(deviceId);
    if (it == m_devices.end() || it->second->revokedAt) return makeError(ErrorCode::Unauthorized, "This device is not enrolled.");
    return issue(*it->second, now);
}

Result<Enrolment::DeviceInfo> Enrolment::rename(const std::string& deviceId, const std::string& name, const std::string& location) {
    if (name.empty() || name.size() > 80) return makeError(ErrorCode::InvalidValue, "Give the device a name of 1 to 80 characters.");
    std::lock_guard lock(m_mutex);
    auto it = m_devices.find(deviceId);
    if (it == m_devices.end() || it->second->config.location != location) return makeError(ErrorCode::NotFound, "There is no enrolled device '" + deviceId + "'.");
    const std::string old = it->second->config.name;
    it->second->config.name = name;
    if (auto st = save(*it->second); !st) {
        it->second->config.name = old;
        return st.error();
    }
    return info(*it->second);
}

Result<Enrolment::DeviceInfo> Enrolment::revoke(const std::string& deviceId, const std::string& location, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    auto it = m_devices.find(deviceId);
    if (it == m_devices.end() || it->second->config.location != location) return makeError(ErrorCode::NotFound, "There is no enrolled device '" + deviceId + "'.");
    Device& d = *it->second;
    if (!d.revokedAt) {
        auto tokens = d.tokens;
        d.revokedAt = now;
        d.tokens.clear();
        if (auto st = save(d); !st) {
            d.revokedAt.reset();
            d.tokens = std::move(tokens);
            return st.error();
        }
    }
    return info(d);
}

const DeviceConfig* Enrolment::deviceForToken(const std::string& tokenHash, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    for (const auto& [id, d] : m_devices) {
        if (d->revokedAt) continue;
        for (const auto& t : d->tokens)
            if (t.tokenHash == tokenHash && t.expiresAt > now) return &d->config;
    }
    return nullptr;
}

bool Enrolment::isActive(const std::string& deviceId) {
    std::lock_guard lock(m_mutex);
    auto it = m_devices.find(deviceId);
    return it != m_devices.end() && !it->second->revokedAt;
}

std::vector<Enrolment::DeviceInfo> Enrolment::devices(const std::string& location) {
    std::lock_guard lock(m_mutex);
    std::vector<DeviceInfo> out;
    for (const auto& [id, d] : m_devices)
        if (d->config.location == location) out.push_back(info(*d));
    return out;
}

} // namespace loket::server
