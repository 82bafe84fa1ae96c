#include "shared/signage/display_texts.hpp"

#include <catch2/catch.hpp>

using namespace loket;

TEST_CASE("display texts: every display key exists in every shipped language") {
    const std::string assets = std::string(LOKET_SOURCE_DIR) + "/assets";
    for (auto& lang : i18n::shippedLanguages(assets)) {
        auto catalog = i18n::loadCatalog(assets, lang);
        REQUIRE(catalog);
        for (auto& key : signage::displayTextKeys()) {
            INFO(lang << ": " << key);
            CHECK(catalog->has(key));
        }
    }
}

TEST_CASE("display texts: a call is spoken as a letter and a number, not digit by digit") {
    auto nl = i18n::loadCatalog(std::string(LOKET_SOURCE_DIR) + "/assets", "nl");
    REQUIRE(nl);
    CHECK(signage::spokenCallText(*nl, "A012", "3", false) == "Nummer A 12, naar balie 3.");
    CHECK(signage::spokenCallText(*nl, "B100", "12", true) == "Nogmaals: nummer B 100, naar balie 12.");
    CHECK(signage::spokenCallText(*nl, "R000", "1", false) == "Nummer R 0, naar balie 1.");
}
