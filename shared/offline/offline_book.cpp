#include "offline_book.hpp"

#include "shared/crypto/random.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>
#include <vector>

namespace loket::offline {
using crypto::hex;
using crypto::randomBytes;

namespace {

// Lower-case hex of HMAC-SHA256(key, text); `what` names the key in the error.
Result<std::string> hmacHex(std::string_view keyHex, std::string_view text, const char* what) {
    if (keyHex.size() != 64) return makeError(ErrorCode::InvalidValue, std::string("The ") + what + " must be 64 hex digits.");
    const auto key = crypto::unhex(keyHex);
    if (!key) return makeError(ErrorCode::InvalidValue, std::string("The ") + what + " must be 64 hex digits.");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
              digest, &length))
        return makeError(ErrorCode::Internal, "HMAC-SHA256 failed in OpenSSL.");
    return hex(digest, length);
}

} // namespace

Result<std::string> bookCodeHash(std::string_view keyHex, std::string_view code) {
    return hmacHex(keyHex, core::normaliseBookingCode(std::string(code)), "offline book key");
}

Result<std::string> leaseUploadSecret(std::string_view uploadKeyHex, std::string_view kiosk, std::int64_t lease) {
    return hmacHex(uploadKeyHex, "lease-upload/" + std::string(kiosk) + "/" + std::to_string(lease), "offline upload key");
}

bool sameSecret(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff = static_cast<unsigned char>(diff | (a[i] ^ b[i]));
    return diff == 0;
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
