#include "device_registry.hpp"

#include "log.hpp"
#include "shared/proto/wire_json.hpp"

#include <optional>

namespace loket::server {
using Json = nlohmann::json;

namespace {
constexpr core::Seconds kDeviceOfflineAfterS = 30;

// A device as the store's row of it says (a heartbeat another instance heard).
void withStored(DeviceStatus& d, const DeviceStatusRecord& r) {
    d.status = r.status;
    d.detail = Json::parse(r.detail, nullptr, false);
    if (d.detail.is_discarded()) d.detail = Json::object();
    d.lastSeen = r.lastSeen;
}
} // namespace

DeviceRegistry::DeviceRegistry(const ServerConfig& config, HallClock& clock, EventBroker& broker, EventStore* store)
    : m_clock(clock), m_store(store), m_broker(broker) {
    for (const auto& d : config.devices)
        if (d.role != Role::Admin) m_devices[d.id] = DeviceStatus{d.id, roleName(d.role), d.name, "unknown", Json::object(), 0};
}

Json DeviceRegistry::toJson(const DeviceStatus& d, std::int32_t utcOffsetS) {
    return {{"id", d.id}, {"kind", d.role}, {"name", d.name}, {"status", d.status}, {"detail", d.detail},
            {"last_seen", d.lastSeen ? Json(proto::rfc3339(d.lastSeen, utcOffsetS)) : Json(nullptr)}};
}

void DeviceRegistry::heartbeat(const DeviceConfig& device, const std::string& status, const Json& detail) {
    DeviceStatus changed;
    bool publishIt = false;
    {
        std::lock_guard lock(m_mutex);
        DeviceStatus& d = m_devices[device.id];
        publishIt = d.status != status || d.detail != detail;
        d.id = device.id;
        d.role = roleName(device.role);
        d.name = device.name;
        d.status = status;
        d.detail = detail;
        d.lastSeen = m_clock.now().t;
        changed = d;
    }
    if (m_store) {
        // A heartbeat that cannot be stored is still known here; the next one tries again.
        if (auto st = m_store->putDeviceStatus({changed.id, changed.status, changed.detail.dump(), changed.lastSeen}); !st)
            logLine("device_status", {{"device", changed.id}, {"error", st.error().message}});
    }
    if (publishIt) publish(changed);
}

void DeviceRegistry::reportUnsent(const std::string& id, std::int64_t unsent) {
    // The count goes where the heartbeats go (the location's store): with several instances the
    // kiosk's heartbeat may have reached another one, and every instance shows the same count.
    std::optional<DeviceStatusRecord> stored;
    if (m_store) {
        if (auto rows = m_store->deviceStatuses())
            for (auto& r : *rows)
                if (r.id == id) stored = std::move(r);
    }
    const std::int64_t value = std::max<std::int64_t>(unsent, 0);
    std::optional<DeviceStatus> changed;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_devices.find(id);
        if (it == m_devices.end() && !stored) return; // a device not heard from yet is left alone
        if (it != m_devices.end()) {
            DeviceStatus& d = it->second;
            if (stored && stored->lastSeen >= d.lastSeen) withStored(d, *stored);
            if (d.detail.value("unsent_tickets", std::int64_t{-1}) != value) {
                d.detail["unsent_tickets"] = value;
                changed = d;
            }
        } else {
            DeviceStatus d{id, "", "", "unknown", Json::object(), 0};
            withStored(d, *stored);
            if (d.detail.value("unsent_tickets", std::int64_t{-1}) == value) return;
            d.detail["unsent_tickets"] = value;
            changed = d;
        }
    }
    if (!changed) return;
    if (m_store) {
        if (auto st = m_store->putDeviceStatus({changed->id, changed->status, changed->detail.dump(), changed->lastSeen}); !st)
            logLine("device_status", {{"device", changed->id}, {"error", st.error().message}});
    }
    if (!changed->role.empty()) publish(*changed);
}

std::vector<DeviceStatus> DeviceRegistry::devices() const {
    const core::Seconds now = m_clock.now().t;
    // Heartbeats other instances heard (a device reports to one of them): the newest counts, the
    // store's on a tie (it has the last write, such as an upload's unsent count).
    std::map<std::string, DeviceStatusRecord> stored;
    if (m_store) {
        if (auto rows = m_store->deviceStatuses())
            for (auto& r : *rows) stored[r.id] = std::move(r);
    }
    std::lock_guard lock(m_mutex);
    std::vector<DeviceStatus> out;
    for (const auto& [id, d] : m_devices) {
        DeviceStatus copy = d;
        if (auto it = stored.find(id); it != stored.end() && it->second.lastSeen >= copy.lastSeen) withStored(copy, it->second);
        if (copy.lastSeen == 0 || now - copy.lastSeen > kDeviceOfflineAfterS) copy.status = "offline";
        out.push_back(std::move(copy));
    }
    return out;
}

void DeviceRegistry::sweep() {
    const core::Seconds now = m_clock.now().t;
    std::vector<DeviceStatus> wentOffline;
    {
        std::lock_guard lock(m_mutex);
        for (auto& [id, d] : m_devices)
            if (d.lastSeen && d.status != "offline" && now - d.lastSeen > kDeviceOfflineAfterS) {
                d.status = "offline";
                wentOffline.push_back(d);
            }
    }
    for (const auto& d : wentOffline) publish(d);
}

void DeviceRegistry::publish(const DeviceStatus& d) {
    SseMessage m;
    m.type = "device.updated";
    m.data[static_cast<std::size_t>(StreamAudience::Staff)] = Json{{"device", toJson(d, m_clock.now().utcOffsetS)}}.dump();
    m_broker.publish({m});
}

} // namespace loket::server
