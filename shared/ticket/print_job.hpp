// Printing a job and asking a printer how it is, with deadlines, and the typed fault the kiosk
// shows and reports in its heartbeat. The kiosk calls printJob from its worker thread (never the
// UI thread: a stalled printer may take the full write deadline to be noticed).
// Depends on the transports and the status parser.
#pragma once

#include "printer_profile.hpp"
#include "printer_status.hpp"
#include "transport.hpp"

#include <optional>
#include <string>

namespace loket::ticket {

inline constexpr std::chrono::milliseconds kWriteTimeout{2000};
inline constexpr std::chrono::milliseconds kStatusTimeout{1000};

// Sends DLE EOT 1…4 and parses the four answers. Errors: `unavailable` when the transport
// cannot read (file, write-only device), `timeout` when the printer does not answer in time,
// `invalid_value` for answers that are not status bytes, `io_error` for a broken connection.
Result<PrinterStatus> queryStatus(Transport& transport, std::chrono::milliseconds timeout = kStatusTimeout);

// Writes the bytes; `timeout` (typed fault write_timeout) when the printer does not take them all
// within the deadline.
Status printBytes(Transport& transport, std::span<const std::uint8_t> bytes,
                  std::chrono::milliseconds timeout = kWriteTimeout);

struct PrintOutcome {
    bool printed = false;           // the printer took every byte of the job
    PrinterFault fault = PrinterFault::None; // PaperNearEnd may come with printed == true
    std::string detail;             // for the log, never for the visitor
    std::optional<PrinterStatus> status; // as reported before printing, when the printer answers
};

// The kiosk's one call: asks the status (when the profile says the printer answers and the
// transport can read), refuses to print into a printer that reports a blocking fault, then writes
// the job. The status is asked before and not after the job: printers answer DLE EOT at once,
// ahead of the data still in their buffer, so an answer after the job says nothing about it.
PrintOutcome printJob(Transport& transport, std::span<const std::uint8_t> job, const PrinterProfile& profile);
// The same after opening `spec`; a printer that cannot be reached is `offline`.
PrintOutcome printJob(std::string_view spec, std::span<const std::uint8_t> job, const PrinterProfile& profile);

} // namespace loket::ticket
