#include "ticket_fixtures.hpp"

#include "shared/ticket/virtual_printer.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace loket::ticket;
using namespace loket::ticket::test;
using namespace std::chrono_literals;

TEST_CASE("transport: specs name a file, a TCP printer or a device") {
    auto file = parseTransportSpec("file:/tmp/out.bin");
    REQUIRE(file);
    CHECK(file->kind == TransportSpec::Kind::File);
    CHECK(file->path == "/tmp/out.bin");
    auto tcp = parseTransportSpec("tcp:192.168.1.50:9100");
    REQUIRE(tcp);
    CHECK(tcp->host == "192.168.1.50");
    CHECK(tcp->port == 9100);
    auto v6 = parseTransportSpec("tcp:[::1]:9100");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    auto device = parseTransportSpec("device:/dev/usb/lp0");
    REQUIRE(device);
    CHECK(device->kind == TransportSpec::Kind::Device);
}

TEST_CASE("transport: a malformed spec is an error that shows the accepted forms") {
    for (const char* bad : {"printer", "lpt:1", "tcp:host", "tcp::9100", "tcp:host:0", "tcp:host:99999",
                            "tcp:host:91x", "file:", "tcp:[::1:9100"}) {
        CAPTURE(bad);
        auto spec = parseTransportSpec(bad);
        REQUIRE_FALSE(spec);
        CHECK_THAT(spec.error().message, Catch::Contains("tcp:host:9100"));
    }
}

TEST_CASE("transport: the file transport keeps the exact bytes and the printed image") {
    ScratchDir dir;
    const auto job = sampleJob();
    auto transport = openTransport("file:" + (dir / "out.bin").string());
    REQUIRE(transport);
    CHECK_FALSE((*transport)->canRead());
    // Written in two pieces, as a slow writer would: the PNG appears once the job is whole.
    const std::size_t half = job.size() / 2 + 3;
    REQUIRE((*transport)->write(std::span(job).first(half), 2s));
    REQUIRE((*transport)->write(std::span(job).subspan(half), 2s));
    CHECK(readBytes(dir / "out.bin") == job);
    auto png = readPng(dir / "out.bin.png");
    REQUIRE(png);
    auto decoded = decodeEscPos(job);
    REQUIRE(decoded);
    CHECK(countDifferentDots(*png, decoded->image) == 0);
}

TEST_CASE("transport: the file transport numbers jobs in a folder, and only jobs make files") {
    ScratchDir dir;
    const auto job = sampleJob("generic-58mm");
    {
        auto onlyOpened = openTransport("file:" + dir.path().string());
        REQUIRE(onlyOpened);
        CHECK_FALSE(queryStatus(**onlyOpened));
    }
    CHECK(std::filesystem::is_empty(dir.path()));
    for (int i = 0; i < 2; ++i) {
        auto transport = openTransport("file:" + dir.path().string());
        REQUIRE(transport);
        REQUIRE((*transport)->write(job, 2s));
    }
    CHECK(readBytes(dir / "ticket-0001.bin") == job);
    CHECK(readBytes(dir / "ticket-0002.bin") == job);
    CHECK(std::filesystem::exists(dir / "ticket-0002.bin.png"));
}

TEST_CASE("transport: the file transport says so when the bytes are not a ticket job") {
    ScratchDir dir;
    auto transport = openTransport("file:" + (dir / "text.bin").string());
    REQUIRE(transport);
    const std::vector<std::uint8_t> text{'h', 'e', 'l', 'l', 'o'};
    auto st = (*transport)->write(text, 2s);
    REQUIRE_FALSE(st);
    CHECK_THAT(st.error().message, Catch::Contains("bytes written, but"));
    CHECK(readBytes(dir / "text.bin") == text);
}

TEST_CASE("transport: a file in a folder that does not exist cannot be opened") {
    auto transport = openTransport("file:/nonexistent-loket/out.bin");
    REQUIRE_FALSE(transport);
    CHECK(transport.error().code == loket::ErrorCode::Io);
}

TEST_CASE("transport: a job sent over TCP arrives byte for byte") {
    auto printer = VirtualPrinter::start({});
    REQUIRE(printer);
    const auto job = sampleJob();
    {
        auto transport = openTransport((*printer)->spec());
        REQUIRE(transport);
        REQUIRE(printBytes(**transport, job));
    }
    REQUIRE((*printer)->waitForJobs(1, 5s));
    CHECK((*printer)->jobs().front() == job);
    CHECK_FALSE((*printer)->lastProtocolError());
}

TEST_CASE("transport: a TCP port nobody listens on is unavailable") {
    int port = 0;
    {
        auto printer = VirtualPrinter::start({});
        REQUIRE(printer);
        port = (*printer)->port();
    } // closed again: nothing listens there now
    auto transport = openTransport("tcp:127.0.0.1:" + std::to_string(port));
    REQUIRE_FALSE(transport);
    CHECK(transport.error().code == loket::ErrorCode::Unavailable);
    CHECK_THAT(transport.error().message, Catch::Contains("refused"));
}

TEST_CASE("transport: a device gets the job and answers status requests") {
    PseudoDevice device;
    const auto job = sampleJob();
    auto transport = openTransport("device:" + device.path);
    REQUIRE(transport);
    REQUIRE((*transport)->canRead());
    PrinterStatus nearEnd;
    nearEnd.paperNearEnd = true;
    std::vector<std::uint8_t> received;
    std::thread printerSide([&] { received = device.serve(statusRequestBytes().size() + job.size(), nearEnd); });
    auto status = queryStatus(**transport);
    auto printed = printBytes(**transport, job);
    printerSide.join();
    REQUIRE(status);
    CHECK(status->worstFault() == PrinterFault::PaperNearEnd);
    REQUIRE(printed);
    REQUIRE(received.size() == statusRequestBytes().size() + job.size());
    CHECK(std::vector<std::uint8_t>(received.begin() + 12, received.end()) == job);
}

TEST_CASE("transport: a device that does not exist is unavailable") {
    auto transport = openTransport("device:/dev/usb/loket-no-such-printer");
    REQUIRE_FALSE(transport);
    CHECK(transport.error().code == loket::ErrorCode::Unavailable);
    CHECK_THAT(transport.error().message, Catch::Contains("No such file"));
}
