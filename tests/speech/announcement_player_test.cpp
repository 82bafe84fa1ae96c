#include "shared/speech/announcement_player.hpp"
#include "shared/speech/chime.hpp"
#include "shared/speech/sdl_audio_sink.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace loket::speech;

namespace {

// SDL's disk driver writes what it would have played to a file; with a delay of 0 it does not
// wait in real time.
std::filesystem::path useDiskAudio(const char* name, bool realTime) {
    auto file = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove(file);
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", file.c_str(), 1);
    if (realTime) unsetenv("SDL_DISKAUDIODELAY");
    else setenv("SDL_DISKAUDIODELAY", "0", 1);
    return file;
}

std::vector<std::int16_t> readSamples(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::int16_t> out(bytes.size() / 2);
    std::memcpy(out.data(), bytes.data(), out.size() * 2);
    return out;
}

Utterance call(const std::string& number, const std::string& counter) {
    return Utterance{number, {{"nl", "Nummer " + number.substr(0, 1) + " " + number.substr(1) + ", naar balie " + counter + "."}}};
}

} // namespace

TEST_CASE("announcements: calls play one after another, in order, each chime first, never over each other") {
    auto file = useDiskAudio("loket_announce_order.raw", false);
    auto synth = Synthesizer::create();
    REQUIRE(synth);
    PlayerSettings settings;
    settings.chime = makeChime();
    Pcm chime = *settings.chime;
    scaleVolume(chime, settings.volume);
    {
        auto sink = SdlAudioSink::open();
        REQUIRE(sink);
        AnnouncementPlayer player(*synth, **sink, settings);
        player.enqueue(call("A12", "3"));
        player.enqueue(call("B7", "1"));
        player.enqueue(Utterance{"A12-en", {{"nl", "Nummer A 12, naar balie 3."}, {"en", "Number A 12, to counter 3."}}});
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!player.idle() && std::chrono::steady_clock::now() < deadline) {
            REQUIRE(player.pump());
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        REQUIRE(player.idle());
        REQUIRE(player.startedLog().size() == 3);
        CHECK(player.startedLog()[0] == "nl: Nummer A 12, naar balie 3.");
        CHECK(player.startedLog()[1] == "nl: Nummer B 7, naar balie 1.");
        CHECK(player.startedLog()[2] == "nl: Nummer A 12, naar balie 3. | en: Number A 12, to counter 3.");
    }
    // In what the device played, each announcement starts with an intact chime, and each starts
    // only after the one before had time to finish (chime, pause, at least a second of speech).
    auto played = readSamples(file);
    std::vector<long> chimes;
    for (long from = 0;;) {
        auto it = std::search(played.begin() + from, played.end(), chime.samples.begin(), chime.samples.end());
        if (it == played.end()) break;
        chimes.push_back(static_cast<long>(it - played.begin()));
        from = chimes.back() + 1;
    }
    REQUIRE(chimes.size() == 3);
    const long minimum = static_cast<long>((chime.seconds() + settings.afterChimeS + 1.0) * kSampleRate);
    CHECK(chimes[1] - chimes[0] > minimum);
    CHECK(chimes[2] - chimes[1] > minimum);
    std::filesystem::remove(file);
}

TEST_CASE("announcements: the next call waits while the device is still speaking") {
    auto file = useDiskAudio("loket_announce_busy.raw", true);
    auto synth = Synthesizer::create();
    REQUIRE(synth);
    auto sink = SdlAudioSink::open();
    REQUIRE(sink);
    AnnouncementPlayer player(*synth, **sink, PlayerSettings{});
    player.enqueue(call("A1", "1"));
    player.enqueue(call("A2", "2"));
    REQUIRE(player.pump());
    CHECK(player.startedCount() == 1);
    REQUIRE(player.pump());
    CHECK(player.startedCount() == 1); // about 2 s of speech still queued in real time
    CHECK(player.pending() == 1);
    sink->reset();
    std::filesystem::remove(file);
}

TEST_CASE("announcements: a language without a voice is reported and the queue goes on") {
    auto file = useDiskAudio("loket_announce_voice.raw", false);
    auto synth = Synthesizer::create();
    REQUIRE(synth);
    auto sink = SdlAudioSink::open();
    REQUIRE(sink);
    AnnouncementPlayer player(*synth, **sink, PlayerSettings{});
    player.enqueue(Utterance{"x", {{"fy", "Nûmer A 1"}}});
    player.enqueue(call("A2", "2"));
    auto st = player.pump();
    REQUIRE_FALSE(st);
    CHECK(st.error().message.find("\"fy\"") != std::string::npos);
    REQUIRE(player.pump());
    CHECK(player.startedCount() == 1);
    sink->reset();
    std::filesystem::remove(file);
}
