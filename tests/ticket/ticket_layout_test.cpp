#include "ticket_fixtures.hpp"

#include "shared/ticket/utf8.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <random>

using namespace loket::ticket;
using namespace loket::ticket::test;

namespace {

Bitmap render(const TicketContent& content, const std::string& profileName = "epson-tm-t20iii") {
    auto image = renderTicket(content, catalog(content.language), profile(profileName), fonts());
    if (!image) FAIL(image.error().message);
    return *image;
}

// Prints through the real path (ESC/POS bytes into the file transport, which decodes them to a
// PNG) and returns that PNG's path.
std::filesystem::path printToFile(const Bitmap& image, const std::string& profileName, const ScratchDir& dir) {
    auto transport = openTransport("file:" + (dir / "job.bin").string());
    REQUIRE(transport);
    REQUIRE(printBytes(**transport, encodeEscPos(image, profile(profileName))));
    return dir / "job.bin.png";
}

bool columnsWhite(const Bitmap& b, int from, int to) {
    for (int y = 0; y < b.height(); ++y)
        for (int x = from; x < to; ++x)
            if (b.get(x, y)) return false;
    return true;
}

struct GoldenCase {
    const char* file;
    std::function<TicketContent()> content;
    const char* profileName;
};

} // namespace

TEST_CASE("ticket: every shipped language has every ticket text") {
    const auto languages = loket::i18n::shippedLanguages(sourceDir() / "assets");
    REQUIRE(languages.size() >= 2);
    CHECK(languages.front() == "nl");
    for (const auto& language : languages)
        for (const auto& key : ticketTextKeys()) {
            CAPTURE(language, key);
            CHECK(catalog(language).has(key));
        }
}

TEST_CASE("ticket: every character of every shipped ticket text has a glyph in the fonts") {
    auto covered = [](const Font& font, char32_t cp) {
        for (const auto& face : font.faces)
            if (face->hasGlyph(cp)) return true;
        return false;
    };
    for (const auto& language : loket::i18n::shippedLanguages(sourceDir() / "assets"))
        for (const auto& key : ticketTextKeys()) {
            auto cps = decodeUtf8(catalog(language).text(key));
            CAPTURE(language, key);
            REQUIRE(cps);
            for (char32_t cp : *cps) {
                CAPTURE(static_cast<unsigned>(cp));
                CHECK(covered(fonts().regular, cp));
                CHECK(covered(fonts().bold, cp));
            }
        }
}

TEST_CASE("ticket: a ticket renders in every shipped language") {
    for (const auto& language : loket::i18n::shippedLanguages(sourceDir() / "assets")) {
        CAPTURE(language);
        auto content = sampleAppointment(language);
        auto image = renderTicket(content, catalog(language), profile("generic-58mm"), fonts());
        REQUIRE(image);
        CHECK(image->height() > 300);
    }
}

TEST_CASE("ticket: the QR code decodes to the visitor url") {
    for (const char* profileName : {"epson-tm-t20iii", "generic-58mm"}) {
        CAPTURE(profileName);
        ScratchDir dir;
        const auto content = sampleWalkIn("nl");
        CHECK(scanQr(printToFile(render(content, profileName), profileName, dir)) == content.visitorUrl);
    }
}

TEST_CASE("ticket: a long visitor url still gives a readable QR code on narrow paper") {
    ScratchDir dir;
    auto content = sampleAppointment("nl");
    content.visitorUrl = "https://afspraken.gemeente-katwijk.example/loket/bezoek/v/" + std::string(120, 'x') + "Q";
    CHECK(scanQr(printToFile(render(content, "generic-58mm"), "generic-58mm", dir)) == content.visitorUrl);
}

TEST_CASE("ticket: the image fills the print width and keeps its side margins white") {
    for (const char* profileName : {"epson-tm-t20iii", "generic-58mm"}) {
        CAPTURE(profileName);
        const auto p = profile(profileName);
        auto content = sampleWalkIn("nl");
        content.serviceLabel = "Een heel lange dienstnaam die zeker over meerdere regels moet worden verdeeld";
        content.bring = std::string(60, 'W') + " " + std::string(20, 'M');
        content.number = "ABCDEFGHIJKL";
        const Bitmap image = render(content, profileName);
        CHECK(image.width() == p.printWidthDots);
        CHECK(image.height() > 600 * p.textScale);
        CHECK(columnsWhite(image, 0, p.marginDots));
        CHECK(columnsWhite(image, p.printWidthDots - p.marginDots, p.printWidthDots));
    }
}

