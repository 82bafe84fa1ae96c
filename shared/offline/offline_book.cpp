#include "offline_book.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace loket::offline {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string hex(const unsigned char* data, std::size_t n) {
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(kHex[data[i] >> 4]);
        out.push_back(kHex[data[i] & 0xF]);
    }
    return out;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::vector<unsigned char> randomBytes(std::size_t n) {
    std::vector<unsigned char> buf(n);
    if (RAND_bytes(buf.data(), static_cast<int>(n)) != 1)
        throw std::runtime_error("the system's random source failed"); // never continue with weak codes
    return buf;
}

} // namespace

Result<std::string> bookCodeHash(std::string_view keyHex, std::string_view code) {
    if (keyHex.size() != 64) return makeError(ErrorCode::InvalidValue, "The offline book key must be 64 hex digits.");
    unsigned char key[32];
    for (std::size_t i = 0; i < 32; ++i) {
        const int hi = hexValue(keyHex[2 * i]), lo = hexValue(keyHex[2 * i + 1]);
        if (hi < 0 || lo < 0) return makeError(ErrorCode::InvalidValue, "The offline book key must be 64 lower-case hex digits.");
        key[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    const std::string normalised = core::normaliseBookingCode(std::string(code));
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), key, sizeof key, reinterpret_cast<const unsigned char*>(normalised.data()), normalised.size(),
              digest, &length))
        return makeError(ErrorCode::Internal, "HMAC-SHA256 failed in OpenSSL.");
    return hex(digest, length);
}

std::string newBookKey() {
    auto bytes = randomBytes(32);
    return hex(bytes.data(), bytes.size());
}

std::string newVisitorCode() {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    auto bytes = randomBytes(16);
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(kAlphabet[(acc >> bits) & 0x3F]);
        }
    }
    if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3F]);
    return out;
}

bool validVisitorCode(std::string_view code) {
    return code.size() == 22 &&
           code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string_view::npos;
}

} // namespace loket::offline
