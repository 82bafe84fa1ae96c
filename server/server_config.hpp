// ServerConfig: the hall configuration file as the server reads it — the core's HallConfig plus
// what only the server needs (time zone, public URL, device tokens, staff accounts).
// Loaded from TOML (firmware-config/hall.example.toml shows every field). A config error names
// the file, the line and the field, and the server refuses to start.
#pragma once

#include "shared/core/hall_config.hpp"
#include "shared/core/result.hpp"
#include "server/directory/directory.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace loket::server {

// host: the hall's host at the door (the /host page: check-in on a visitor's behalf, needs, door answers).
enum class Role { Kiosk, Display, Counter, Admin, Host };
const char* roleName(Role role);

struct DeviceConfig {
    std::string id;
    Role role = Role::Kiosk;      // kiosk, display or admin (an API client such as the booking system)
    std::string name;
    std::string tokenSha256;      // hex; the token itself is never stored
    // Check-ins this device may make: a token bucket of `checkinBurst` that refills at
    // `checkinsPerMinute` (a real kiosk prints a ticket every few seconds at most). One stolen
    // kiosk credential cannot take all of a service's numbers.
    std::int64_t checkinsPerMinute = 30;
    std::int64_t checkinBurst = 10;
    std::string location = {};    // the location it stands in ([[location.device]]); empty in a one-location file
};

struct StaffConfig {
    std::string username;
    std::string passwordHash;     // "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>"
    Role role = Role::Counter;    // counter, admin or host
    std::vector<std::string> counters; // counter ids this person may work at; "*" = all
    // The locations this person may work at (several locations only); chosen at log-in. Every
    // location of the file when left out.
    std::vector<std::string> locations = {};
};

// One location of a city ([[location]]): its own services, counters, opening hours and numbering
// (its HallConfig), its own devices, its own queue and event log. A one-location file has none.
struct LocationConfig {
    std::string id;       // lower-case letters, digits and _; in URLs, store partitions and lock keys
    core::HallConfig hall;
};

// [tls]: HTTPS in the server itself (tls_listener.hpp). Paths relative to the config file's folder.
struct TlsConfig {
    std::filesystem::path certFile;  // PEM: the server's certificate, then its intermediate CAs
    std::filesystem::path keyFile;   // PEM: its private key (unencrypted; readable by the service only)
    std::string redirectHttpListen;  // "host:port" for a plain listener that only redirects to https://; empty = none
    long hstsMaxAgeS = 31536000;     // Strict-Transport-Security max-age; 0 = no header
};

// Role names for the directory's group rules, strongest first (directory::grantFor).
const std::vector<std::string>& staffRolesByPower();
Role staffRoleFromName(const std::string& name); // one of staffRolesByPower()

struct ServerConfig {
    core::HallConfig hall;
    std::string timeZone = "Europe/Amsterdam";
    std::string publicBaseUrl = "http://localhost:8080";
    // The reverse proxy's address: only requests from it may name the client in X-Forwarded-For.
    std::string trustedProxy;
    std::vector<DeviceConfig> devices;
    std::vector<StaffConfig> staff;
    // [[location]]: a city's locations, in file order. Empty: one hall, described by `hall` (the
    // format every existing file uses). When set, `hall` is the first location's and every
    // device names its location.
    std::vector<LocationConfig> locations;
    // Open event streams per device token or staff session; one more is answered 429. A hall's
    // displays each have their own token, so 64 leaves room for a shared token on a few screens.
    int maxStreamsPerCredential = 64;
    // [hall] store: where the hall's data live. Empty: the SQLite file given by --db. A
    // postgresql://… URL: a PostgreSQL database several hall servers share (store/store_factory.hpp).
    std::string store;
    int auditDays = 90;           // [hall] audit_days: how long the audit trail keeps staff actions
    std::optional<directory::DirectoryConfig> directory; // [directory]: staff log in with their directory account
    std::optional<TlsConfig> tls;                        // [tls]: serve HTTPS
    bool demoCredentials = false; // any of the published demo tokens or passwords is configured
};

// The configuration one location's parts see: the location's hall and only its devices (for a
// one-location file: `config` itself).
ServerConfig configForLocation(const ServerConfig& config, const std::string& location);
// Whether a staff account may work at `location` ("" in a one-location file: always).
bool staffMayWorkAt(const ServerConfig& config, const StaffConfig& staff, const std::string& location);
// The same for an account's list of locations (empty = every location), also for the accounts
// made on /beheer (staff_accounts.hpp).
bool locationListAllows(const ServerConfig& config, const std::vector<std::string>& locations, const std::string& location);
const LocationConfig* findLocation(const ServerConfig& config, const std::string& id);

Result<ServerConfig> loadServerConfig(const std::filesystem::path& file);
Result<ServerConfig> parseServerConfig(std::string_view text, const std::string& fileName);

} // namespace loket::server
