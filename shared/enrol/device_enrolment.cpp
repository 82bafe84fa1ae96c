#include "device_enrolment.hpp"

#include "shared/proto/rfc3339.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace loket::enrol {

namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::int64_t systemSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace

const char* noticeName(PairingNotice notice) {
    switch (notice) {
    case PairingNotice::None: return "none";
    case PairingNotice::Unreachable: return "unreachable";
    case PairingNotice::CodeExpired: return "code_expired";
    case PairingNotice::Revoked: return "revoked";
    case PairingNotice::CredentialExpired: return "credential_expired";
    case PairingNotice::TooManyWaiting: return "too_many_waiting";
    case PairingNotice::TlsRejected: return "tls_rejected";
    case PairingNotice::NotSaved: return "not_saved";
    }
    return "none";
}

DeviceEnrolment::DeviceEnrolment(EnrolmentSettings settings, std::function<void()> onChange)
    : m_settings(std::move(settings)), m_onChange(std::move(onChange)) {}

DeviceEnrolment::~DeviceEnrolment() { stop(); }

void DeviceEnrolment::start() {
    if (m_thread.joinable()) return;
    m_thread = std::thread([this] { run(); });
}

void DeviceEnrolment::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

PairingStatus DeviceEnrolment::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

std::string DeviceEnrolment::token() const {
    std::lock_guard lock(m_mutex);
    return m_status.phase == PairingPhase::Paired && m_credential ? m_credential->token : std::string();
}

void DeviceEnrolment::reportRejected(const std::string& token) {
    {
        std::lock_guard lock(m_mutex);
        if (token.empty() || !m_credential || m_credential->token != token) return; // an old token: renewed since
        m_rejectedToken = token;
    }
    m_wake.notify_all();
}

void DeviceEnrolment::poke() {
    {
        std::lock_guard lock(m_mutex);
        m_poked = true;
    }
    m_wake.notify_all();
}

std::int64_t DeviceEnrolment::now() const { return m_settings.clock ? m_settings.clock() : systemSeconds(); }

void DeviceEnrolment::update(const std::function<void(PairingStatus&)>& change) {
    {
        std::lock_guard lock(m_mutex);
        change(m_status);
        ++m_status.revision;
    }
    if (m_onChange) m_onChange();
}

void DeviceEnrolment::loadStored() {
    auto stored = loadCredential(m_settings.credentialFile);
    if (!stored) {
        // Not ours or unreadable: say so in the log and pair again (the file is replaced then).
        std::fprintf(stderr, "loket-enrol: %s\n", stored.error().message.c_str());
        update([](PairingStatus& s) { s.phase = PairingPhase::Requesting; });
        return;
    }
    const auto& c = *stored;
    if (c && c->serverUrl == m_settings.serverUrl && c->role == m_settings.role && c->expiresAt > now()) {
        {
            std::lock_guard lock(m_mutex);
            m_credential = *c;
        }
        update([&](PairingStatus& s) {
            s.phase = PairingPhase::Paired;
            s.deviceId = c->deviceId;
        });
        return;
    }
    const bool expired = c && c->expiresAt <= now();
    if (c) (void)removeCredential(m_settings.credentialFile); // another server or role, or run out
    update([&](PairingStatus& s) {
        s.phase = PairingPhase::Requesting;
        if (expired) s.notice = PairingNotice::CredentialExpired;
    });
}

