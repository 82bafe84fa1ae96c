#include "offline_book.hpp"

#include "shared/crypto/random.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>
#include <vector>

namespace loket::offline {
using crypto::hex;
using crypto::randomBytes;

Result<std::string> bookCodeHash(std::string_view keyHex, std::string_view code) {
    if (keyHex.size() != 64) return makeError(ErrorCode::InvalidValue, "The offline book key must be 64 hex digits.");
    const auto key = crypto::unhex(keyHex);
    if (!key) return makeError(ErrorCode::InvalidValue, "The offline book key must be 64 hex digits.");
    const std::string normalised = core::normaliseBookingCode(std::string(code));
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()), reinterpret_cast<const unsigned char*>(normalised.data()), normalised.size(),
              digest, &length))
        return makeError(ErrorCode::Internal, "HMAC-SHA256 failed in OpenSSL.");
    return hex(digest, length);
}

std::string newBookKey() {
    auto bytes = randomBytes(32);
    return hex(bytes.data(), bytes.size());
}

std::string newVisitorCode() { return crypto::randomToken(16); } // 128 bits

bool validVisitorCode(std::string_view code) {
    return code.size() == 22 &&
           code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string_view::npos;
}

} // namespace loket::offline
