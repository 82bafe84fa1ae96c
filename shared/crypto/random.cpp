#include "shared/crypto/random.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

namespace loket::crypto {
namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

std::vector<unsigned char> randomBytes(std::size_t n) {
    std::vector<unsigned char> buf(n);
    if (RAND_bytes(buf.data(), static_cast<int>(n)) != 1)
        throw std::runtime_error("the system's random source failed"); // never continue with weak codes
    return buf;
}

std::string randomToken(std::size_t bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const std::vector<unsigned char> random = randomBytes(bytes);
    std::string out;
    out.reserve((bytes * 8 + 5) / 6);
    unsigned acc = 0;
    int bits = 0;
    for (unsigned char b : random) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(acc >> bits) & 63];
        }
    }
    if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
    return out;
}

std::string hex(const unsigned char* data, std::size_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(n * 2, '0');
    for (std::size_t i = 0; i < n; ++i) {
        out[2 * i] = kDigits[data[i] >> 4];
        out[2 * i + 1] = kDigits[data[i] & 15];
    }
    return out;
}

std::optional<std::vector<unsigned char>> unhex(std::string_view text) {
    if (text.size() % 2) return std::nullopt;
    std::vector<unsigned char> out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = hexValue(text[i]), lo = hexValue(text[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<unsigned char>(hi * 16 + lo));
    }
    return out;
}

// SHA-256 runs on every authenticated request (the token's hash) and every check-in (the
// request's hash): the digest is fetched from the provider once, not at each call as
// EVP_sha256() makes EVP_Digest do, and each thread keeps one context for its hashes.
// ~6,700 → ~3,900 instructions a hash of a token (docs/benchmarks.md).
std::string sha256Hex(std::string_view data) {
    static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr); // lives as long as the program
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!kSha256 || !context || EVP_DigestInit_ex2(context.get(), kSha256, nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 || EVP_DigestFinal_ex(context.get(), digest, &length) != 1)
        throw std::runtime_error("SHA-256 failed"); // no memory or a broken libcrypto
    return hex(digest, length);
}

} // namespace loket::crypto
