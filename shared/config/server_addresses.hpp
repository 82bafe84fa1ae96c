// The addresses of the hall server in a kiosk's or display's file: `[server] url` (with its
// `ca_file` / `pinned_public_key`) as always, and for a city with several server instances on
// one PostgreSQL (issue 14) a list of further ones:
//
//   [[server.also]]
//   url = "https://10.20.0.12:8443"
//   pinned_public_key = "sha256//…"   # its own pin or ca_file; without either it is verified like the first
//
// The device uses the first address while it answers and moves on when it fails
// (shared/net/server_list.hpp). Read here once for both programs; part of loket::config, and the
// header needs only the standard library (the device configs hold ServerAddress without toml++).
#pragma once

#include "shared/core/result.hpp"

#include <string>
#include <vector>

namespace loket::config {

class Section;

struct ServerAddress {
    std::string url;
    std::string caFile;
    std::string pinnedPublicKey;
    bool operator==(const ServerAddress&) const = default;
};

// Reads `[[server.also]]` of the [server] section (`server`), given the first address. Each must
// be http:// or https://, differ from the others, and a CA or pin (its own or the first's) needs https://.
Status readMoreServers(const Section& server, const ServerAddress& first, std::vector<ServerAddress>& out);

// A command line's `--server` value: one address, or several separated by commas (the further
// ones verified like the first). Replaces `first.url` and `more`; a bad address is a ConfigError.
Status overrideServers(const std::string& list, ServerAddress& first, std::vector<ServerAddress>& more);

} // namespace loket::config
