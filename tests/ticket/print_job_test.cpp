#include "ticket_fixtures.hpp"

#include "shared/ticket/virtual_printer.hpp"

#include <catch2/catch.hpp>

using namespace loket::ticket;
using namespace loket::ticket::test;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<VirtualPrinter> startPrinter(const PrinterStatus& status = {}) {
    auto printer = VirtualPrinter::start({});
    REQUIRE(printer);
    (*printer)->setStatus(status);
    return std::move(*printer);
}

template <typename F>
std::chrono::milliseconds timed(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

} // namespace

TEST_CASE("print job: a ready printer prints the ticket and reports no fault") {
    auto printer = startPrinter();
    const auto job = sampleJob();
    const auto outcome = printJob(printer->spec(), job, profile("epson-tm-t20iii"));
    CHECK(outcome.printed);
    CHECK(outcome.fault == PrinterFault::None);
    REQUIRE(outcome.status);
    REQUIRE(printer->waitForJobs(1, 5s));
    CHECK(printer->jobs().front() == job); // the status requests are not part of the job
    // And the printed job still carries a QR code that reads back as the visitor url.
    ScratchDir dir;
    auto decoded = decodeEscPos(printer->jobs().front());
    REQUIRE(decoded);
    REQUIRE(writePng(decoded->image, dir / "printed.png"));
    CHECK(scanQr(dir / "printed.png") == sampleWalkIn("nl").visitorUrl);
}

TEST_CASE("print job: paper_near_end is a warning and the ticket still prints") {
    PrinterStatus nearEnd;
    nearEnd.paperNearEnd = true;
    auto printer = startPrinter(nearEnd);
    const auto outcome = printJob(printer->spec(), sampleJob(), profile("epson-tm-t20iii"));
    CHECK(outcome.printed);
    CHECK(outcome.fault == PrinterFault::PaperNearEnd);
    CHECK(std::string(heartbeatPrinterState(outcome.fault)) == "paper_low");
    CHECK(printer->waitForJobs(1, 5s));
}

TEST_CASE("print job: paper_out, cover_open and offline printers get no ticket") {
    const std::pair<bool PrinterStatus::*, PrinterFault> cases[] = {
        {&PrinterStatus::paperOut, PrinterFault::PaperOut},
        {&PrinterStatus::coverOpen, PrinterFault::CoverOpen},
        {&PrinterStatus::offline, PrinterFault::Offline},
    };
    for (const auto& [flag, fault] : cases) {
        CAPTURE(printerFaultName(fault));
        PrinterStatus status;
        status.*flag = true;
        auto printer = startPrinter(status);
        const auto outcome = printJob(printer->spec(), sampleJob(), profile("epson-tm-t20iii"));
        CHECK_FALSE(outcome.printed);
        CHECK(outcome.fault == fault);
        CHECK_THAT(outcome.detail, Catch::Contains(printerFaultName(fault)));
        CHECK(printer->jobs().empty());
    }
}

TEST_CASE("print job: a printer nobody can reach is offline") {
    int port = startPrinter()->port(); // started and stopped: the port is free again
    const auto outcome = printJob("tcp:127.0.0.1:" + std::to_string(port), sampleJob(), profile("epson-tm-t20iii"));
    CHECK_FALSE(outcome.printed);
    CHECK(outcome.fault == PrinterFault::Offline);
    CHECK(std::string(heartbeatPrinterState(outcome.fault)) == "offline");
}

TEST_CASE("print job: a printer that does not answer the status request is offline within a second") {
    auto printer = startPrinter();
    printer->setStalled(true);
    PrintOutcome outcome;
    const auto took = timed([&] { outcome = printJob(printer->spec(), sampleJob(), profile("epson-tm-t20iii")); });
    CHECK_FALSE(outcome.printed);
    CHECK(outcome.fault == PrinterFault::Offline);
    CHECK_THAT(outcome.detail, Catch::Contains("no answer"));
    CHECK(took < 1500ms);
}

TEST_CASE("print job: a stalled printer is a write_timeout within 2 s") {
    auto printer = startPrinter();
    auto transport = openTransport(printer->spec());
    REQUIRE(transport);
    REQUIRE(queryStatus(**transport)); // it answers, then jams
    printer->setStalled(true);
    // More than any socket buffer holds, so the writer has to wait for the printer.
    std::vector<std::uint8_t> job = sampleJob();
    while (job.size() < 4u * 1024 * 1024) job.insert(job.end(), job.begin(), job.end());
    loket::Status st = loket::Ok{};
    const auto took = timed([&] { st = printBytes(**transport, job); });
    REQUIRE_FALSE(st);
    CHECK(st.error().code == loket::ErrorCode::Timeout);
    CHECK(took >= 1900ms);
    CHECK(took < 2600ms);
}

TEST_CASE("print job: a stalled device is a write_timeout in the outcome") {
    PseudoDevice device;
    // Nobody reads the master side: the device takes a few kilobytes and then no more.
    auto p = profile("usb-write-only-80mm"); // status = false: straight to the write
    std::vector<std::uint8_t> job = sampleJob();
    while (job.size() < 1024 * 1024) job.insert(job.end(), job.begin(), job.end());
    PrintOutcome outcome;
    const auto took = timed([&] { outcome = printJob("device:" + device.path, job, p); });
    CHECK_FALSE(outcome.printed);
    CHECK(outcome.fault == PrinterFault::WriteTimeout);
    CHECK(took < 2600ms);
}

TEST_CASE("print job: a profile without status prints straight away, even to a printer that would answer") {
    PrinterStatus paperOut;
    paperOut.paperOut = true;
    auto printer = startPrinter(paperOut);
    const auto outcome = printJob(printer->spec(), sampleJob(), profile("usb-write-only-80mm"));
    CHECK(outcome.printed);
    CHECK_FALSE(outcome.status);
    CHECK(printer->waitForJobs(1, 5s));
}

TEST_CASE("print job: the file transport prints without a status check") {
    ScratchDir dir;
    const auto job = sampleJob();
    const auto outcome = printJob("file:" + (dir / "t.bin").string(), job, profile("epson-tm-t20iii"));
    CHECK(outcome.printed);
    CHECK(readBytes(dir / "t.bin") == job);
    auto transport = openTransport("file:" + (dir / "u.bin").string());
    REQUIRE(transport);
    auto status = queryStatus(**transport);
    REQUIRE_FALSE(status);
    CHECK(status.error().code == loket::ErrorCode::Unavailable);
}
