#include "shared/speech/chime.hpp"

#include <SDL.h>

#include <cmath>
#include <cstring>
#include <fstream>

namespace loket::speech {

Pcm makeChime(int sampleRate) {
    Pcm pcm;
    pcm.sampleRate = sampleRate;
    const double tones[] = {659.25, 523.25}; // E5, C5
    const double toneS = 0.55;
    for (double freq : tones) {
        const int n = static_cast<int>(toneS * sampleRate);
        for (int i = 0; i < n; ++i) {
            const double t = static_cast<double>(i) / sampleRate;
            const double attack = std::min(1.0, t / 0.01);
            const double envelope = attack * std::exp(-t * 5.0);
            // A bell: the fundamental with a quieter octave partial.
            const double v = std::sin(2 * M_PI * freq * t) + 0.3 * std::sin(2 * M_PI * 2 * freq * t);
            pcm.samples.push_back(static_cast<std::int16_t>(std::lround(v / 1.3 * envelope * 0.6 * 32767)));
        }
    }
    return pcm;
}

Result<Pcm> loadWav(const std::filesystem::path& file, int sampleRate) {
    SDL_AudioSpec spec;
    Uint8* buffer = nullptr;
    Uint32 length = 0;
    if (!SDL_LoadWAV(file.string().c_str(), &spec, &buffer, &length))
        return makeError(ErrorCode::Io, "cannot read the chime " + file.string() + ": " + SDL_GetError());
    SDL_AudioCVT cvt;
    if (SDL_BuildAudioCVT(&cvt, spec.format, spec.channels, spec.freq, AUDIO_S16SYS, 1, sampleRate) < 0) {
        SDL_FreeWAV(buffer);
        return makeError(ErrorCode::InvalidValue, "cannot convert " + file.string() + ": " + SDL_GetError());
    }
    std::vector<Uint8> work(static_cast<std::size_t>(length) * static_cast<std::size_t>(std::max(1, cvt.len_mult)));
    std::memcpy(work.data(), buffer, length);
    SDL_FreeWAV(buffer);
    cvt.buf = work.data();
    cvt.len = static_cast<int>(length);
    if (cvt.needed && SDL_ConvertAudio(&cvt) < 0)
        return makeError(ErrorCode::InvalidValue, "cannot convert " + file.string() + ": " + SDL_GetError());
    const int bytes = cvt.needed ? cvt.len_cvt : static_cast<int>(length);
    Pcm pcm;
    pcm.sampleRate = sampleRate;
    pcm.samples.resize(static_cast<std::size_t>(bytes) / 2);
    std::memcpy(pcm.samples.data(), work.data(), pcm.samples.size() * 2);
    return pcm;
}

Status writeWav(const std::filesystem::path& file, const Pcm& pcm) {
    std::ofstream out(file, std::ios::binary);
    if (!out) return makeError(ErrorCode::Io, "cannot write " + file.string());
    auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    const std::uint32_t dataBytes = static_cast<std::uint32_t>(pcm.samples.size() * 2);
    out.write("RIFF", 4);
    u32(36 + dataBytes);
    out.write("WAVEfmt ", 8);
    u32(16);
    u16(1); // PCM
    u16(1); // mono
    u32(static_cast<std::uint32_t>(pcm.sampleRate));
    u32(static_cast<std::uint32_t>(pcm.sampleRate * 2));
    u16(2);
    u16(16);
    out.write("data", 4);
    u32(dataBytes);
    out.write(reinterpret_cast<const char*>(pcm.samples.data()), dataBytes);
    if (!out) return makeError(ErrorCode::Io, "cannot write " + file.string());
    return Ok{};
}

} // namespace loket::speech