TEST_CASE("ticket: é, ë and € are drawn with their own glyphs, not a missing-glyph box") {
    const auto& regular = fonts().regular;
    for (char32_t cp : {U'é', U'ë', U'€'}) {
        CAPTURE(static_cast<unsigned>(cp));
        CHECK(regular.faces.front()->hasGlyph(cp));
    }
    auto draw = [&](const std::u32string& text) {
        Bitmap b(200, 60);
        drawText(b, regular, 40, 4, 45, text);
        return b;
    };
    const Bitmap missing = draw(U"\U0000E0FF"); // a private-use code point no shipped font has
    CHECK(missing.blackCount() > 0);
    for (const std::u32string text : {U"é", U"ë", U"€"}) {
        const Bitmap drawn = draw(text);
        CHECK(drawn.blackCount() > 20);
        CHECK(countDifferentDots(drawn, missing) > 20);
        CHECK(countDifferentDots(drawn, draw(U"e")) > 5);
    }
}

TEST_CASE("ticket: the layout matches the golden images in docs/tickets") {
    const GoldenCase cases[] = {
        {"walk-in-nl-80mm.png", [] { return sampleWalkIn("nl"); }, "epson-tm-t20iii"},
        {"walk-in-en-80mm.png", [] { return sampleWalkIn("en"); }, "epson-tm-t20iii"},
        {"appointment-en-80mm.png", [] { return sampleAppointment("en"); }, "epson-tm-t20iii"},
        {"walk-in-nl-58mm.png", [] { return sampleWalkIn("nl"); }, "generic-58mm"},
    };
    const auto goldenDir = sourceDir() / "docs" / "tickets";
    const std::filesystem::path outDir = std::filesystem::path(LOKET_BINARY_DIR) / "tests" / "ticket" / "golden-out";
    for (const auto& c : cases) {
        CAPTURE(c.file);
        const Bitmap actual = render(c.content(), c.profileName);
#ifdef LOKET_UPDATE_GOLDENS
        std::filesystem::create_directories(goldenDir);
        REQUIRE(writePng(actual, goldenDir / c.file));
#endif
        auto golden = readPng(goldenDir / c.file);
        REQUIRE(golden);
        const std::size_t differing = countDifferentDots(actual, *golden);
        // A tiny tolerance for a different build of DejaVu or stb; a layout change is thousands.
        const std::size_t tolerance = static_cast<std::size_t>(actual.width()) * actual.height() / 1000;
        if (differing > tolerance) {
            std::filesystem::create_directories(outDir);
            (void)writePng(actual, outDir / (std::string("actual-") + c.file));
            Bitmap diff(std::max(actual.width(), golden->width()), std::max(actual.height(), golden->height()));
            for (int y = 0; y < diff.height(); ++y)
                for (int x = 0; x < diff.width(); ++x) diff.set(x, y, actual.get(x, y) != golden->get(x, y));
            (void)writePng(diff, outDir / (std::string("diff-") + c.file));
            UNSCOPED_INFO("wrote actual and diff PNGs to " << outDir.string());
        }
        CHECK(differing <= tolerance);
    }
}

TEST_CASE("ticket: an appointment ticket and a ticket without estimate render differently from a walk-in") {
    const Bitmap walkIn = render(sampleWalkIn("en"));
    auto noEstimate = sampleWalkIn("en");
    noEstimate.waitLowMin.reset();
    noEstimate.waitHighMin.reset();
    auto almost = sampleWalkIn("en");
    almost.waitLowMin = 0;
    almost.waitHighMin = 0;
    CHECK(countDifferentDots(walkIn, render(noEstimate)) > 100);
    CHECK(countDifferentDots(render(noEstimate), render(almost)) > 100);
    CHECK(countDifferentDots(walkIn, render(sampleAppointment("en"))) > 1000);
}

