// Printer status: the answers to the ESC/POS real-time requests `DLE EOT 1…4` (printer,
// offline cause, error cause, paper roll sensor), read into plain flags and one typed fault.
// Each answer byte has bit 1 and bit 4 set and bits 0 and 7 clear; anything else is not a
// status byte (the printer is confused or something else answered), and is an error.
// Used by print_job (the kiosk's print call), the virtual printer, loket-print and the tests.
// Standard library only.
#pragma once

#include "shared/core/result.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace loket::ticket {

// What can stop or threaten a print, most severe last-checked first in `worstFault`.
enum class PrinterFault {
    None,
    PaperNearEnd,  // a warning: printing still works, staff should change the roll soon
    PaperOut,
    CoverOpen,
    CutterError,   // a recoverable or unrecoverable mechanical error
    Offline,       // does not answer, refuses the connection, or reports itself offline
    WriteTimeout,  // did not take the job's bytes within the write deadline (2 s by default)
};

// snake_case names as logs and the kiosk's heartbeat detail use them: "paper_out", …
const char* printerFaultName(PrinterFault fault);
// True for faults after which a ticket cannot have been printed (all but None, PaperNearEnd).
bool blocksPrinting(PrinterFault fault);

struct PrinterStatus {
    bool offline = false;
    bool coverOpen = false;
    bool paperOut = false;
    bool paperNearEnd = false;
    bool cutterError = false;
    bool unrecoverableError = false;
    bool autoRecoverableError = false; // e.g. the head is too hot; clears by itself

    // The one fault to act on: the most severe flag set (None when all is well).
    PrinterFault worstFault() const;
    bool operator==(const PrinterStatus&) const = default;
};

// The state names of the kiosk heartbeat (`detail.printer` in api.md): ok, paper_low,
// paper_out, cover_open, offline.
const char* heartbeatPrinterState(PrinterFault fault);

// The four request commands, in the order their answers are parsed.
std::vector<std::uint8_t> statusRequestBytes();
// Parses the four answer bytes to statusRequestBytes().
Result<PrinterStatus> parseStatusReply(std::span<const std::uint8_t> reply);
// The answer byte a printer in `status` gives to `DLE EOT n` (n = 1…4): the inverse of the
// parser, used by the virtual printer.
std::uint8_t statusReplyByte(const PrinterStatus& status, int n);

} // namespace loket::ticket
