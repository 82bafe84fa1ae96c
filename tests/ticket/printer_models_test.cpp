// The printers kiosks are built with: each shipped profile in firmware-config/printers/ loads,
// and the real loket-print renders a ticket with it whose printer bytes decode back to the same
// picture, cut and fed as the profile says, with a QR code that zbarimg reads.
#include "ticket_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace loket::ticket;
using namespace loket::ticket::test;

namespace {

const std::string kUrl = "https://loket.rijnwaarde.example/v/Kq7F3kZ9xLmN2pR8";

// What the test expects of a model, written out rather than read back from the file, so that an
// edited profile that no longer matches its manual's figures fails here.
struct Model {
    std::string stem;
    int printWidthDots;
    int dpi;
    CutMode cut;
};

// The command bytes of one kind in a job, in order.
std::vector<EscPosCommand> commandsOf(const std::vector<std::uint8_t>& bytes, EscPosCommand::Kind kind) {
    std::vector<EscPosCommand> found;
    for (std::size_t offset = 0; offset < bytes.size();) {
        auto command = parseEscPosCommand(bytes, offset);
        REQUIRE(command);
        REQUIRE(command->has_value());
        if ((*command)->kind == kind) found.push_back(**command);
        offset += (*command)->length;
    }
    return found;
}

void checkModel(const Model& model) {
    const auto path = sourceDir() / "firmware-config" / "printers" / (model.stem + ".toml");
    CAPTURE(path.string());
    auto loaded = loadPrinterProfile(path);
    REQUIRE(loaded);
    const PrinterProfile& p = *loaded;
    CHECK(p.printWidthDots == model.printWidthDots);
    CHECK(p.dpi == model.dpi);
    CHECK(p.cut == model.cut);

    ScratchDir dir;
    const auto png = dir / "ticket.png", job = dir / "ticket.bin";
    // Run from the source folder like the kiosk's development setup; the profile by its path.
    auto rendered = runCommand("cd " + quoted(sourceDir().string()) + " && " + quoted(LOKET_PRINT_BIN) +
                               " render --profile " + quoted(path.string()) + " --out " + quoted(png.string()) +
                               " --escpos " + quoted(job.string()) +
                               " --number A012 --service 'Paspoort of ID-kaart aanvragen' --wait 10-20"
                               " --issued '23-11-2026 09:15' --hall 'Gemeente Rijnwaarde' --url " + kUrl);
    INFO(rendered.output);
    REQUIRE(rendered.exitCode == 0);
    CHECK_THAT(rendered.output, Catch::Contains(std::to_string(model.printWidthDots) + "×"));

    // The QR code on paper is what the visitor's phone reads.
    CHECK(scanQr(png) == kUrl);

    // The bytes the printer gets draw exactly the rendered picture, in bands it can buffer.
    const auto bytes = readBytes(job);
    auto decoded = decodeEscPos(bytes);
    REQUIRE(decoded);
    auto picture = readPng(png);
    REQUIRE(picture);
    CHECK(decoded->image.width() == model.printWidthDots);
    CHECK(countDifferentDots(decoded->image, *picture) == 0);
    const auto bands = commandsOf(bytes, EscPosCommand::Kind::Raster);
    REQUIRE_FALSE(bands.empty());
    for (const auto& band : bands) {
        CHECK(band.rowBytes == model.printWidthDots / 8);
        CHECK(band.rows <= p.bandRows);
    }

    // Fed past the cutter, then cut the way the model can.
    CHECK(decoded->feedLines == p.feedLinesBeforeCut);
    const auto cuts = commandsOf(bytes, EscPosCommand::Kind::Cut);
    if (model.cut == CutMode::None) {
        CHECK(cuts.empty());
    } else {
        REQUIRE(cuts.size() == 1);
        CHECK(cuts.front().value == (model.cut == CutMode::Full ? 65 : 66));
    }
}

} // namespace

TEST_CASE("printer: Custom VKP80III renders a ticket that decodes and scans") {
    checkModel({"custom-vkp80iii", 576, 203, CutMode::Full});
}

TEST_CASE("printer: Epson EU-m30 renders a ticket that decodes and scans") {
    checkModel({"epson-eu-m30", 576, 203, CutMode::Full});
}

TEST_CASE("printer: Epson TM-T88VI (180 dpi, 512 dots) renders a ticket that decodes and scans") {
    checkModel({"epson-tm-t88vi", 512, 180, CutMode::Partial});
}

TEST_CASE("printer: Star TSP143 in ESC/POS emulation renders a ticket that decodes and scans") {
    checkModel({"star-tsp143-escpos", 576, 203, CutMode::Partial});
}

TEST_CASE("printer: a generic 80 mm printer renders a ticket that decodes and scans") {
    checkModel({"generic-80mm", 576, 203, CutMode::Full});
}

TEST_CASE("printer: the Epson TM-T20III and the 58 mm and write-only profiles still render and scan") {
    checkModel({"epson-tm-t20iii", 576, 203, CutMode::Partial});
    checkModel({"generic-58mm", 384, 203, CutMode::None});
    checkModel({"usb-write-only-80mm", 576, 203, CutMode::Full});
}
