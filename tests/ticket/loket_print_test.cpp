#include "ticket_fixtures.hpp"

#include "shared/ticket/virtual_printer.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace loket::ticket;
using namespace loket::ticket::test;

namespace {

// loket-print run from the source folder, where its default paths (assets/, firmware-config/) are.
CommandResult loketPrint(const std::string& arguments) {
    return runCommand("cd " + quoted(sourceDir().string()) + " && " + quoted(LOKET_PRINT_BIN) + " " + arguments);
}

const std::string kTicket =
    "--number B007 --service 'Paspoort, ID-kaart of rijbewijs ophalen' --url https://loket.example/v/abcDEF123 "
    "--wait 5-15 --bring 'uw oude document' --issued '23-11-2026 11:02' --hall 'Stadswinkel'";

} // namespace

TEST_CASE("loket-print: render writes the ticket PNG, and its QR code reads back") {
    ScratchDir dir;
    auto result = loketPrint("render --out " + quoted((dir / "t.png").string()) + " --escpos " +
                             quoted((dir / "t.bin").string()) + " " + kTicket);
    INFO(result.output);
    REQUIRE(result.exitCode == 0);
    CHECK_THAT(result.output, Catch::Contains("576×"));
    CHECK(scanQr(dir / "t.png") == "https://loket.example/v/abcDEF123");
    auto job = decodeEscPos(readBytes(dir / "t.bin"));
    REQUIRE(job);
    auto png = readPng(dir / "t.png");
    REQUIRE(png);
    CHECK(countDifferentDots(job->image, *png) == 0);
}

TEST_CASE("loket-print: print sends the ticket to a printer and decode shows what it got") {
    ScratchDir dir;
    auto printer = VirtualPrinter::start({});
    REQUIRE(printer);
    auto result = loketPrint("print --printer " + (*printer)->spec() + " --lang en " + kTicket);
    INFO(result.output);
    REQUIRE(result.exitCode == 0);
    CHECK_THAT(result.output, Catch::Contains("printed"));
    REQUIRE((*printer)->waitForJobs(1, std::chrono::seconds(5)));
    {
        const auto job = (*printer)->jobs().front();
        std::ofstream(dir / "job.bin", std::ios::binary).write(reinterpret_cast<const char*>(job.data()),
                                                                static_cast<std::streamsize>(job.size()));
    }
    auto decoded = loketPrint("decode --in " + quoted((dir / "job.bin").string()) + " --out " +
                              quoted((dir / "job.png").string()));
    INFO(decoded.output);
    REQUIRE(decoded.exitCode == 0);
    CHECK_THAT(decoded.output, Catch::Contains("1 cut(s)"));
    CHECK(scanQr(dir / "job.png") == "https://loket.example/v/abcDEF123");
}

TEST_CASE("loket-print: status names the fault and fails while the printer cannot print") {
    auto printer = VirtualPrinter::start({});
    REQUIRE(printer);
    PrinterStatus coverOpen;
    coverOpen.coverOpen = true;
    (*printer)->setStatus(coverOpen);
    auto result = loketPrint("status --printer " + (*printer)->spec());
    CHECK(result.exitCode == 1);
    CHECK_THAT(result.output, Catch::Contains("cover_open"));
    auto refused = loketPrint("print --printer " + (*printer)->spec() + " " + kTicket);
    CHECK(refused.exitCode == 1);
    CHECK_THAT(refused.output, Catch::Contains("not printed: cover_open"));
    (*printer)->setStatus({});
    auto ok = loketPrint("status --printer " + (*printer)->spec());
    CHECK(ok.exitCode == 0);
    CHECK_THAT(ok.output, Catch::Contains("heartbeat ok"));
}

TEST_CASE("loket-print: a bad command line or bad input exits 2 with a reason") {
    const std::pair<std::string, std::string> cases[] = {
        {"", "loket-print render"},
        {"frobnicate", "unknown command \"frobnicate\""},
        {"render --out x.png", "needs --number"},
        {"render --out x.png --colour red " + kTicket, "does not take \"--colour\""},
        {"render --out /tmp/x.png --wait 1-2 " + kTicket, "--wait is given twice"},
        {"render --out /tmp/x.png --wait soon --number A1 --service S --url u", "--wait takes minutes"},
        {"render --out /tmp/x.png --lang fr " + kTicket, "no translations for language 'fr'"},
        {"render --out /tmp/x.png --profile /nonexistent.toml " + kTicket, "/nonexistent.toml"},
        {"print --printer lpt1 " + kTicket, "not printed: offline"},
        {"decode --in /nonexistent.bin --out /tmp/x.png", "cannot read /nonexistent.bin"},
    };
    for (const auto& [arguments, expected] : cases) {
        CAPTURE(arguments);
        auto result = loketPrint(arguments);
        CHECK(result.exitCode == (expected.starts_with("not printed") ? 1 : 2));
        CHECK_THAT(result.output, Catch::Contains(expected));
    }
}
