// pg::Listener: a subscription to one PostgreSQL channel. Every Listener of this process on one
// database URL shares ONE listening connection and thread (a hub): PostgreSQL wakes every backend
// that LISTENs in a database on each NOTIFY, whatever its channel, so a city of ten locations on
// two instances with a connection per location and channel kept 22 backends waking on every
// commit; with a hub per instance it is two.
//
// `notified` runs on the hub's thread with each notification's payload, and with "*" once the
// channel is listened to (again after a reconnect: notifications sent meanwhile are gone, so
// whatever they announced is to be read). `lost` (optional) runs when the connection is lost,
// before the hub reconnects (every second until it can). The destructor unsubscribes and waits
// while the subscription's function runs. Used by the PostgreSQL store; nothing else sees libpq.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace loket::server::pg {

class Listener {
public:
    Listener(const std::string& url, std::string channel, std::function<void(const std::string&)> notified,
             std::function<void()> lost = {});
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

private:
    class Hub;
    std::shared_ptr<Hub> m_hub;
    std::uint64_t m_id = 0;
};

} // namespace loket::server::pg