void DeviceEnrolment::run() {
    net::HttpClient http(
        net::HttpOptions{m_settings.serverUrl, "", milliseconds(1500), milliseconds(4000), {}, m_settings.tls, m_settings.servers});
    loadStored();
    m_nextTry = Steady::now();
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        // When to act next: a pairing step when it is due; a renewal when the device's clock
        // reaches renewAt (looked at least once a minute, and at once after poke()).
        auto wakeAt = m_nextTry;
        if (m_status.phase == PairingPhase::Paired && m_credential) {
            const std::int64_t untilRenew = m_credential->renewAt - now();
            wakeAt = std::max(m_nextTry, Steady::now() + std::chrono::seconds(std::clamp<std::int64_t>(untilRenew, 0, 60)));
        }
        m_wake.wait_until(lock, wakeAt, [&] { return m_stop || m_poked || !m_rejectedToken.empty(); });
        if (m_stop) break;
        m_poked = false;
        const bool rejected = !m_rejectedToken.empty();
        m_rejectedToken.clear();
        const PairingPhase phase = m_status.phase;
        const bool renewDue = m_credential && now() >= m_credential->renewAt;
        const bool expired = m_credential && now() >= m_credential->expiresAt;
        lock.unlock();
        if (phase == PairingPhase::Paired) {
            if (rejected) forget(PairingNotice::Revoked, "the server refused this device's token: it was revoked");
            else if (expired) forget(PairingNotice::CredentialExpired, "this device's token expired before it was renewed");
            else if (renewDue && Steady::now() >= m_nextTry) renew(http);
        } else if (Steady::now() >= m_nextTry) {
            if (phase == PairingPhase::ShowingCode) pollClaim(http);
            else requestCode(http);
        }
        lock.lock();
    }
}

void DeviceEnrolment::unreachable(const net::HttpClient& http, const std::string& what) {
    const auto& failure = http.lastFailure();
    const bool tls = failure && failure->error.code == ErrorCode::TlsVerificationFailed;
    const bool busy = failure && failure->status == 429;
    const std::string detail = what + ": " + (failure ? failure->error.message : std::string("no answer"));
    std::fprintf(stderr, "loket-enrol: %s%s\n", tls ? "ALERT: the server's certificate is not trusted; no fallback to plain HTTP: " : "",
                 detail.c_str());
    m_backoff = std::clamp(m_backoff * 2, milliseconds(500), m_settings.retryCap);
    m_nextTry = Steady::now() + (busy ? std::max(m_backoff, milliseconds(30000)) : m_backoff);
    update([&](PairingStatus& s) {
        s.notice = tls ? PairingNotice::TlsRejected : busy ? PairingNotice::TooManyWaiting : PairingNotice::Unreachable;
        s.detail = detail;
    });
}

void DeviceEnrolment::requestCode(net::HttpClient& http) {
    http.setToken("");
    auto reply = http.post("/api/v1/devices/pair", nlohmann::json{{"role", m_settings.role}}.dump());
    if (!reply) return unreachable(http, "pairing request");
    std::string code;
    try {
        const auto j = nlohmann::json::parse(reply->body);
        code = j.at("pairing_code").get<std::string>();
        m_secret = j.at("pairing_secret").get<std::string>();
        m_pollEvery = milliseconds(1000 * std::clamp(j.value("poll_after_s", 2), 1, 30));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "loket-enrol: the server's pairing answer is not understood: %s\n", e.what());
        m_nextTry = Steady::now() + m_settings.retryCap;
        return;
    }
    m_backoff = milliseconds(0);
    m_nextTry = Steady::now() + m_pollEvery;
    std::printf("loket-enrol: pairing code %s %s: approve it on the dashboard (Nieuwe kiosken en schermen)\n",
                code.substr(0, 3).c_str(), code.substr(3).c_str());
    std::fflush(stdout);
    update([&](PairingStatus& s) {
        s.phase = PairingPhase::ShowingCode;
        s.code = code;
        if (s.notice == PairingNotice::Unreachable || s.notice == PairingNotice::TooManyWaiting || s.notice == PairingNotice::TlsRejected)
            s.notice = PairingNotice::None;
    });
}

void DeviceEnrolment::pollClaim(net::HttpClient& http) {
    http.setToken("");
    auto reply = http.post("/api/v1/devices/pair/claim", nlohmann::json{{"pairing_secret", m_secret}}.dump());
    if (reply && reply->status == 202) {
        m_backoff = milliseconds(0);
        m_nextTry = Steady::now() + m_pollEvery;
        update([](PairingStatus& s) {
            if (s.notice == PairingNotice::Unreachable || s.notice == PairingNotice::TlsRejected) s.notice = PairingNotice::None;
        });
        return;
    }
    if (reply) return adopt(reply->body, "pairing");
    const auto& failure = http.lastFailure();
    if (failure && failure->status == 404) {
        // Expired after ten minutes, or revoked before it was collected: start again.
        m_secret.clear();
        m_nextTry = Steady::now();
        std::fprintf(stderr, "loket-enrol: the pairing code expired without approval; asking for a new one\n");
        update([](PairingStatus& s) {
            s.phase = PairingPhase::Requesting;
            s.notice = PairingNotice::CodeExpired;
            s.code.clear();
        });
        return;
    }
    unreachable(http, "pairing claim");
}

