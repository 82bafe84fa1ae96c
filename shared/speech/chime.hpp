// The chime before each call: a soft two-tone "ding-dong" synthesised here (no file needed), or
// a WAV file from assets/sounds/ converted to the speech format. Used by AnnouncementPlayer.
#pragma once

#include "shared/core/result.hpp"
#include "shared/speech/pcm.hpp"

#include <filesystem>

namespace loket::speech {

// Two bell tones (E5 then C5), each with a quick attack and an exponential decay; 1.1 s.
Pcm makeChime(int sampleRate = kSampleRate);
// Any WAV SDL can read, converted to mono 16-bit at `sampleRate`.
Result<Pcm> loadWav(const std::filesystem::path& file, int sampleRate = kSampleRate);
// Writes mono 16-bit PCM as a WAV file (tests, and assets/sounds/chime.wav).
Status writeWav(const std::filesystem::path& file, const Pcm& pcm);

} // namespace loket::speech
