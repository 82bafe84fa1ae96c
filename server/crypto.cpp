#include "crypto.hpp"

#include "shared/crypto/random.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <stdexcept>
#include <vector>

namespace loket::server {
using crypto::hex;
using crypto::randomBytes;
namespace {

std::string pbkdf2(std::string_view password, const std::vector<unsigned char>& salt, int iterations) {
    unsigned char out[32];
    PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                      iterations, EVP_sha256(), sizeof out, out);
    return hex(out, sizeof out);
}

} // namespace

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
    auto salt = crypto::unhex(std::string_view(stored).substr(p2 + 1, p3 - p2 - 1));
    if (!salt) return false;
    return constantTimeEquals(pbkdf2(password, *salt, std::atoi(iterations)), stored.substr(p3 + 1));
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace loket::server
