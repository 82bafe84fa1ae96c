#include "shared/sim/sha256.hpp"

#include <catch2/catch.hpp>

using loket::sim::Sha256;
using loket::sim::sha256Hex;

TEST_CASE("sha256: matches the FIPS 180-4 test vectors") {
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("sha256: feeding in pieces gives the same digest as feeding at once") {
    const std::string text(1000, 'a');
    Sha256 pieces;
    for (std::size_t i = 0; i < text.size(); i += 37) pieces.update(std::string_view(text).substr(i, 37));
    CHECK(pieces.hexDigest() == sha256Hex(text));
    CHECK(sha256Hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