void DeviceEnrolment::renew(net::HttpClient& http) {
    std::string current;
    {
        std::lock_guard lock(m_mutex);
        current = m_credential->token;
    }
    http.setToken(current);
    auto reply = http.post("/api/v1/devices/token", "{}");
    if (reply) return adopt(reply->body, "renewal");
    const auto& failure = http.lastFailure();
    if (failure && failure->status == 401) return forget(PairingNotice::Revoked, "the server refused to renew: this device was revoked");
    // Not now: the current token stays valid until it expires; try again in a while.
    std::fprintf(stderr, "loket-enrol: token renewal failed (trying again): %s\n",
                 failure ? failure->error.message.c_str() : "no answer");
    m_nextTry = Steady::now() + m_settings.renewRetry;
}

void DeviceEnrolment::adopt(const std::string& body, const std::string& what) {
    DeviceCredential c;
    try {
        const auto j = nlohmann::json::parse(body);
        c.serverUrl = m_settings.serverUrl;
        c.deviceId = j.at("device_id").get<std::string>();
        c.role = j.at("role").get<std::string>();
        c.token = j.at("token").get<std::string>();
        const std::int64_t rotateIn = j.at("rotate_in_s").get<std::int64_t>();
        core::Seconds expires = 0, rotate = 0;
        if (!proto::parseRfc3339(j.at("expires_at").get<std::string>(), expires) ||
            !proto::parseRfc3339(j.at("rotate_at").get<std::string>(), rotate) || rotateIn <= 0 || expires <= rotate)
            throw std::runtime_error("bad expires_at / rotate_at");
        // Counted on this device's clock from now: the server's clock need not agree with ours.
        const std::int64_t t = now();
        c.renewAt = t + rotateIn;
        c.expiresAt = t + rotateIn + (expires - rotate);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "loket-enrol: the server's %s answer is not understood: %s\n", what.c_str(), e.what());
        m_nextTry = Steady::now() + m_settings.retryCap;
        return;
    }
    const auto saved = saveCredential(m_settings.credentialFile, c);
    if (!saved) std::fprintf(stderr, "loket-enrol: %s (the device works until it restarts)\n", saved.error().message.c_str());
    m_secret.clear();
    m_backoff = milliseconds(0);
    m_nextTry = Steady::now();
    {
        std::lock_guard lock(m_mutex);
        m_credential = c;
    }
    if (what == "renewal") ++m_renewals; // counted once the new token is the one in use
    std::printf("loket-enrol: %s as device %s\n", what == "renewal" ? "token renewed" : "paired", c.deviceId.c_str());
    std::fflush(stdout);
    update([&](PairingStatus& s) {
        s.phase = PairingPhase::Paired;
        s.code.clear();
        s.deviceId = c.deviceId;
        s.notice = saved ? PairingNotice::None : PairingNotice::NotSaved;
        s.detail.clear();
    });
}

void DeviceEnrolment::forget(PairingNotice why, const std::string& detail) {
    std::fprintf(stderr, "loket-enrol: %s; showing a new pairing code\n", detail.c_str());
    if (auto st = removeCredential(m_settings.credentialFile); !st) std::fprintf(stderr, "loket-enrol: %s\n", st.error().message.c_str());
    {
        std::lock_guard lock(m_mutex);
        m_credential.reset();
    }
    m_nextTry = Steady::now();
    update([&](PairingStatus& s) {
        s.phase = PairingPhase::Requesting;
        s.notice = why;
        s.code.clear();
        s.deviceId.clear();
        s.detail = detail;
    });
}

} // namespace loket::enrol
