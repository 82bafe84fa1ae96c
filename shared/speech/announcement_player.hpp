// AnnouncementPlayer: the queue of spoken announcements. Each announcement is a chime and then
// its sentences, one language after the other; announcements play strictly one after another,
// never over each other, in the order they were queued. Queue an announcement again to say it
// again (a recall); the caller decides what is worth saying (signage::SignageModel does).
//
// Single-threaded: call pump() from the main loop, after the frame that shows the call has been
// presented, so the screen is never later than the sound.
#pragma once

#include "shared/core/result.hpp"
#include "shared/speech/audio_sink.hpp"
#include "shared/speech/synthesizer.hpp"

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace loket::speech {

struct SpokenPart {
    std::string language; // "nl"
    std::string text;     // "Nummer A 12, naar balie 3."
};

struct Utterance {
    std::string key; // for logs and tests
    std::vector<SpokenPart> parts;
};

struct PlayerSettings {
    std::map<std::string, Voice> voices{{"nl", Voice{"nl", 150}}, {"en", Voice{"en", 150}}};
    double volume = 0.8;
    std::optional<Pcm> chime; // none: no chime
    double afterChimeS = 0.25;
    double betweenLanguagesS = 0.7;
};

class AnnouncementPlayer {
public:
    AnnouncementPlayer(Synthesizer synthesizer, AudioSink& sink, PlayerSettings settings);

    void enqueue(Utterance utterance);
    // When the device is idle, synthesises the next announcement and starts it. An announcement
    // that cannot be synthesised is dropped and its error returned (the queue goes on).
    Status pump();

    std::size_t pending() const { return m_queue.size(); }
    bool idle() const { return m_queue.empty() && !m_sink.busy(); }
    // The announcements started so far (the last 200), oldest first: "nl: … | en: …".
    const std::deque<std::string>& startedLog() const { return m_log; }
    std::size_t startedCount() const { return m_started; }

    // Chime + every part as one PCM buffer (what pump() plays), exposed for tests and the kiosk.
    Result<Pcm> render(const Utterance& utterance) const;

private:
    Synthesizer m_synthesizer;
    AudioSink& m_sink;
    PlayerSettings m_settings;
    std::deque<Utterance> m_queue;
    std::deque<std::string> m_log;
    std::size_t m_started = 0;
};

// "nl: Nummer A 12, naar balie 3. | en: Number A 12, to counter 3."
std::string describe(const Utterance& utterance);

} // namespace loket::speech
