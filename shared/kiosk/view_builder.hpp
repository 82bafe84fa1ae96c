// Builds the view-model of the current screen from the flow's state and the catalog of the
// visitor's language. All words come from `kiosk.*` keys (assets/lang/<code>/kiosk.json); the
// only texts taken as given are service names, lines and "bring" texts, which the server holds
// in every language, and the time, number or date taken from the server's answer.
// Used by loket-kiosk (each frame it needs) and the tests. Depends on the i18n catalog and the
// QR encoder of shared/ticket.
#pragma once

#include "flow.hpp"
#include "shared/i18n/catalog.hpp"
#include "view_model.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace loket::kiosk {

KioskVm buildView(const Flow& flow, const i18n::Catalog& catalog);

// "A012" → "A 12": a letter and a number, as the display speaks it too.
std::string spokenTicketNumber(std::string_view number);
// The keys every shipped language must have (tests check each kiosk.json against it).
const std::vector<std::string>& kioskTextKeys();
// The pictogram for a service id of the example hall; Document for any other.
Pictogram pictogramForService(std::string_view serviceId);
// The on-screen keyboard: letters and the digits 2–9 (0 and 1 never occur in a code).
const std::vector<std::string>& keyboardRows();

} // namespace loket::kiosk
