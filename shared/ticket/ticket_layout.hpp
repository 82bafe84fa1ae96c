// The ticket layout: TicketContent + the visitor's language + a printer profile → the 1-bit
// image the printer prints. Everything on paper comes from `ticket.*` keys in
// assets/lang/<code>/ticket.json; the only texts taken as given are the hall name, the number,
// the service label, the times and the "bring" line, which the server already has in the
// visitor's language.
// Top to bottom: hall name, "Uw nummer", the number as large as fits, the service, the
// appointment time, the expected wait, "watch the screen", what to bring, the QR code with a
// line on what it is for, the time of issue and the privacy line. All of it centred.
// Used by the kiosk and loket-print. Depends on the fonts, the QR code and the i18n catalog.
#pragma once

#include "bitmap.hpp"
#include "font.hpp"
#include "printer_profile.hpp"
#include "shared/core/result.hpp"
#include "shared/i18n/catalog.hpp"
#include "ticket_content.hpp"

#include <string>
#include <vector>

namespace loket::ticket {

// The translation keys the layout reads; every shipped language must have all of them.
const std::vector<std::string>& ticketTextKeys();

// Checks the content (fields present, sizes sane, UTF-8 valid, wait range ordered, language
// matches the catalog) and draws it. The bitmap is `profile.printWidthDots` wide and as tall as
// the content. Errors: `invalid_value` / `missing_field` naming the field, `not_found` for a
// key the catalog lacks.
Result<Bitmap> renderTicket(const TicketContent& content, const i18n::Catalog& catalog,
                            const PrinterProfile& profile, const Fonts& fonts);

} // namespace loket::ticket
