#include "shared/speech/synthesizer.hpp"

#include <catch2/catch.hpp>

using namespace loket::speech;

TEST_CASE("speech: 'balie' is stressed on the first syllable, the ticket letter is spelled") {
    const std::string ssml = prepareSpeechText("Nummer A 12, naar balie 3.", "nl");
    CHECK(ssml == "<speak>Nummer <say-as interpret-as=\"characters\">A</say-as> 12, naar [[b'a:li]] 3</speak>");
}

TEST_CASE("speech: a final period after a number is dropped so Dutch does not say 'derde'") {
    CHECK(prepareSpeechText("naar balie 3.", "nl").find("3</speak>") != std::string::npos);
    CHECK(prepareSpeechText("Dank u.", "nl") == "<speak>Dank u.</speak>");
}

TEST_CASE("speech: English keeps 'balie' as written and markup characters are escaped") {
    CHECK(prepareSpeechText("balie <b> & co", "en") == "<speak>balie &lt;b&gt; &amp; co</speak>");
}

TEST_CASE("speech: espeak-ng speaks a call in Dutch and English") {
    auto synth = Synthesizer::create();
    REQUIRE(synth);
    auto nl = synth->speak("Nummer A 12, naar balie 3.", "nl", Voice{"nl", 150});
    auto again = synth->speak("Nummer A 12, naar balie 3.", "nl", Voice{"nl", 150});
    auto en = synth->speak("Number A 12, to counter 3.", "en", Voice{"en", 150});
    REQUIRE(nl);
    REQUIRE(en);
    CHECK(nl->sampleRate == kSampleRate);
    CHECK(nl->seconds() > 1.0);
    CHECK(nl->seconds() < 5.0);
    CHECK(peakLevel(*nl) > 3000);
    // espeak-ng carries a little state between sentences (the voice's flutter), so a repeat is
    // alike but not bit-identical within one process.
    CHECK(again->seconds() == Approx(nl->seconds()).epsilon(0.02));
    CHECK(nl->samples != en->samples);
}

TEST_CASE("speech: an unknown voice is a clear error") {
    auto synth = Synthesizer::create();
    REQUIRE(synth);
    auto bad = synth->speak("Hallo", "xx", Voice{"no-such-voice", 150});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("no-such-voice") != std::string::npos);
}
