#include "sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace loket::sim {
namespace {
// Failures here mean no memory or a broken libcrypto: nothing a caller could recover from.
void must(int ok, const char* what) {
    if (ok != 1) throw std::runtime_error(std::string("SHA-256: ") + what + " failed");
}
} // namespace

void Sha256::Free::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new()) {
    if (!m_ctx) throw std::bad_alloc();
    must(EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr), "init");
}

Sha256::Sha256(const Sha256& other) : m_ctx(EVP_MD_CTX_new()) {
    if (!m_ctx) throw std::bad_alloc();
    must(EVP_MD_CTX_copy_ex(m_ctx.get(), other.m_ctx.get()), "copy");
}

Sha256& Sha256::operator=(const Sha256& other) {
    if (this != &other) *this = Sha256(other);
    return *this;
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) { must(EVP_DigestUpdate(m_ctx.get(), data.data(), data.size()), "update"); }

std::string Sha256::hexDigest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    must(EVP_DigestFinal_ex(m_ctx.get(), digest, &length), "final");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 15];
    }
    return out;
}

std::string sha256Hex(std::string_view data) {
    Sha256 h;
    h.update(data);
    return h.hexDigest();
}

} // namespace loket::sim
