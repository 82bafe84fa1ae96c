#include "hall_booking.hpp"

#include <unistd.h>

namespace loket::server::booking {

std::unique_ptr<BookingSync> startBooking(std::vector<ConnectorConfig> configs, const std::string& location, const std::string& hallTimeZone,
                                          BookPort port, loket::booking::HallZone zone) {
    if (configs.empty()) return nullptr;
    auto sync = std::make_unique<BookingSync>(std::move(configs), std::move(port), std::move(zone), hallTimeZone, instanceName());
    sync->setLocation(location);
    sync->start();
    return sync;
}

std::string instanceName() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::string(host[0] ? host : "localhost") + ":" + std::to_string(getpid());
}

} // namespace loket::server::booking
