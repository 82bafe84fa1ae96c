// AudioSink: where finished announcements go. The real one is SdlAudioSink (SDL audio queue);
// the interface exists so the kiosk can route speech to the same device as its own sounds.
#pragma once

#include "shared/speech/pcm.hpp"

namespace loket::speech {

class AudioSink {
public:
    virtual ~AudioSink() = default;
    // Starts playing `pcm` after whatever is still queued.
    virtual void play(const Pcm& pcm) = 0;
    // True while queued audio has not been handed to the device yet.
    virtual bool busy() const = 0;
};

} // namespace loket::speech
