// DeviceRegistry: the live list of kiosks and displays from their heartbeats. Devices report
// every 10 s; one unseen for 30 s is offline. A change of status is published to staff as a
// device.updated event (live only, not resumable). Its own lock; knows nothing of the hall state.
// Each heartbeat is also written to the location's store (EventStore::putDeviceStatus), and the
// device list reads it back: with several instances on one PostgreSQL, a kiosk that reports to
// one instance is online on every instance (the host's print route asks the list on its own).
#pragma once

#include "event_broker.hpp"
#include "event_store.hpp"
#include "hall_clock.hpp"
#include "server_config.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace loket::server {

struct DeviceStatus {
    std::string id, role, name;
    std::string status = "unknown";   // ok | degraded | error | offline | unknown
    nlohmann::json detail = nlohmann::json::object();
    core::Seconds lastSeen = 0;
};

class DeviceRegistry {
public:
    // `store`: the location's (nullptr: this instance's heartbeats only).
    DeviceRegistry(const ServerConfig& config, HallClock& clock, EventBroker& broker, EventStore* store = nullptr);

    void heartbeat(const DeviceConfig& device, const std::string& status, const nlohmann::json& detail);
    // An offline kiosk's count of tickets not yet uploaded (detail.unsent_tickets), between
    // heartbeats; a device not heard from yet is left alone. Written to the store like a heartbeat
    // (on the newest status any instance heard), so every instance reports the same count.
    void reportUnsent(const std::string& id, std::int64_t unsent);
    // Every configured device, with "offline" for those not heard from lately.
    std::vector<DeviceStatus> devices() const;
    // Marks devices that went quiet as offline and tells staff (the housekeeping thread).
    void sweep();

    // The API's JSON of one device.
    static nlohmann::json toJson(const DeviceStatus& device, std::int32_t utcOffsetS);

private:
    void publish(const DeviceStatus& device);

    HallClock& m_clock;
    EventStore* m_store;
    EventBroker& m_broker;
    mutable std::mutex m_mutex;
    std::map<std::string, DeviceStatus> m_devices;
};

} // namespace loket::server
