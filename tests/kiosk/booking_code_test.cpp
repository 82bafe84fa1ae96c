#include "kiosk_test_support.hpp"

#include "shared/kiosk/booking_code.hpp"

using namespace loket::kiosk;

TEST_CASE("booking code: Loket's own code is recognised however it was typed") {
    auto r = BookingCodeRecognizer::create({});
    REQUIRE(r);
    CHECK(r->recognise("K7Q2MX") == "K7Q2MX");
    CHECK(r->recognise("  k7q-2mx ") == "K7Q2MX");
    CHECK(r->recognise("K7Q 2MX") == "K7Q2MX");
    CHECK_FALSE(r->recognise("K7Q2M").has_value());        // too short
    CHECK_FALSE(r->recognise("K7Q2MXK7Q2M").has_value());  // too long
    CHECK_FALSE(r->recognise("K7Q0MX").has_value());       // 0 never occurs in a code
    CHECK_FALSE(r->recognise("").has_value());
}

TEST_CASE("booking code: a configured pattern takes the code out of another system's QR content") {
    auto r = BookingCodeRecognizer::create({{"jcc", R"(https://afspraak\.example\.nl/bevestiging\?code=([a-zA-Z2-9]+)&.*)", 1},
                                            {"prefix", R"(GEM-([A-Z2-9]{6,10}))", 1}});
    REQUIRE(r);
    CHECK(r->recognise("https://afspraak.example.nl/bevestiging?code=k7q2mx&lang=nl") == "K7Q2MX");
    CHECK(r->recognise("GEM-ABCDEF23") == "ABCDEF23");
    // A foreign code the server cannot hold is no code at all.
    CHECK_FALSE(r->recognise("https://afspraak.example.nl/bevestiging?code=abc&lang=nl").has_value());
    CHECK_FALSE(r->recognise("https://elders.example/x").has_value());
}

TEST_CASE("booking code: a broken pattern is an error that names it") {
    auto bad = BookingCodeRecognizer::create({{"kapot", "([A-Z", 1}});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("kapot") != std::string::npos);
    auto noGroup = BookingCodeRecognizer::create({{"geen-groep", "[A-Z]+", 1}});
    REQUIRE_FALSE(noGroup);
    CHECK(noGroup.error().message.find("capture group") != std::string::npos);
}

TEST_CASE("booking code: very long scanner input is not a code") {
    auto r = BookingCodeRecognizer::create({});
    REQUIRE(r);
    CHECK_FALSE(r->recognise(std::string(kMaxCodeInput + 1, 'A')).has_value());
}
