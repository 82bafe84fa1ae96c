#include "crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <stdexcept>
#include <vector>

namespace loket::server {
namespace {

std::string hex(const unsigned char* data, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out(n * 2, '0');
    for (std::size_t i = 0; i < n; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    return out;
}

bool unhex(const std::string& text, std::vector<unsigned char>& out) {
    if (text.size() % 2) return false;
    out.clear();
    for (std::size_t i = 0; i < text.size(); i += 2) {
        unsigned v = 0;
        if (std::sscanf(text.c_str() + i, "%2x", &v) != 1) return false;
        out.push_back(static_cast<unsigned char>(v));
    }
    return true;
}

std::vector<unsigned char> randomBytes(std::size_t n) {
    std::vector<unsigned char> buf(n);
    if (RAND_bytes(buf.data(), static_cast<int>(n)) != 1)
        throw std::runtime_error("the system's random source failed"); // never continue with weak codes
    return buf;
}

std::string pbkdf2(std::string_view password, const std::vector<unsigned char>& salt, int iterations) {
    unsigned char out[32];
    PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                      iterations, EVP_sha256(), sizeof out, out);
    return hex(out, sizeof out);
}

} // namespace

std::string sha256Hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed"); // no memory or a broken libcrypto
    return hex(digest, length);
}

std::string randomToken(std::size_t bytes) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    auto raw = randomBytes(bytes);
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    for (unsigned char b : raw) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            out += alphabet[(acc >> (bits - 6)) & 63];
            bits -= 6;
        }
    }
    if (bits > 0) out += alphabet[(acc << (6 - bits)) & 63];
    return out;
}

std::string hashPassword(std::string_view password, int iterations) {
    auto salt = randomBytes(16);
    return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + hex(salt.data(), salt.size()) + "$" +
           pbkdf2(password, salt, iterations);
}

bool verifyPassword(std::string_view password, const std::string& stored) {
    char iterations[16] = {0};
    auto p1 = stored.find('$'), p2 = stored.find('$', p1 + 1), p3 = stored.find('$', p2 + 1);
    if (p1 == std::string::npos || p2 == std::string::npos || p3 == std::string::npos) return false;
    if (stored.substr(0, p1) != "pbkdf2-sha256") return false;
    std::string it = stored.substr(p1 + 1, p2 - p1 - 1);
    if (it.empty() || it.size() > 8) return false;
    std::snprintf(iterations, sizeof iterations, "%s", it.c_str());
    std::vector<unsigned char> salt;
    if (!unhex(stored.substr(p2 + 1, p3 - p2 - 1), salt)) return false;
    return constantTimeEquals(pbkdf2(password, salt, std::atoi(iterations)), stored.substr(p3 + 1));
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace loket::server
