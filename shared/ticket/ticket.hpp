// loket::ticket — printed queue tickets: layout to a 1-bit image, ESC/POS, printer status and
// transports. The kiosk needs only this header. A ticket is printed in four calls:
//
//   auto fonts   = loket::ticket::loadFonts();                       // once, at start-up
//   auto profile = loket::ticket::loadPrinterProfile("firmware-config/printers/epson-tm-t20iii.toml");
//   auto image   = loket::ticket::renderTicket(content, catalog, *profile, *fonts);   // Result<Bitmap>
//   auto bytes   = loket::ticket::encodeEscPos(*image, *profile);    // std::vector<uint8_t>
//   auto outcome = loket::ticket::printJob("tcp:192.168.1.50:9100", bytes, *profile); // worker thread
//
// `content` is a TicketContent the kiosk fills from the server's ticket JSON; `catalog` is the
// visitor's language (`loket::i18n::loadCatalog(assets, "nl")`). `outcome.printed` says whether
// the printer took the job and `outcome.fault` why not (paper_out, cover_open, offline,
// write_timeout) or what to warn about (paper_near_end: printed, change the roll soon);
// `heartbeatPrinterState(outcome.fault)` is the heartbeat's `detail.printer`.
// For a status check without printing: `openTransport(spec)` then `queryStatus(*transport)`.
//
// Dependency rule: this library depends on loket::core (Result), loket::i18n (Catalog), libstb,
// libqrencode, toml++ and POSIX — never on the server model, the network client or any UI.
#pragma once

#include "bitmap.hpp"
#include "escpos_decoder.hpp"
#include "escpos_encoder.hpp"
#include "font.hpp"
#include "print_job.hpp"
#include "printer_profile.hpp"
#include "printer_status.hpp"
#include "qr_code.hpp"
#include "ticket_content.hpp"
#include "ticket_layout.hpp"
#include "transport.hpp"
