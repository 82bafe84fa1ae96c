#include "enrolment.hpp"

#include "crypto.hpp"

#include <algorithm>
#include <chrono>
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
    merge(std::move(rows.value()));
    return Ok{};
}

void Enrolment::merge(std::vector<EnrolledDeviceRecord> rows) {
    for (auto& r : rows) {
        DeviceConfig config{r.id, roleFromName(r.role), r.name, {}};
        config.location = r.location;
        auto it = m_devices.find(r.id);
        if (it == m_devices.end() || it->second->config.name != config.name || it->second->config.role != config.role ||
            it->second->config.location != config.location) {
            // A request may still hold the old DeviceConfig (Principal::device): it stays alive.
            if (it != m_devices.end()) m_retired.push_back(std::move(it->second));
            auto d = std::make_unique<Device>();
            d->config = std::move(config);
            m_devices[r.id] = std::move(d);
        }
        Device& d = *m_devices[r.id];
        d.enrolledAt = r.enrolledAt;
        d.revokedAt = r.revokedAt;
        d.tokens = std::move(r.tokens);
    }
}

Result<Enrolment::PairingStarted> Enrolment::startPairing(Role role, const std::string& address, std::int64_t now) {
    if (role != Role::Kiosk && role != Role::Display) return makeError(ErrorCode::InvalidValue, "role must be kiosk or display.");
    auto open = m_store.pairings(now);
    if (!open) return open.error();
    if (open->size() >= kMaxPending)
        return makeError(ErrorCode::TooManyRequests, "Too many devices wait for approval; approve them or wait ten minutes.");
    const std::string secret = randomToken(32);
    PairingRecord p{"", roleName(role), address, sha256Hex(secret), now, now + kPairingS, std::nullopt};
    // A code in use (on any instance) is drawn again.
    for (;;) {
        p.code = pairingCode();
        auto added = m_store.addPairing(p);
        if (!added) return added.error();
        if (added.value()) break;
    }
    return PairingStarted{p.code, secret, now + kPairingS};
}

std::vector<Enrolment::PendingPairing> Enrolment::pending(std::int64_t now) {
    std::vector<PendingPairing> out;
    auto open = m_store.pairings(now);
    if (!open) return out; // the store's error shows on the next write; nothing waits that we can show
    for (const auto& p : *open)
        if (!p.approvedDevice) out.push_back({p.code, roleFromName(p.role), p.address, p.createdAt, p.expiresAt});
    return out;
}

Enrolment::DeviceInfo Enrolment::info(const Device& d) const {
    return DeviceInfo{d.config.id, d.config.name, d.config.role, d.enrolledAt, d.revokedAt, d.config.location};
}

Status Enrolment::save(const Device& d) {
    auto st = m_store.putEnrolledDevice(EnrolledDeviceRecord{d.config.id, d.config.name, roleName(d.config.role), d.enrolledAt, d.revokedAt,
                                                             d.tokens, d.config.location});
    if (st) m_store.announceSharedChange("devices"); // the other instances re-read (load)
    return st;
}

std::optional<PairingRecord> Enrolment::findPairing(std::int64_t now, const std::function<bool(const PairingRecord&)>& which) {
    auto open = m_store.pairings(now);
    if (!open) return std::nullopt;
    for (auto& p : *open)
        if (which(p)) return std::move(p);
    return std::nullopt;
}

