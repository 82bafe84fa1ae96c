// The hall server's entry to the booking connectors: for each location (or the one hall) with
// booking sections in the hall TOML, start BookingSync's scheduler (it pulls at once, then every interval). The server
// passes the BookPort (its command handler, book and clock), calls resolve() at check-in, adds
// metricsText() to /metrics and serves statusJson() to the dashboard.
#pragma once

#include "booking_sync.hpp"

#include <memory>
#include <string>
#include <vector>

namespace loket::server::booking {

// Starts one location's connectors (loadLocationBookingConfig); `location` "" in a one-location
// hall. nullptr when `configs` is empty.
std::unique_ptr<BookingSync> startBooking(std::vector<ConnectorConfig> configs, const std::string& location, const std::string& hallTimeZone,
                                          BookPort port, loket::booking::HallZone zone);

// This server instance's name in /metrics and the status: "host:pid".
std::string instanceName();

} // namespace loket::server::booking
