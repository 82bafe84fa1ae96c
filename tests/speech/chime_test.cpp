#include "shared/speech/chime.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace loket::speech;

TEST_CASE("chime: two soft tones of about a second, loud enough but never clipping") {
    Pcm chime = makeChime();
    CHECK(chime.seconds() == Approx(1.1).margin(0.01));
    CHECK(peakLevel(chime) > 10000);
    CHECK(peakLevel(chime) < 32000);
    Pcm quiet = chime;
    scaleVolume(quiet, 0.5);
    CHECK(peakLevel(quiet) == Approx(peakLevel(chime) / 2).margin(1));
}

TEST_CASE("chime: a WAV file round-trips, and a missing one is an error") {
    auto file = std::filesystem::temp_directory_path() / "loket_chime_test.wav";
    Pcm chime = makeChime();
    REQUIRE(writeWav(file, chime));
    auto loaded = loadWav(file);
    REQUIRE(loaded);
    CHECK(loaded->samples == chime.samples);
    std::filesystem::remove(file);
    auto missing = loadWav("/nonexistent/chime.wav");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("/nonexistent/chime.wav") != std::string::npos);
}

TEST_CASE("chime: the shipped chime file is the built-in chime") {
    auto shipped = loadWav(std::string(LOKET_SOURCE_DIR) + "/assets/sounds/chime.wav");
    REQUIRE(shipped);
    CHECK(shipped->samples == makeChime().samples);
}
