#include "shared/config/server_addresses.hpp"

#include "shared/config/config_reader.hpp"

#include <algorithm>

namespace loket::config {
namespace {

bool isHttp(const std::string& url) { return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0; }
bool isHttps(const std::string& url) { return url.rfind("https://", 0) == 0; }

} // namespace

Status readMoreServers(const Section& server, const ServerAddress& first, std::vector<ServerAddress>& out) {
    auto tables = server.tables("also");
    if (!tables) return tables.error();
    std::vector<ServerAddress> read;
    for (const Section& entry : *tables) {
        if (auto st = entry.only({"url", "ca_file", "pinned_public_key"}); !st) return st;
        ServerAddress address;
        if (auto st = entry.text("url", address.url); !st) return st;
        if (address.url.empty()) return entry.fail("url", "every [[server.also]] needs the url of another instance");
        if (!isHttp(address.url)) return entry.fail("url", "must start with http:// or https://");
        if (auto st = entry.text("ca_file", address.caFile); !st) return st;
        if (auto st = entry.text("pinned_public_key", address.pinnedPublicKey); !st) return st;
        // Without its own CA or pin an instance is verified like the first.
        if (address.caFile.empty() && address.pinnedPublicKey.empty()) {
            address.caFile = first.caFile;
            address.pinnedPublicKey = first.pinnedPublicKey;
        }
        if ((!address.caFile.empty() || !address.pinnedPublicKey.empty()) && !isHttps(address.url))
            return entry.fail("url", "a CA file or pinned key (its own or the first server's) needs an https:// url");
        const bool seen = address.url == first.url ||
                          std::any_of(read.begin(), read.end(), [&](const ServerAddress& a) { return a.url == address.url; });
        if (seen) return entry.fail("url", "\"" + address.url + "\" is listed twice");
        read.push_back(std::move(address));
    }
    out = std::move(read);
    return Ok{};
}

Status overrideServers(const std::string& list, ServerAddress& first, std::vector<ServerAddress>& more) {
    std::vector<std::string> urls;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = list.find(',', start);
        urls.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    for (const auto& url : urls) {
        if (!isHttp(url)) return makeError(ErrorCode::ConfigError, "--server: \"" + url + "\" must start with http:// or https://");
        if ((!first.caFile.empty() || !first.pinnedPublicKey.empty()) && !isHttps(url))
            return makeError(ErrorCode::ConfigError, "--server: \"" + url + "\": the configured CA file or pinned key needs https://");
    }
    first.url = urls.front();
    more.clear();
    for (std::size_t i = 1; i < urls.size(); ++i) more.push_back(ServerAddress{urls[i], first.caFile, first.pinnedPublicKey});
    return Ok{};
}

} // namespace loket::config
