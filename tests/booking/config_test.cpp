// The [[booking]] sections of the hall TOML.
#include "server/booking/booking_config.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

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
