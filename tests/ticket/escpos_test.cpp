#include "ticket_fixtures.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace loket::ticket;
using namespace loket::ticket::test;

namespace {

Bitmap noise(int width, int height, unsigned seed) {
    std::mt19937 rng(seed);
    Bitmap b(width, height);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            if (rng() & 1) b.set(x, y);
    return b;
}

} // namespace

TEST_CASE("escpos: a job is reset, raster bands, feed and cut, in that order") {
    auto p = profile("epson-tm-t20iii");
    p.bandRows = 2;
    Bitmap image(576, 3);
    image.set(0, 0);
    const auto bytes = encodeEscPos(image, p);
    const std::vector<std::uint8_t> head{0x1B, '@', 0x1D, 'v', '0', 0, 72, 0, 2, 0, 0x80};
    REQUIRE(bytes.size() == 2 + (8 + 72 * 2) + (8 + 72) + 3 + 4);
    CHECK(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 11) == head);
    const std::vector<std::uint8_t> secondBand{0x1D, 'v', '0', 0, 72, 0, 1, 0};
    CHECK(std::vector<std::uint8_t>(bytes.begin() + 2 + 8 + 144, bytes.begin() + 2 + 8 + 144 + 8) == secondBand);
    const std::vector<std::uint8_t> tail{0x1B, 'd', 4, 0x1D, 'V', 66, 0};
    CHECK(std::vector<std::uint8_t>(bytes.end() - 7, bytes.end()) == tail);
}

TEST_CASE("escpos: decoding an encoded image gives back every dot") {
    for (const char* name : {"epson-tm-t20iii", "generic-58mm", "usb-write-only-80mm"}) {
        CAPTURE(name);
        const auto p = profile(name);
        const Bitmap image = noise(p.printWidthDots, 301, 7);
        auto job = decodeEscPos(encodeEscPos(image, p));
        REQUIRE(job);
        CHECK(job->image == image);
        CHECK(job->cuts == (p.cut == CutMode::None ? 0 : 1));
        CHECK(job->feedLines == p.feedLinesBeforeCut);
        CHECK(job->resets == 1);
    }
}

TEST_CASE("escpos: a bitmap narrower than the paper is padded, a wider one cut to the print width") {
    const auto p = profile("generic-58mm");
    Bitmap narrow(100, 4);
    narrow.fillRect(0, 0, 100, 4);
    auto padded = decodeEscPos(encodeEscPos(narrow, p));
    REQUIRE(padded);
    CHECK(padded->image.width() == 384);
    CHECK(padded->image.blackCount() == 400);
    Bitmap wide(800, 2);
    wide.fillRect(0, 0, 800, 2);
    auto cut = decodeEscPos(encodeEscPos(wide, p));
    REQUIRE(cut);
    CHECK(cut->image.width() == 384);
    CHECK(cut->image.blackCount() == 768);
}

TEST_CASE("escpos: bytes outside the subset are an error that names the offset") {
    const std::vector<std::uint8_t> bytes{0x1B, '@', 'H', 'i'};
    auto job = decodeEscPos(bytes);
    REQUIRE_FALSE(job);
    CHECK_THAT(job.error().message, Catch::Contains("byte 2"));
}

TEST_CASE("escpos: a job cut short is an error, or an unfinished tail when more may come") {
    const auto p = profile("epson-tm-t20iii");
    auto bytes = encodeEscPos(noise(576, 20, 3), p);
    bytes.resize(bytes.size() - 100);
    auto strict = decodeEscPos(bytes);
    REQUIRE_FALSE(strict);
    CHECK_THAT(strict.error().message, Catch::Contains("ends inside"));
    auto partial = decodeEscPos(bytes, Tail::MayBeUnfinished);
    REQUIRE(partial);
    CHECK(partial->unfinishedBytes == bytes.size() - 2);
    CHECK(partial->image.height() == 0);
}

TEST_CASE("escpos: status requests between commands are recognised") {
    const auto request = statusRequestBytes();
    auto job = decodeEscPos(request);
    REQUIRE(job);
    CHECK(job->statusRequests == 4);
    const std::vector<std::uint8_t> badRequest{0x10, 0x04, 9};
    CHECK_FALSE(decodeEscPos(badRequest));
}

TEST_CASE("escpos: random and corrupted streams give an error or a job, never a crash") {
    std::mt19937 rng(0x5EED0003);
    const auto valid = encodeEscPos(noise(64, 40, 11), profile("generic-58mm"));
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::uint8_t> bytes;
        if (round % 2 == 0) {
            bytes.resize(rng() % 64);
            for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
        } else {
            bytes = valid;
            for (int flips = 0; flips < 3; ++flips) bytes[rng() % bytes.size()] = static_cast<std::uint8_t>(rng());
            bytes.resize(rng() % (bytes.size() + 1));
        }
        auto job = decodeEscPos(bytes, round % 3 == 0 ? Tail::MayBeUnfinished : Tail::MustBeComplete);
        if (job) CHECK(static_cast<std::size_t>(job->image.stride()) * job->image.height() <= bytes.size());
        else CHECK_FALSE(job.error().message.empty());
    }
}
