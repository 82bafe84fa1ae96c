// DeviceEnrolment: how a kiosk or display without a configured token gets and keeps its own
// credential (server side: server/enrolment.hpp, docs/api.md "Device enrolment").
//
//   no credential ──► ask for a pairing (POST /api/v1/devices/pair) ──► show the code
//        ▲                 │ unreachable / too many waiting: retry, say so on screen
//        │                 ▼
//        │            poll the claim (POST …/pair/claim, every poll_after_s) ──► 200: store the
//        │                 │ 404: the code expired (or was never approved): a new code          token
//        │                                                                                        │
//        └─ revoked (401) ◄── paired: renew the token after rotate_in_s (POST /api/v1/devices/token)
//
// Everything runs on its own worker thread; the UI thread reads status() and token() (both
// thread-safe) and is told about every change through `onChange` (called on the worker thread:
// make it a wake-up, nothing more). The credential is stored through credential_file.hpp, so a
// restarted device goes straight back to work. Renewal happens at half the token's life: the
// old token stays valid until it expires, so requests in flight and open event streams never
// notice. A device's own requests that get 401 are reported with reportRejected(): the device was
// revoked, forgets its credential and shows a new code.
//
// Time: `clock` is the device's wall clock in seconds (tests move it on instead of waiting half
// a day, then poke()). Depends on loket::net and the core; no UI.
#pragma once

#include "shared/enrol/credential_file.hpp"
#include "shared/net/http_client.hpp"
#include "shared/net/tls_options.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace loket::enrol {

enum class PairingPhase {
    Starting,    // reading the stored credential
    Requesting,  // asking the server for a pairing code
    ShowingCode, // the code is on screen; waiting for a hall manager
    Paired,      // the device works with its own token
};

// Why the screen says more than the code (the latest thing that went wrong, cleared by success).
enum class PairingNotice {
    None,
    Unreachable,       // the server did not answer; the device keeps trying
    CodeExpired,       // the previous code expired (ten minutes) or was not approved: a new one
    Revoked,           // a hall manager took this device out of service: pair again
    CredentialExpired, // the stored token ran out (the device was off for more than a day)
    TooManyWaiting,    // the server holds too many unapproved codes; trying again later
    TlsRejected,       // the server's certificate is not trusted: never falls back to plain HTTP
    NotSaved,          // the credential could not be stored (the device works until a restart)
};

const char* noticeName(PairingNotice notice);

struct PairingStatus {
    PairingPhase phase = PairingPhase::Starting;
    PairingNotice notice = PairingNotice::None;
    std::string code;     // six digits while ShowingCode
    std::string deviceId; // once paired
    std::string detail;   // the last problem in English, for the log
    std::uint64_t revision = 0; // grows with every change
};

struct EnrolmentSettings {
    std::string serverUrl;
    net::TlsOptions tls{};
    // Several server instances (shared/net/server_list.hpp): when set, requests go through the
    // list (shared with the device's other clients); serverUrl still names the credential's issuer.
    std::shared_ptr<net::ServerList> servers{};
    std::string role;                     // "kiosk" | "display"
    std::filesystem::path credentialFile; // <state folder>/credential.json
    std::function<std::int64_t()> clock;  // wall clock in seconds; empty: the system clock
    std::chrono::milliseconds retryCap{10000};  // longest pause between attempts to reach the server
    std::chrono::milliseconds renewRetry{30000}; // a renewal that failed is tried again after this
};

class DeviceEnrolment {
public:
    DeviceEnrolment(EnrolmentSettings settings, std::function<void()> onChange);
    ~DeviceEnrolment(); // stops and joins
    DeviceEnrolment(const DeviceEnrolment&) = delete;
    DeviceEnrolment& operator=(const DeviceEnrolment&) = delete;

    void start();
    void stop();

    PairingStatus status() const;
    bool paired() const { return status().phase == PairingPhase::Paired; }
    // The bearer token to send now; empty while not paired.
    std::string token() const;
    // A request sent with `token` was refused with 401: the device was revoked (or its token
    // expired). A token already replaced by a renewal is ignored.
    void reportRejected(const std::string& token);
    // Look at the clock again now (a test moved it on).
    void poke();
    int renewals() const { return m_renewals.load(); }

private:
    void run();
    void update(const std::function<void(PairingStatus&)>& change);
    void loadStored();
    void requestCode(net::HttpClient& http);
    void pollClaim(net::HttpClient& http);
    void renew(net::HttpClient& http);
    void forget(PairingNotice why, const std::string& detail);
    void adopt(const std::string& body, const std::string& serverUrl);
    void unreachable(const net::HttpClient& http, const std::string& what);
    std::int64_t now() const;

    EnrolmentSettings m_settings;
    std::function<void()> m_onChange;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    PairingStatus m_status;
    std::optional<DeviceCredential> m_credential;
    bool m_stop = false;
    bool m_poked = false;
    std::string m_rejectedToken;
    std::atomic<int> m_renewals{0};

    // Worker-thread state.
    std::string m_secret;
    std::chrono::milliseconds m_pollEvery{2000};
    std::chrono::milliseconds m_backoff{0};
    std::chrono::steady_clock::time_point m_nextTry{};

    std::thread m_thread; // last: starts after every member above exists
};

} // namespace loket::enrol
