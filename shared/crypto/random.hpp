// Randomness and encodings shared by the server and the kiosk (OpenSSL's libcrypto). A failing
// random source throws: no part of Loket continues with weak codes or tokens.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loket::crypto {

// `n` bytes from the OS's cryptographic random source.
std::vector<unsigned char> randomBytes(std::size_t n);
// URL-safe base64 (no padding) of `bytes` random bytes: 16 bytes give a 128-bit visitor code.
std::string randomToken(std::size_t bytes);
// Lower-case hex of `n` bytes, and back (upper or lower case; nullopt for odd lengths or non-hex).
std::string hex(const unsigned char* data, std::size_t n);
std::optional<std::vector<unsigned char>> unhex(std::string_view text);
// SHA-256 of `data` as lower-case hex.
std::string sha256Hex(std::string_view data);

} // namespace loket::crypto
