#include "ticket_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace loket::ticket;
using namespace loket::ticket::test;

TEST_CASE("printer profile: every shipped profile loads and fits its paper") {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(sourceDir() / "firmware-config" / "printers")) {
        if (entry.path().extension() != ".toml") continue;
        CAPTURE(entry.path().string());
        auto p = loadPrinterProfile(entry.path());
        REQUIRE(p);
        CHECK(p->printWidthDots % 8 == 0);
        // The printable width must fit on the roll at the printer's resolution.
        CHECK(p->printWidthDots <= p->paperWidthMm * p->dpi * 10 / 254);
        ++count;
    }
    CHECK(count >= 2);
}

TEST_CASE("printer profile: the 80 mm Epson profile reads as written") {
    const auto p = profile("epson-tm-t20iii");
    CHECK(p.name == "Epson TM-T20III, 80 mm");
    CHECK(p.printWidthDots == 576);
    CHECK(p.cut == CutMode::Partial);
    CHECK(p.answersStatus);
    CHECK_FALSE(profile("usb-write-only-80mm").answersStatus);
}

TEST_CASE("printer profile: a misspelt key is an error, not a silent default") {
    auto p = parsePrinterProfile("name = \"x\"\n[paper]\nprint_widht_dots = 576\n", "typo.toml");
    REQUIRE_FALSE(p);
    CHECK(p.error().code == loket::ErrorCode::ConfigError);
    CHECK_THAT(p.error().message, Catch::Contains("paper.print_widht_dots"));
}

TEST_CASE("printer profile: out-of-range and wrongly typed values are errors that say what is allowed") {
    const char* cases[][2] = {
        {"name = \"x\"\n[paper]\nprint_width_dots = 570\n", "typo.toml:3: paper.print_width_dots: must be a multiple of 8"},
        {"name = \"x\"\n[paper]\nprint_width_dots = \"576\"\n", "whole number"},
        {"name = \"x\"\n[escpos]\ncut = \"sideways\"\n", "partial"},
        {"name = \"x\"\n[layout]\ntext_scale = 9.0\n", "layout.text_scale: must be a number from 0.4 to 3"},
        {"name = \"x\"\n[escpos]\nstatus = \"yes\"\n", "true or false"},
        {"[paper]\ndpi = 203\n", "name: is missing"},
        {"name = \"x\"\npaper = 3\n", "must be a [paper] table"},
        {"name = \"x\"\n[layout]\nmargin_dots = 200\n", "half the print width"},
        {"name = \"x\n", "typo.toml:1: "},
    };
    for (const auto& [text, expected] : cases) {
        CAPTURE(text);
        auto p = parsePrinterProfile(text, "typo.toml");
        REQUIRE_FALSE(p);
        CHECK_THAT(p.error().message, Catch::Contains(expected));
    }
}

TEST_CASE("printer profile: a missing file is not_found with its path") {
    auto p = loadPrinterProfile("/nonexistent/printer.toml");
    REQUIRE_FALSE(p);
    CHECK(p.error().code == loket::ErrorCode::NotFound);
    CHECK_THAT(p.error().message, Catch::Contains("/nonexistent/printer.toml"));
}