Result<Enrolment::DeviceInfo> Enrolment::approve(const std::string& code, const std::string& name, const std::string& location,
                                                 std::int64_t now) {
    if (name.empty() || name.size() > 80) return makeError(ErrorCode::InvalidValue, "Give the device a name of 1 to 80 characters.");
    const auto notWaiting = [&] {
        return makeError(ErrorCode::NotFound, "No device waits with code " + code + "; the code may have expired (ten minutes).");
    };
    auto pairing = findPairing(now, [&](const PairingRecord& p) { return p.code == code && !p.approvedDevice; });
    if (!pairing) return notWaiting();
    if (auto st = load(); !st) return st.error(); // the ids other instances gave are taken
    const Role role = roleFromName(pairing->role);
    std::lock_guard lock(m_mutex);
    std::string base = slug(name);
    if (base.empty()) base = roleName(role);
    std::string id = base;
    for (int n = 2; m_devices.count(id); ++n) id = base + "-" + std::to_string(n);
    // The pairing first: of two managers approving one code at once, one wins.
    auto approved = m_store.approvePairing(code, id, now);
    if (!approved) return approved.error();
    if (!approved.value()) return notWaiting();
    auto d = std::make_unique<Device>();
    d->config = DeviceConfig{id, role, name, {}};
    d->config.location = location;
    d->enrolledAt = now;
    if (auto st = save(*d); !st) return st.error();
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
    const std::string hash = sha256Hex(secret);
    auto pairing = findPairing(now, [&](const PairingRecord& p) { return p.secretHash == hash; });
    if (!pairing) return makeError(ErrorCode::NotFound, "This pairing is unknown or has expired; start a new one.");
    if (!pairing->approvedDevice) return std::optional<IssuedToken>{};
    // Approved, perhaps on another instance: its device is read from the store.
    if (auto st = load(); !st) return st.error();
    // The secret works once, whichever instance it reaches: only the caller that deletes the
    // pairing gets a token.
    auto taken = m_store.takePairing(pairing->code);
    if (!taken) return taken.error();
    if (!taken.value()) return makeError(ErrorCode::NotFound, "This pairing is unknown or has expired; start a new one.");
    std::lock_guard lock(m_mutex);
    auto dev = m_devices.find(*pairing->approvedDevice);
    if (dev == m_devices.end() || dev->second->revokedAt)
        return makeError(ErrorCode::NotFound, "This device was revoked before it collected its token.");
    auto token = issue(*dev->second, now);
    if (!token) return token.error();
    return std::optional<IssuedToken>{*token};
}

Result<Enrolment::IssuedToken> Enrolment::rotate(const std::string& deviceId, std::int64_t now) {
    if (auto st = load(); !st) return st.error(); // changed from the store's row (tokens another instance gave), not an older copy
    std::lock_guard lock(m_mutex);
    auto it = m_devices.find(deviceId);
    if (it == m_devices.end() || it->second->revokedAt) return makeError(ErrorCode::Unauthorized, "This device is not enrolled.");
    return issue(*it->second, now);
}

Result<Enrolment::DeviceInfo> Enrolment::rename(const std::string& deviceId, const std::string& name, const std::string& location) {
    if (name.empty() || name.size() > 80) return makeError(ErrorCode::InvalidValue, "Give the device a name of 1 to 80 characters.");
    if (auto st = load(); !st) return st.error(); // changed from the store's row (tokens another instance gave), not an older copy
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
    if (auto st = load(); !st) return st.error(); // changed from the store's row (tokens another instance gave), not an older copy
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
    const auto find = [&]() -> const DeviceConfig* {
        std::lock_guard lock(m_mutex);
        for (const auto& [id, d] : m_devices) {
            if (d->revokedAt) continue;
            for (const auto& t : d->tokens)
                if (t.tokenHash == tokenHash && t.expiresAt > now) return &d->config;
        }
        return nullptr;
    };
    if (const DeviceConfig* found = find()) return found;
    // A token this instance does not know may be one another instance gave a moment ago, before
    // its announcement arrived: read the store again — at most kMissReloadsPerS times a second,
    // since unknown tokens are also what a stranger sends.
    {
        std::lock_guard lock(m_mutex);
        const auto t = std::chrono::steady_clock::now();
        if (t - m_missWindow >= std::chrono::seconds(1)) {
            m_missWindow = t;
            m_missReloads = 0;
        }
        if (++m_missReloads > kMissReloadsPerS) return nullptr;
    }
    if (auto st = load(); !st) return nullptr;
    return find();
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
