#include "voice.hpp"

#include <SDL.h>

namespace loket::kiosk {

Result<std::unique_ptr<Voice>> Voice::open() {
    auto synthesizer = speech::Synthesizer::create();
    if (!synthesizer) return synthesizer.error();
    SDL_AudioDeviceID device = 0;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0) {
        SDL_AudioSpec want{};
        want.freq = speech::kSampleRate;
        want.format = AUDIO_S16SYS;
        want.channels = 1;
        want.samples = 2048;
        device = SDL_OpenAudioDevice(nullptr, 0, &want, nullptr, 0);
        if (device != 0) SDL_PauseAudioDevice(device, 0);
    }
    return std::unique_ptr<Voice>(new Voice(std::move(*synthesizer), device));
}

Voice::~Voice() {
    if (m_device != 0) SDL_CloseAudioDevice(m_device);
}

Status Voice::say(const std::string& text, const std::string& language) {
    stop();
    m_log.push_back(language + ": " + text);
    auto pcm = m_synthesizer.speak(text, language, speech::Voice{language, 150});
    if (!pcm) return pcm.error();
    if (m_device != 0 && !pcm->samples.empty())
        SDL_QueueAudio(m_device, pcm->samples.data(), static_cast<Uint32>(pcm->samples.size() * sizeof(std::int16_t)));
    return Ok{};
}

void Voice::stop() {
    if (m_device != 0) SDL_ClearQueuedAudio(m_device);
}

} // namespace loket::kiosk
