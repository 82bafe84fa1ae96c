// The [[booking]] sections of the hall TOML: one connector to a booking system each (JCC GGS2,
// JCC REST, Qmatic Calendar, an iCalendar/CalDAV feed). The secret (password, client secret or
// API key) comes from a file or an environment variable and is never written into a message.
// Used by the server's wiring and the tests. Depends on loket::booking.
#pragma once

#include "shared/booking/foreign_appointment.hpp"
#include "shared/core/result.hpp"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace loket::server::booking {

struct ConnectorConfig {
    loket::booking::System system = loket::booking::System::JccSoap;
    std::string name;       // label in logs, /metrics and alerts; unique; default: the system's name
    std::string endpoint;   // base URL (JCC: the .asmx; JCC REST: …/api/warp/v1; Qmatic: …/public/api/v1; ics: the feed)
    std::string location;   // JCC locationID, JCC REST locationId, Qmatic branch publicId (not for ics)
    std::string username;   // HTTP Basic user (JCC, ics) or OAuth client id (JCC REST); may be empty
    std::string secret;     // from secret_file or secret_env; never logged
    loket::booking::ProductMap products; // the system's product id → Loket service id
    bool keepNames = true;  // the name for staff (a hall may turn it off)
    bool jccQrCodes = true; // jcc: also fetch each appointment's QR text so a scanned QR checks in
    std::chrono::seconds pullInterval{300};
    std::chrono::milliseconds lookupTimeout{2000};
    std::chrono::milliseconds pullTimeout{10000};
    std::int32_t tomorrowFromS = 15 * 3600; // from this local time on, tomorrow is pulled as well
};

// The connectors of each location: "" for a one-location file's [[booking]] sections, the
// location id for a city's [[location.booking]] sections (docs/locations.md). Each location's
// connectors book into that location's queue only, with that location's services.
using ConnectorsByLocation = std::map<std::string, std::vector<ConnectorConfig>>;

// Reads every [[booking]] of the hall TOML at `path`. `serviceIds` are the hall's services (a
// product map must name real ones). Fails with config_error naming the section and key.
Result<std::vector<ConnectorConfig>> loadBookingConfig(const std::string& path, const std::vector<std::string>& serviceIds);
Result<std::vector<ConnectorConfig>> parseBookingConfig(const std::string& tomlText, const std::vector<std::string>& serviceIds);

// Reads the booking systems of every location: [[booking]] in a one-location file (key ""),
// [[location.booking]] in a city's (a [[booking]] at the top of a city's file is an error).
// `servicesByLocation`: each location's service ids ("" for a one-location file). Errors are
// config_error "file:line: field: message" (`fileName` "" leaves the place out).
Result<ConnectorsByLocation> parseLocationBookingConfig(const std::string& tomlText, const std::string& fileName,
                                                        const std::map<std::string, std::vector<std::string>>& servicesByLocation);
Result<ConnectorsByLocation> loadLocationBookingConfig(const std::string& path,
                                                       const std::map<std::string, std::vector<std::string>>& servicesByLocation);

} // namespace loket::server::booking
