// The hall server's entry to the booking connectors: read the [[booking]] sections of the hall
// TOML and start BookingSync's scheduler (it pulls at once, then every interval). The server
// passes the BookPort (its command handler, book and clock), calls resolve() at check-in, adds
// metricsText() to /metrics and serves statusJson() to the dashboard.
#pragma once

#include "booking_sync.hpp"

#include <memory>
#include <string>
#include <vector>

namespace loket::server::booking {

// nullptr (no error) when the hall has no [[booking]] section.
Result<std::unique_ptr<BookingSync>> startBooking(const std::string& hallConfigPath, const std::vector<std::string>& serviceIds,
                                                  const std::string& hallTimeZone, BookPort port, loket::booking::HallZone zone);

// This server instance's name in /metrics and the status: "host:pid".
std::string instanceName();

} // namespace loket::server::booking
