// Voice: the kiosk reading its screens aloud with espeak-ng (shared/speech's Synthesizer) through
// an SDL audio device. Unlike the display's announcement queue, guidance is interruptible: a new
// screen or a key press cuts off what is still being said, and "Voorlezen uit" stops at once.
// Everything said is also kept in a log (tests check that no booking code is ever in it).
#pragma once

#include "shared/core/result.hpp"
#include "shared/speech/synthesizer.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace loket::kiosk {

class Voice {
public:
    // Opens the default audio output. Without audio (no device) the voice still synthesises and
    // logs, so a headless kiosk behaves the same; `audible()` tells which.
    static Result<std::unique_ptr<Voice>> open();
    ~Voice();
    Voice(const Voice&) = delete;
    Voice& operator=(const Voice&) = delete;

    // Stops what is playing and says `text` in `language` (espeak-ng voice of that code).
    Status say(const std::string& text, const std::string& language);
    void stop();
    bool audible() const { return m_device != 0; }
    const std::vector<std::string>& log() const { return m_log; }

private:
    Voice(speech::Synthesizer synthesizer, std::uint32_t device) : m_synthesizer(std::move(synthesizer)), m_device(device) {}
    speech::Synthesizer m_synthesizer;
    std::uint32_t m_device = 0;
    std::vector<std::string> m_log;
};

} // namespace loket::kiosk
