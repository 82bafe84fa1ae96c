// Pcm: mono 16-bit audio in memory, the one format speech, chime and audio output exchange.
// Pure helpers: silence, volume, duration. Standard library only.
#pragma once

#include <cstdint>
#include <vector>

namespace loket::speech {

// espeak-ng produces 22,050 Hz; everything else is made or converted to match.
constexpr int kSampleRate = 22050;

struct Pcm {
    int sampleRate = kSampleRate;
    std::vector<std::int16_t> samples;

    double seconds() const { return sampleRate > 0 ? static_cast<double>(samples.size()) / sampleRate : 0.0; }
    void append(const Pcm& other) { samples.insert(samples.end(), other.samples.begin(), other.samples.end()); }
    void appendSilence(double secondsOfSilence);
};

// Multiplies every sample by `volume` (0–1), clipping at the 16-bit range.
void scaleVolume(Pcm& pcm, double volume);
// The largest absolute sample value (0 for silence).
int peakLevel(const Pcm& pcm);

} // namespace loket::speech
