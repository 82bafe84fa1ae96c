// SHA-256 (FIPS 180-4), small and self-contained: the simulator's determinism fingerprint hashes
// the ordered event log with it. Written here rather than linking OpenSSL so that loket::sim needs
// no crypto library. Standard library only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace loket::sim {

class Sha256 {
public:
    Sha256();
    void update(std::string_view data);
    // The digest as 64 lower-case hex digits. Call once; the object is spent afterwards.
    std::string hexDigest();

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> m_h;
    std::array<std::uint8_t, 64> m_buf{};
    std::size_t m_bufLen = 0;
    std::uint64_t m_totalBytes = 0;
};

std::string sha256Hex(std::string_view data);

} // namespace loket::sim
