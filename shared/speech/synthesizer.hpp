// Synthesizer: text to speech with espeak-ng (libespeak-ng), as 22,050 Hz mono PCM.
// Used by AnnouncementPlayer for calls and by the kiosk for reading screens aloud.
//
// espeak-ng keeps process-wide state; every Synthesizer shares it under one mutex, so calls from
// several threads are serialised (a 2-second call takes ~3 ms to synthesise).
#pragma once

#include "shared/core/result.hpp"
#include "shared/speech/pcm.hpp"

#include <string>
#include <string_view>

namespace loket::speech {

struct Voice {
    std::string name = "nl"; // espeak-ng voice ("nl", "en", "en-gb", "de", …)
    int wordsPerMinute = 150;
};

class Synthesizer {
public:
    // Fails when espeak-ng or its data cannot be loaded.
    static Result<Synthesizer> create();

    // Speaks plain text in `voice`. The text is prepared by prepareSpeechText first.
    Result<Pcm> speak(std::string_view text, std::string_view language, const Voice& voice) const;
};

// Turns a visitor-facing sentence into espeak-ng input (SSML with phoneme fixes):
// - a lone capital letter is spelled as a letter ("A 12" → "aa twaalf", "A 12" → "ay twelve");
// - Dutch "balie" gets its stress on the first syllable ([[b'a:li]]; espeak says ba-LIE);
// - a final period after a number is dropped (Dutch reads "3." as "derde");
// - XML special characters are escaped.
std::string prepareSpeechText(std::string_view text, std::string_view language);

} // namespace loket::speech
