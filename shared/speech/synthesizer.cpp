#include "shared/speech/synthesizer.hpp"

#include <espeak-ng/speak_lib.h>

#include <cctype>
#include <cstring>
#include <mutex>

namespace loket::speech {
namespace {

// espeak-ng is one process-wide engine: one lock, one initialisation.
std::mutex& engineMutex() {
    static std::mutex m;
    return m;
}

int engineSampleRate() {
    static int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
    return rate;
}

int collect(short* wav, int count, espeak_EVENT* events) {
    if (wav && count > 0 && events) {
        auto* out = static_cast<Pcm*>(events->user_data);
        out->samples.insert(out->samples.end(), wav, wav + count);
    }
    return 0; // continue
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string escapeXml(std::string_view word) {
    std::string out;
    for (char c : word) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

} // namespace

std::string prepareSpeechText(std::string_view text, std::string_view language) {
    std::string trimmed(text);
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
    if (trimmed.size() >= 2 && trimmed.back() == '.' && std::isdigit(static_cast<unsigned char>(trimmed[trimmed.size() - 2])))
        trimmed.pop_back();

    std::string out = "<speak>";
    std::size_t i = 0;
    while (i < trimmed.size()) {
        if (std::isspace(static_cast<unsigned char>(trimmed[i]))) {
            out += trimmed[i++];
            continue;
        }
        std::size_t end = i;
        while (end < trimmed.size() && !std::isspace(static_cast<unsigned char>(trimmed[end]))) ++end;
        std::string_view token(trimmed.data() + i, end - i);
        // Split trailing punctuation so "balie," still matches the word.
        std::size_t wordEnd = token.size();
        while (wordEnd > 0 && std::ispunct(static_cast<unsigned char>(token[wordEnd - 1]))) --wordEnd;
        std::string_view word = token.substr(0, wordEnd);
        std::string_view tail = token.substr(wordEnd);
        if (word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0]))) {
            out += "<say-as interpret-as=\"characters\">" + std::string(word) + "</say-as>";
        } else if (language == "nl" && lower(word) == "balie") {
            out += "[[b'a:li]]";
        } else {
            out += escapeXml(word);
        }
        out += escapeXml(tail);
        i = end;
    }
    out += "</speak>";
    return out;
}

Result<Synthesizer> Synthesizer::create() {
    std::lock_guard lock(engineMutex());
    if (engineSampleRate() <= 0)
        return makeError(ErrorCode::Unavailable, "espeak-ng could not start (is espeak-ng-data installed?)");
    return Synthesizer{};
}

Result<Pcm> Synthesizer::speak(std::string_view text, std::string_view language, const Voice& voice) const {
    std::lock_guard lock(engineMutex());
    const int rate = engineSampleRate();
    if (rate <= 0) return makeError(ErrorCode::Unavailable, "espeak-ng is not available");
    if (espeak_SetVoiceByName(voice.name.c_str()) != EE_OK)
        return makeError(ErrorCode::InvalidValue, "espeak-ng has no voice \"" + voice.name + "\"");
    espeak_SetParameter(espeakRATE, voice.wordsPerMinute, 0);
    espeak_SetSynthCallback(collect);
    const std::string input = prepareSpeechText(text, language);
    Pcm pcm;
    pcm.sampleRate = rate;
    const espeak_ERROR rc = espeak_Synth(input.c_str(), input.size() + 1, 0, POS_CHARACTER, 0,
                                         espeakCHARS_UTF8 | espeakSSML | espeakPHONEMES, nullptr, &pcm);
    if (rc != EE_OK) return makeError(ErrorCode::Internal, "espeak-ng could not speak: " + std::string(text));
    espeak_Synchronize();
    if (pcm.samples.empty()) return makeError(ErrorCode::Internal, "espeak-ng produced no audio for: " + std::string(text));
    return pcm;
}

} // namespace loket::speech
