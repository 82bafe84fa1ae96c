// The [[booking]] sections of the hall TOML.
#include "server/booking/booking_config.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>

using namespace loket;
using loket::server::booking::parseBookingConfig;

namespace {
const std::vector<std::string> kServices{"paspoort", "rijbewijs"};
}

TEST_CASE("jcc: a [[booking]] section is read with its secret from the environment, and the secret is never echoed") {
    ::setenv("LOKET_TEST_JCC_SECRET", "s3cr3t-jcc", 1);
    auto config = parseBookingConfig(R"(
[hall]
name = "x"

[[booking]]
system = "jcc"
endpoint = "https://afspraken.example/GenericGuidanceSystem2.asmx/"
location = "1"
username = "loket"
secret_env = "LOKET_TEST_JCC_SECRET"
pull_interval_s = 120
tomorrow_from = "16:30"

[booking.products]
"1" = "paspoort"
"2" = "rijbewijs"
)",
                                     kServices);
    REQUIRE(config);
    REQUIRE(config->size() == 1);
    const auto& c = config->front();
    CHECK(c.name == "jcc");
    CHECK(c.endpoint == "https://afspraken.example/GenericGuidanceSystem2.asmx");
    CHECK(c.secret == "s3cr3t-jcc");
    CHECK(c.pullInterval == std::chrono::seconds(120));
    CHECK(c.lookupTimeout == std::chrono::milliseconds(2000));
    CHECK(c.tomorrowFromS == 16 * 3600 + 30 * 60);
    CHECK(c.products.at("2") == "rijbewijs");
    ::unsetenv("LOKET_TEST_JCC_SECRET");
}

TEST_CASE("qmatic: configuration mistakes are named with their section and key") {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"[[booking]]\nsystem = \"sap\"\nendpoint = \"https://x\"\nlocation = \"1\"", "'sap' is not one of"},
        {"[[booking]]\nsystem = \"qmatic\"\nendpoint = \"https://x\"\nlocation = \"b1\"\n[booking.products]\n\"a\" = \"paspoort\"",
         "Qmatic needs its API key"},
        {"[[booking]]\nsystem = \"qmatic\"\nendpoint = \"https://x\"\nlocation = \"b1\"\nsecret_env = \"LOKET_TEST_UNSET_VAR\"\n"
         "[booking.products]\n\"a\" = \"paspoort\"",
         "LOKET_TEST_UNSET_VAR is not set"},
        {"[[booking]]\nsystem = \"ics\"\nendpoint = \"ftp://x\"\n[booking.products]\n\"a\" = \"paspoort\"", "endpoint: must start with https://"},
        {"[[booking]]\nsystem = \"ics\"\nendpoint = \"https://x\"\n[booking.products]\n\"a\" = \"bouwvergunning\"",
         "'bouwvergunning' is not a configured service"},
        {"[[booking]]\nsystem = \"ics\"\nendpoint = \"https://x\"", "products: missing"},
        {"[[booking]]\nsystem = \"ics\"\nendpoint = \"https://x\"\ncolour = \"blue\"", "unknown key 'colour'"},
        {"[[booking]]\nsystem = \"ics\"\nendpoint = \"https://x\"\ntomorrow_from = \"25:00\"\n[booking.products]\n\"a\" = \"paspoort\"",
         "tomorrow_from"},
    };
    for (const auto& [toml, expected] : cases) {
        CAPTURE(toml);
        auto config = parseBookingConfig(toml, kServices);
        REQUIRE_FALSE(config);
        CHECK(config.error().code == ErrorCode::ConfigError);
        CHECK(config.error().message.find(expected) != std::string::npos);
    }
}

TEST_CASE("ics feed: a hall without [[booking]] has no connectors") {
    auto config = parseBookingConfig("[hall]\nname = \"x\"\n", kServices);
    REQUIRE(config);
    CHECK(config->empty());
}

namespace {

// A city of two locations; noord's services are its own (no passports there).
const std::string kCity = R"([hall]
name = "Rijnwaarde"

[[location]]
id = "stadhuis"
name = "Stadhuis"

[[location.booking]]
system = "jcc"
endpoint = "https://jcc.example/GenericGuidanceSystem2.asmx"
location = "1"

[location.booking.products]
"1" = "paspoort"

[[location]]
id = "noord"
name = "Noord"

[[location.booking]]
system = "ics"
endpoint = "https://agenda.example/noord.ics"

[location.booking.products]
"Ophalen" = "ophalen"
)";

const std::map<std::string, std::vector<std::string>> kCityServices{{"stadhuis", {"paspoort", "ophalen"}}, {"noord", {"ophalen"}}};

std::string cityError(const std::string& text) {
    auto config = loket::server::booking::parseLocationBookingConfig(text, "city.toml", kCityServices);
    REQUIRE_FALSE(config);
    CHECK(config.error().code == ErrorCode::ConfigError);
    return config.error().message;
}

} // namespace

TEST_CASE("locations: each [[location.booking]] belongs to its location, with that location's services") {
    auto config = loket::server::booking::parseLocationBookingConfig(kCity, "city.toml", kCityServices);
    REQUIRE(config);
    REQUIRE(config->size() == 2);
    REQUIRE(config->at("stadhuis").size() == 1);
    CHECK(config->at("stadhuis")[0].name == "jcc");
    CHECK(config->at("stadhuis")[0].location == "1"); // the booking system's own location id
    CHECK(config->at("stadhuis")[0].products.at("1") == "paspoort");
    REQUIRE(config->at("noord").size() == 1);
    CHECK(config->at("noord")[0].system == loket::booking::System::Ics);
    CHECK(config->at("noord")[0].products.at("Ophalen") == "ophalen");
    // The same connector name in two locations is fine: each location's connectors are its own.
    std::string twice = kCity;
    twice.replace(twice.find("system = \"ics\""), 14, "system = \"ics\"\nname = \"jcc\"");
    CHECK(loket::server::booking::parseLocationBookingConfig(twice, "city.toml", kCityServices));
}

TEST_CASE("locations: booking mistakes in a city's file name the file, the line and the field") {
    // A product mapped to a service another location has, but this one does not.
    std::string text = kCity;
    text.replace(text.find("\"Ophalen\" = \"ophalen\""), 21, "\"Paspoort\" = \"paspoort\"");
    CHECK(cityError(text) == "city.toml:25: location 'noord'.booking 'ics'.products.Paspoort: 'paspoort' is not a configured service of the location");
    // A [[booking]] at the top of a file with locations: which location would it fill?
    CHECK(cityError("[[booking]]\nsystem = \"ics\"\nendpoint = \"https://x\"\n\n" + kCity) ==
          "city.toml:1: booking: put it inside its [[location]] ([[location.booking]]) when the file names locations");
    // A mistake inside a location's connector.
    text = kCity;
    text.replace(text.find("https://agenda.example/noord.ics"), 32, "ftp://agenda.example/noord.ics");
    CHECK(cityError(text) == "city.toml:22: location 'noord'.booking 'ics'.endpoint: must start with https:// (or http:// on a closed network)");
}
