#include "shared/speech/sdl_audio_sink.hpp"

#include <SDL.h>

namespace loket::speech {

Result<std::unique_ptr<SdlAudioSink>> SdlAudioSink::open(int sampleRate) {
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
        return makeError(ErrorCode::Unavailable, std::string("SDL audio could not start: ") + SDL_GetError());
    SDL_AudioSpec want{};
    want.freq = sampleRate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    SDL_AudioSpec have{};
    SDL_AudioDeviceID device = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
    if (device == 0) {
        std::string why = SDL_GetError();
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return makeError(ErrorCode::Unavailable, "no audio output device: " + why);
    }
    SDL_PauseAudioDevice(device, 0);
    return std::unique_ptr<SdlAudioSink>(new SdlAudioSink(device));
}

SdlAudioSink::~SdlAudioSink() {
    SDL_CloseAudioDevice(m_device);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void SdlAudioSink::play(const Pcm& pcm) {
    if (pcm.samples.empty()) return;
    SDL_QueueAudio(m_device, pcm.samples.data(), static_cast<Uint32>(pcm.samples.size() * sizeof(std::int16_t)));
}

bool SdlAudioSink::busy() const { return SDL_GetQueuedAudioSize(m_device) > 0; }

} // namespace loket::speech
