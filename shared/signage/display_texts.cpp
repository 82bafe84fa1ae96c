#include "shared/signage/display_texts.hpp"

#include "shared/core/ticket.hpp"

namespace loket::signage {

const std::vector<std::string>& displayTextKeys() {
    static const std::vector<std::string> keys{
        "display.now.title",        "display.previous.title",   "display.waiting.title",
        "display.disconnected",     "display.untrusted",     "display.counter.closed",   "display.counter.free",
        "display.call.counter",     "display.waiting.expected", "display.voice.call",
        "display.voice.recall",
    };
    return keys;
}

DisplayTexts resolveDisplayTexts(const i18n::Catalog& a, const i18n::Catalog& b) {
    auto two = [&](const char* key) { return TwoLanguages{a.text(key), b.text(key)}; };
    DisplayTexts t;
    t.nowServing = two("display.now.title");
    t.previous = two("display.previous.title");
    t.waiting = two("display.waiting.title");
    t.disconnected = two("display.disconnected");
    t.untrusted = two("display.untrusted");
    t.counterClosed = two("display.counter.closed");
    t.counterFree = two("display.counter.free");
    t.counterPattern = a.text("display.call.counter");
    t.counterPatternSecond = b.text("display.call.counter");
    t.expectedWaitPattern = a.text("display.waiting.expected");
    t.lang1 = a.language();
    t.lang2 = b.language();
    return t;
}

std::string spokenCallText(const i18n::Catalog& catalog, const std::string& number, const std::string& counterName,
                           bool recall) {
    const core::SpokenNumber spoken = core::spokenNumber(number);
    return catalog.text(recall ? "display.voice.recall" : "display.voice.call",
                        {{"letter", spoken.letter}, {"digits", spoken.digits}, {"counter", counterName}});
}

} // namespace loket::signage
