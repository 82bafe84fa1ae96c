// SdlAudioSink: plays PCM through an SDL audio device with SDL_QueueAudio (no callback thread
// of ours). Works with every SDL audio driver; tests use `disk` (SDL_DISKAUDIOFILE,
// SDL_DISKAUDIODELAY=0, so nothing waits in real time) or `dummy`.
#pragma once

#include "shared/core/result.hpp"
#include "shared/speech/audio_sink.hpp"

#include <cstdint>
#include <memory>

namespace loket::speech {

class SdlAudioSink final : public AudioSink {
public:
    // Opens the default output device for mono 16-bit at `sampleRate` (SDL converts if needed).
    static Result<std::unique_ptr<SdlAudioSink>> open(int sampleRate = kSampleRate);
    ~SdlAudioSink() override;
    SdlAudioSink(const SdlAudioSink&) = delete;
    SdlAudioSink& operator=(const SdlAudioSink&) = delete;

    void play(const Pcm& pcm) override;
    bool busy() const override;

private:
    explicit SdlAudioSink(std::uint32_t device) : m_device(device) {}
    std::uint32_t m_device = 0;
};

} // namespace loket::speech
