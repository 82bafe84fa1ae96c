#include "shared/speech/pcm.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace loket::speech {

void Pcm::appendSilence(double secondsOfSilence) {
    if (secondsOfSilence <= 0) return;
    samples.insert(samples.end(), static_cast<std::size_t>(std::lround(secondsOfSilence * sampleRate)), 0);
}

void scaleVolume(Pcm& pcm, double volume) {
    volume = std::clamp(volume, 0.0, 1.0);
    for (auto& s : pcm.samples) s = static_cast<std::int16_t>(std::clamp<long>(std::lround(s * volume), -32768, 32767));
}

int peakLevel(const Pcm& pcm) {
    int peak = 0;
    for (auto s : pcm.samples) peak = std::max(peak, std::abs(static_cast<int>(s)));
    return peak;
}

} // namespace loket::speech
