// Connector: the HTTP side of one booking system — pull a day's appointments, look one code up.
// Each call opens its own HttpClient (libcurl), so a check-in lookup on a request thread and the
// scheduler's pull never share a handle. Transport failures, HTTP errors, SOAP faults and
// malformed answers come back as errors (unavailable, timeout, invalid_value); nothing is stored
// here. Used by BookingSync. Depends on loket::booking and loket::net.
#pragma once

#include "booking_config.hpp"
#include "shared/booking/foreign_appointment.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace loket::server::booking {

class Connector {
public:
    virtual ~Connector() = default;
    // Everything the system lists for the local day at the location (with pull_timeout per request).
    virtual Result<std::vector<loket::booking::ForeignAppointment>> pull(core::LocalDay day) = 0;
    // One code (already normalised), within lookup_timeout: nullopt when the system does not know it.
    virtual Result<std::optional<loket::booking::ForeignAppointment>> lookup(const std::string& code, core::LocalDay today) = 0;
};

std::unique_ptr<Connector> makeConnector(const ConnectorConfig& config, loket::booking::HallZone zone,
                                         std::string hallTimeZone);

} // namespace loket::server::booking
