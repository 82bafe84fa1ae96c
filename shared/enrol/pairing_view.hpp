// The pairing screen's content, for the kiosk and the display alike: what a device shows while
// it has no credential (device_enrolment.hpp). The texts are for staff and IT, not visitors:
// Dutch first, English below, from assets/lang/<code>/device.json. The code is shown in two
// groups of three digits ("483 921"), as the dashboard lists it. Pure: status and catalogs in,
// view-model out; each program draws it with its own theme (kiosk/pairing_screen.cpp,
// display/pairing_screen.cpp).
#pragma once

#include "shared/enrol/device_enrolment.hpp"
#include "shared/i18n/catalog.hpp"

#include <string>
#include <vector>

namespace loket::enrol {

// A text in the first language and its translation (empty when there is only one language).
struct TwoTexts {
    std::string first, second;
    bool operator==(const TwoTexts&) const = default;
};

struct PairingVm {
    std::string screenId;        // "pairing.code", "pairing.wait", + ".<notice>" when one is shown
    TwoTexts title;
    std::string code;            // "483 921"; empty while no code is there
    TwoTexts codeLabel;
    std::vector<TwoTexts> lines; // what to do, in order
    TwoTexts notice;             // what went wrong (empty: nothing), shown highlighted
    TwoTexts staffOnly;          // "this screen is for staff" (a kiosk stands among visitors)
    bool operator==(const PairingVm&) const = default;
};

PairingVm pairingView(const PairingStatus& status, const i18n::Catalog& first, const i18n::Catalog* second);
// Every key pairingView uses (a test checks them in Dutch and English).
std::vector<std::string> pairingTextKeys();
// "483921" → "483 921".
std::string groupedCode(const std::string& code);

} // namespace loket::enrol
