#include "ticket_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace loket::ticket;

namespace {
loket::Result<PrinterStatus> parse(std::initializer_list<std::uint8_t> bytes) {
    const std::vector<std::uint8_t> reply(bytes);
    return parseStatusReply(reply);
}
} // namespace

TEST_CASE("printer status: four plain answers (0x12) mean ready") {
    auto s = parse({0x12, 0x12, 0x12, 0x12});
    REQUIRE(s);
    CHECK(s->worstFault() == PrinterFault::None);
    CHECK(std::string(heartbeatPrinterState(s->worstFault())) == "ok");
}

TEST_CASE("printer status: an open cover is cover_open and blocks printing") {
    // DLE EOT 1: offline (bit 3); DLE EOT 2: cover open (bit 2).
    auto s = parse({0x1A, 0x16, 0x12, 0x12});
    REQUIRE(s);
    CHECK(s->offline);
    CHECK(s->coverOpen);
    CHECK(s->worstFault() == PrinterFault::CoverOpen);
    CHECK(blocksPrinting(s->worstFault()));
}

TEST_CASE("printer status: an empty roll is paper_out and blocks printing") {
    // DLE EOT 4: near end (bits 2,3) and end (bits 5,6); DLE EOT 2: stopped for paper end (bit 5).
    auto s = parse({0x1A, 0x32, 0x12, 0x7E});
    REQUIRE(s);
    CHECK(s->paperOut);
    CHECK(s->worstFault() == PrinterFault::PaperOut);
    CHECK(std::string(printerFaultName(s->worstFault())) == "paper_out");
    CHECK(blocksPrinting(s->worstFault()));
}

TEST_CASE("printer status: a roll near its end is a warning that still prints") {
    auto s = parse({0x12, 0x12, 0x12, 0x1E});
    REQUIRE(s);
    CHECK(s->paperNearEnd);
    CHECK_FALSE(s->paperOut);
    CHECK(s->worstFault() == PrinterFault::PaperNearEnd);
    CHECK_FALSE(blocksPrinting(s->worstFault()));
    CHECK(std::string(heartbeatPrinterState(s->worstFault())) == "paper_low");
}

TEST_CASE("printer status: a printer reporting itself offline is offline") {
    auto s = parse({0x1A, 0x12, 0x12, 0x12});
    REQUIRE(s);
    CHECK(s->worstFault() == PrinterFault::Offline);
}

TEST_CASE("printer status: a cutter error is reported as such") {
    auto s = parse({0x1A, 0x52, 0x1A, 0x12});
    REQUIRE(s);
    CHECK(s->cutterError);
    CHECK(s->worstFault() == PrinterFault::CutterError);
    CHECK(std::string(heartbeatPrinterState(s->worstFault())) == "offline");
}

TEST_CASE("printer status: bytes that are not status answers are an error") {
    CHECK_FALSE(parse({0x12, 0x12, 0x12}));
    auto s = parse({0x12, 0x41, 0x12, 0x12}); // 'A': someone else is talking
    REQUIRE_FALSE(s);
    CHECK_THAT(s.error().message, Catch::Contains("answer 2"));
}

TEST_CASE("printer status: the answers a virtual printer gives parse back to the same faults") {
    for (auto flag : {&PrinterStatus::coverOpen, &PrinterStatus::paperOut, &PrinterStatus::paperNearEnd,
                      &PrinterStatus::offline, &PrinterStatus::cutterError}) {
        PrinterStatus set;
        set.*flag = true;
        std::vector<std::uint8_t> reply;
        for (int n = 1; n <= 4; ++n) reply.push_back(statusReplyByte(set, n));
        auto back = parseStatusReply(reply);
        REQUIRE(back);
        CHECK((*back).*flag);
        CHECK(back->worstFault() == set.worstFault());
    }
}
