// ServerList: the addresses of the hall server's instances a kiosk or display may use (several
// loket-server processes on one PostgreSQL, docs/postgresql.md), with the one in use. Each
// address carries its own TlsOptions: the same CA as the first, or its own pin.
//
// The rule (issue 14, "Failover"): stick to the address that works; when a request or the event
// stream finds it gone, move on to the next one and try it at once; only when every address has
// failed in a row is the device offline (the kiosk's offline mode, the display's not-live mark).
// HttpClient and EventStreamClient of one device share one list (std::shared_ptr), so when the
// stream finds an instance gone the next request already goes to the other, and the other way round.
//
// Thread-safe: one small lock. A failure is reported with the index that failed, so two threads
// that see the same instance go at once move on by one address, not two. Standard library only.
#pragma once

#include "shared/net/tls_options.hpp"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace loket::net {

struct ServerEndpoint {
    std::string url; // "https://10.20.0.11:8443"
    TlsOptions tls;  // how this address's certificate is trusted
    bool operator==(const ServerEndpoint&) const = default;
};

class ServerList {
public:
    // At least one endpoint (an empty list is a programmer error).
    explicit ServerList(std::vector<ServerEndpoint> endpoints);

    struct Choice {
        std::size_t index = 0;
        ServerEndpoint endpoint;
    };
    // The address in use now.
    Choice current() const;
    std::size_t size() const { return m_endpoints.size(); }
    const std::vector<ServerEndpoint>& endpoints() const { return m_endpoints; }
    // The address at `index` failed: when it is still the one in use, the next one (in order,
    // round the list) is. Returns the index in use afterwards.
    std::size_t reportFailure(std::size_t index);
    // How often the address in use changed (for logs and tests).
    std::size_t moves() const;

private:
    const std::vector<ServerEndpoint> m_endpoints;
    mutable std::mutex m_mutex;
    std::size_t m_current = 0;
    std::size_t m_moves = 0;
};

// The first address and the further ones, as one shared list for a device's clients.
std::shared_ptr<ServerList> makeServerList(ServerEndpoint first, std::vector<ServerEndpoint> more = {});

// Whether a failed request should be tried on the next address: nothing arrived (a transport
// failure, `status` 0) or a proxy in front said the instance is gone (502, 503, 504). A
// refused certificate counts too: another address may be the one with the right key.
bool movesOn(long status);

} // namespace loket::net
