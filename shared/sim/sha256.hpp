// SHA-256, incremental, from OpenSSL's EVP interface (the same library the server hashes tokens
// with; no hand-written hash in Loket): the simulator's determinism fingerprint hashes the
// ordered event log with it. Depends on OpenSSL's libcrypto only.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace loket::sim {

class Sha256 {
public:
    Sha256();
    Sha256(const Sha256& other);             // the hash so far, continued independently
    Sha256& operator=(const Sha256& other);
    Sha256(Sha256&&) noexcept = default;
    Sha256& operator=(Sha256&&) noexcept = default;
    ~Sha256();
    void update(std::string_view data);
    // The digest as 64 lower-case hex digits. Call once; the object is spent afterwards.
    std::string hexDigest();

private:
    struct Free {
        void operator()(evp_md_ctx_st* ctx) const;
    };
    std::unique_ptr<evp_md_ctx_st, Free> m_ctx;
};

std::string sha256Hex(std::string_view data);

} // namespace loket::sim
