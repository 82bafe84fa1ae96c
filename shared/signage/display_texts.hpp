// The words on a hall display, resolved once from the translation catalogs (assets/lang/<code>/
// display.json): Dutch first, English second. The view-model copies them in, so draw functions
// never look up keys. Also lists every key the display uses, for the missing-key test.
#pragma once

#include "shared/core/result.hpp"
#include "shared/i18n/catalog.hpp"

#include <string>
#include <vector>

namespace loket::signage {

// A text in the first language with its translation in the second ("Wachtend", "Waiting").
struct TwoLanguages {
    std::string first;
    std::string second;

    friend bool operator==(const TwoLanguages&, const TwoLanguages&) = default;
};

struct DisplayTexts {
    TwoLanguages nowServing;     // heading above the newest call
    TwoLanguages previous;       // heading of the previous calls
    TwoLanguages waiting;        // heading of the waiting list
    TwoLanguages disconnected;   // the "connection lost" mark
    TwoLanguages untrusted;      // the same mark when the server's certificate was refused (for IT)
    TwoLanguages counterClosed;  // counter-top screen of a closed counter
    TwoLanguages counterFree;    // counter-top screen with no number called
    std::string counterPattern;       // "Balie {counter}"
    std::string counterPatternSecond; // "Counter {counter}"
    std::string expectedWaitPattern;  // "± {min} min"
    std::string lang1 = "nl";
    std::string lang2 = "en";

    friend bool operator==(const DisplayTexts&, const DisplayTexts&) = default;
};

// Every `display.*` key the display reads (screen and voice).
const std::vector<std::string>& displayTextKeys();
DisplayTexts resolveDisplayTexts(const i18n::Catalog& first, const i18n::Catalog& second);
// The spoken call in one language: "Nummer {letter} {digits}, naar balie {counter}" filled in.
// `digits` drops leading zeros ("A012" → letter "A", digits "12"), as people say the number.
std::string spokenCallText(const i18n::Catalog& catalog, const std::string& number, const std::string& counterName,
                           bool recall);

} // namespace loket::signage