TEST_CASE("ticket: bad content gets a clear error naming the field") {
    struct Case {
        const char* expected;
        std::function<void(TicketContent&)> spoil;
    };
    const Case cases[] = {
        {"number is empty", [](TicketContent& c) { c.number.clear(); }},
        {"service label is empty", [](TicketContent& c) { c.serviceLabel.clear(); }},
        {"visitor url is empty", [](TicketContent& c) { c.visitorUrl.clear(); }},
        {"visitor url contains white space", [](TicketContent& c) { c.visitorUrl = "https://x/v/a b"; }},
        {"service label: text is not valid UTF-8", [](TicketContent& c) { c.serviceLabel = "Caf\xC3"; }},
        {"hall name contains a control character", [](TicketContent& c) { c.hallName = "Hal\n1"; }},
        {"both a low and a high", [](TicketContent& c) { c.waitHighMin.reset(); }},
        {"is not 0 ≤ low ≤ high", [](TicketContent& c) { c.waitLowMin = 30; }},
        {"is not 0 ≤ low ≤ high", [](TicketContent& c) { c.waitLowMin = -1; }},
        {"number is longer than 12 bytes", [](TicketContent& c) { c.number = std::string(13, 'A'); }},
        {"appointment time is empty", [](TicketContent& c) { c.appointmentTimeLocal = ""; }},
        {"does not match the catalog", [](TicketContent& c) { c.language = "en"; }},
    };
    for (const auto& test : cases) {
        auto content = sampleWalkIn("nl");
        test.spoil(content);
        auto image = renderTicket(content, catalog("nl"), profile("epson-tm-t20iii"), fonts());
        CAPTURE(test.expected);
        REQUIRE_FALSE(image);
        CHECK_THAT(image.error().message, Catch::Contains(test.expected));
    }
}

TEST_CASE("ticket: a translation missing from the catalog is named in the error") {
    loket::i18n::Catalog partial;
    partial.setLanguage("nl");
    REQUIRE(partial.addJson(R"({"ticket.title": "Uw nummer"})", "partial.json"));
    auto image = renderTicket(sampleWalkIn("nl"), partial, profile("epson-tm-t20iii"), fonts());
    REQUIRE_FALSE(image);
    CHECK(image.error().code == loket::ErrorCode::NotFound);
    CHECK_THAT(image.error().message, Catch::Contains("ticket.appointment"));
}

TEST_CASE("ticket: fonts that cannot be found are a clear error listing the places tried") {
    FontSearch nowhere{{"/nonexistent/a.ttf", "/nonexistent/b.ttf"}, {}, {}};
    auto loaded = loadFonts(nowhere);
    REQUIRE_FALSE(loaded);
    CHECK_THAT(loaded.error().message, Catch::Contains("/nonexistent/b.ttf"));
    ScratchDir dir;
    { std::ofstream(dir / "fake.ttf") << "not a font"; }
    auto fake = loadFonts(FontSearch{{dir / "fake.ttf"}, {}, {}});
    REQUIRE_FALSE(fake);
    CHECK_THAT(fake.error().message, Catch::Contains("not a TrueType font"));
}

TEST_CASE("ticket: random valid content always lays out inside the margins") {
    std::mt19937 rng(0x5EED0004);
    const std::u32string alphabet = U"abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ éëïüçşğıłąę€–—0123456789,.()";
    auto randomText = [&](std::size_t maxLetters) {
        std::u32string text;
        for (std::size_t i = rng() % maxLetters + 1; i > 0; --i) text += alphabet[rng() % alphabet.size()];
        std::string utf8;
        for (char32_t cp : text) {
            if (cp < 0x80) utf8 += static_cast<char>(cp);
            else if (cp < 0x800) { utf8 += static_cast<char>(0xC0 | (cp >> 6)); utf8 += static_cast<char>(0x80 | (cp & 0x3F)); }
            else {
                utf8 += static_cast<char>(0xE0 | (cp >> 12));
                utf8 += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                utf8 += static_cast<char>(0x80 | (cp & 0x3F));
            }
        }
        return utf8;
    };
    for (int round = 0; round < 24; ++round) {
        const char* profileName = round % 2 ? "generic-58mm" : "epson-tm-t20iii";
        const auto p = profile(profileName);
        auto content = sampleWalkIn(round % 3 ? "nl" : "en");
        content.hallName = randomText(60);
        content.serviceLabel = randomText(120);
        content.bring = round % 4 ? randomText(200) : "";
        const int low = static_cast<int>(rng() % 60);
        content.waitLowMin = low;
        content.waitHighMin = low + static_cast<int>(rng() % 30);
        content.number = std::string(1, static_cast<char>('A' + rng() % 26)) + std::to_string(rng() % 1000);
        if (round % 5 == 0) content.appointmentTimeLocal = "14:45";
        CAPTURE(round, content.serviceLabel, content.bring);
        auto image = renderTicket(content, catalog(content.language), p, fonts());
        REQUIRE(image);
        CHECK(image->width() == p.printWidthDots);
        CHECK(columnsWhite(*image, 0, p.marginDots));
        CHECK(columnsWhite(*image, p.printWidthDots - p.marginDots, p.printWidthDots));
    }
}
