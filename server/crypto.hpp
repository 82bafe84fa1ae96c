// Hashing and randomness for the server, from OpenSSL: token hashes, password hashes (PBKDF2),
// visitor codes (128 bits from the OS's cryptographic source) and staff session tokens.
#pragma once

#include "shared/crypto/random.hpp"

#include <string>
#include <string_view>

namespace loket::server {

// SHA-256 hex and URL-safe random tokens: the ones the kiosk uses too (shared/crypto).
using crypto::randomToken;
using crypto::sha256Hex;
// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>"
std::string hashPassword(std::string_view password, int iterations = 100000);
bool verifyPassword(std::string_view password, const std::string& stored);
// Compares without an early exit, so timing does not reveal a prefix.
bool constantTimeEquals(std::string_view a, std::string_view b);

} // namespace loket::server
