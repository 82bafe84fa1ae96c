#include "ticket_fixtures.hpp"

#include "shared/ticket/utf8.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace loket::ticket;
using namespace loket::ticket::test;

TEST_CASE("bitmap: dots are packed most significant bit first, as GS v 0 expects") {
    Bitmap b(10, 2);
    CHECK(b.stride() == 2);
    b.set(0, 0);
    b.set(9, 1);
    CHECK(b.bits()[0] == 0x80);
    CHECK(b.bits()[3] == 0x40);
    CHECK(b.get(0, 0));
    CHECK_FALSE(b.get(1, 0));
    CHECK(b.blackCount() == 2);
    b.set(-1, 0);
    b.set(10, 0); // outside: ignored, not a crash
    CHECK(b.blackCount() == 2);
}

TEST_CASE("bitmap: a PNG written and read back has the same dots") {
    ScratchDir dir;
    Bitmap b(37, 11);
    b.fillRect(3, 2, 20, 5);
    b.set(36, 10);
    REQUIRE(writePng(b, dir / "b.png"));
    auto back = readPng(dir / "b.png");
    REQUIRE(back);
    CHECK(countDifferentDots(b, *back) == 0);
}

TEST_CASE("bitmap: reading a file that is not a PNG is a clear error") {
    ScratchDir dir;
    { std::ofstream(dir / "x.png") << "not a png"; }
    auto back = readPng(dir / "x.png");
    REQUIRE_FALSE(back);
    CHECK(back.error().code == loket::ErrorCode::Io);
    CHECK_THAT(back.error().message, Catch::Contains("x.png"));
}

TEST_CASE("utf8: Dutch letters and the euro sign decode to their code points") {
    auto cps = decodeUtf8("é ë €");
    REQUIRE(cps);
    CHECK(*cps == std::vector<char32_t>{U'é', U' ', U'ë', U' ', U'€'});
}

TEST_CASE("utf8: malformed text is rejected, not printed as garbage") {
    for (std::string bad : {std::string("\xC3"), std::string("a\xE2\x82"), std::string("\xC0\xAF"),
                            std::string("\xED\xA0\x80"), std::string("\xFF"), std::string("\x80")}) {
        CAPTURE(bad);
        CHECK_FALSE(decodeUtf8(bad));
    }
}
