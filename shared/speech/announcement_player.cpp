#include "shared/speech/announcement_player.hpp"

namespace loket::speech {

namespace {
constexpr std::size_t kLogLength = 200;
}

std::string describe(const Utterance& utterance) {
    std::string out;
    for (auto& part : utterance.parts) {
        if (!out.empty()) out += " | ";
        out += part.language + ": " + part.text;
    }
    return out;
}

AnnouncementPlayer::AnnouncementPlayer(Synthesizer synthesizer, AudioSink& sink, PlayerSettings settings)
    : m_synthesizer(synthesizer), m_sink(sink), m_settings(std::move(settings)) {}

void AnnouncementPlayer::enqueue(Utterance utterance) { m_queue.push_back(std::move(utterance)); }

Result<Pcm> AnnouncementPlayer::render(const Utterance& utterance) const {
    Pcm out;
    if (m_settings.chime) {
        out.append(*m_settings.chime);
        out.appendSilence(m_settings.afterChimeS);
    }
    bool first = true;
    for (auto& part : utterance.parts) {
        auto voice = m_settings.voices.find(part.language);
        if (voice == m_settings.voices.end())
            return makeError(ErrorCode::InvalidValue, "no voice configured for language \"" + part.language + "\"");
        auto speech = m_synthesizer.speak(part.text, part.language, voice->second);
        if (!speech) return speech.error();
        if (!first) out.appendSilence(m_settings.betweenLanguagesS);
        out.append(*speech);
        first = false;
    }
    scaleVolume(out, m_settings.volume);
    return out;
}

Status AnnouncementPlayer::pump() {
    if (m_queue.empty() || m_sink.busy()) return Ok{};
    Utterance next = std::move(m_queue.front());
    m_queue.pop_front();
    auto pcm = render(next);
    if (!pcm) return pcm.error();
    m_sink.play(*pcm);
    ++m_started;
    m_log.push_back(describe(next));
    if (m_log.size() > kLogLength) m_log.pop_front();
    return Ok{};
}

} // namespace loket::speech
