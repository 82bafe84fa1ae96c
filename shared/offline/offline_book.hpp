// The offline book (issue 13): today's appointments as a kiosk may hold them on its disk — a
// keyed hash of each booking code with its services, time and persons; no names, no plain codes.
// The key (HMAC-SHA256, 32 random bytes) comes with the lease and is kept in memory only, so a
// stolen kiosk disk cannot be brute-forced over the small code space. Also the kiosk's visitor
// codes for offline tickets: 128 bits from the OS random source, in the server's format.
// Used by the server (builds the book, resolves uploaded hashes) and the kiosk (looks codes up).
// Depends on loket::core and OpenSSL's libcrypto.
#pragma once

#include "shared/core/booking_code.hpp"
#include "shared/core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace loket::offline {

// Lower-case hex of HMAC-SHA256(key, normalised code). `keyHex` is 64 hex digits; an invalid key
// is an error, never an unkeyed hash.
Result<std::string> bookCodeHash(std::string_view keyHex, std::string_view code);
// A fresh key: 32 bytes from the OS random source, as 64 lower-case hex digits (the day's book
// key and the day's upload key).
std::string newBookKey();
// A lease's upload secret: HMAC-SHA256(the day's upload key, "lease-upload/<kiosk>/<lease id>"),
// 64 hex digits. The upload key never leaves the server (unlike the book key, which every kiosk
// holds), so no kiosk can work out another kiosk's secrets. The server hands it out with
// the lease and derives it again to check an upload; it lets a kiosk that was revoked (its token
// is gone) hand in the tickets of that one lease and nothing else, so the kiosk keeps it in its
// journal beside the lease. A stolen kiosk disk holds only the secrets of that kiosk's leases;
// the key itself is never on a kiosk's disk.
Result<std::string> leaseUploadSecret(std::string_view uploadKeyHex, std::string_view kiosk, std::int64_t lease);
// Compares two secrets in time independent of where they differ.
bool sameSecret(std::string_view a, std::string_view b);
// A visitor code for a ticket: 16 random bytes, URL-safe base64 without padding (22 characters).
std::string newVisitorCode();
// Whether `code` has the shape of a visitor code (22 URL-safe base64 characters).
bool validVisitorCode(std::string_view code);

} // namespace loket::offline
