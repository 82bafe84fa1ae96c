#include "hall_booking.hpp"

#include <unistd.h>

namespace loket::server::booking {

Result<std::unique_ptr<BookingSync>> startBooking(const std::string& hallConfigPath, const std::vector<std::string>& serviceIds,
                                                  const std::string& hallTimeZone, BookPort port, loket::booking::HallZone zone) {
    auto configs = loadBookingConfig(hallConfigPath, serviceIds);
    if (!configs) return configs.error();
    if (configs->empty()) return std::unique_ptr<BookingSync>{};
    auto sync = std::make_unique<BookingSync>(std::move(*configs), std::move(port), std::move(zone), hallTimeZone, instanceName());
    sync->start();
    return sync;
}

std::string instanceName() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::string(host[0] ? host : "localhost") + ":" + std::to_string(getpid());
}

} // namespace loket::server::booking
