// The offline book's keyed hash and the kiosk's visitor codes (shared/offline).
#include "shared/offline/offline_book.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace loket;

namespace {
const std::string kHmacKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
}

TEST_CASE("offline: a booking code's hash is HMAC-SHA256 with the day's key, of the normalised code") {
    // Reference: printf ABC234 | openssl dgst -sha256 -mac HMAC -macopt hexkey:<kHmacKey>
    auto h = offline::bookCodeHash(kHmacKey, "ABC234");
    REQUIRE(h);
    CHECK(*h == "a67029f25457843adf680d46725ce52bfd48dc5f9fd85b9163dd91ec6e41cb88");
    // What the visitor types is normalised the way the server reads codes.
    CHECK(offline::bookCodeHash(kHmacKey, "abc 234").value() == *h);
}

TEST_CASE("offline: another key gives another hash, and a bad key is an error, never an unkeyed hash") {
    std::string other = kHmacKey;
    other[0] = '1';
    CHECK(offline::bookCodeHash(other, "ABC234").value() != offline::bookCodeHash(kHmacKey, "ABC234").value());
    CHECK(offline::bookCodeHash("", "ABC234").error().code == ErrorCode::InvalidValue);
    CHECK(offline::bookCodeHash(std::string(64, 'G'), "ABC234").error().code == ErrorCode::InvalidValue);
}

TEST_CASE("offline: book keys and visitor codes are fresh random values of the right shape") {
    std::set<std::string> keys, codes;
    for (int i = 0; i < 50; ++i) {
        const std::string key = offline::newBookKey();
        CHECK(key.size() == 64);
        CHECK(offline::bookCodeHash(key, "ABC234"));
        keys.insert(key);
        const std::string code = offline::newVisitorCode();
        CHECK(offline::validVisitorCode(code));
        codes.insert(code);
    }
    CHECK(keys.size() == 50);
    CHECK(codes.size() == 50);
    CHECK_FALSE(offline::validVisitorCode("short"));
    CHECK_FALSE(offline::validVisitorCode("abcdefghijklmnopqrstu/"));
}
