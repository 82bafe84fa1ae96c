// Transport: how ticket bytes reach a printer. Three kinds, chosen by a spec string:
//   file:/path/out       the exact bytes to /path/out and the printed image to /path/out.png;
//                        file:/some/dir/ (existing folder) writes ticket-0001.bin/.png, -0002, …
//   tcp:host:9100        raw TCP (JetDirect / port 9100), as Ethernet receipt printers offer
//   device:/dev/usb/lp0  a character device (USB printer class, serial)
// Open one transport per job: network printers often take one connection at a time, and a
// printer that was switched off and on again is simply found again on the next ticket.
// Used by print_job, the virtual printer's tests and loket-print. POSIX only; no ESC/POS here.
#pragma once

#include "shared/core/result.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace loket::ticket {

class Transport {
public:
    virtual ~Transport() = default;
    // The spec this transport was opened with, for messages.
    virtual const std::string& describe() const = 0;
    // Writes every byte before `timeout` or fails: `timeout` when the printer stops taking data,
    // `io_error` when the connection or device goes away.
    virtual Status write(std::span<const std::uint8_t> bytes, std::chrono::milliseconds timeout) = 0;
    // Whether the printer can answer at all (a file cannot; a write-only device cannot).
    virtual bool canRead() const = 0;
    // Reads exactly `count` bytes before `timeout`, or fails with `timeout` / `io_error`.
    virtual Result<std::vector<std::uint8_t>> read(std::size_t count, std::chrono::milliseconds timeout) = 0;
    // Drops bytes the printer sent unasked (stale answers), so the next read is a fresh answer.
    virtual void discardInput() = 0;
};

struct TransportSpec {
    enum class Kind { File, Tcp, Device };
    Kind kind = Kind::File;
    std::filesystem::path path; // File, Device
    std::string host;           // Tcp
    int port = 0;               // Tcp
};

// Parses `file:…`, `tcp:host:port` (IPv6 as `tcp:[::1]:9100`) and `device:…`; anything else
// is an `invalid_value` error that shows the accepted forms.
Result<TransportSpec> parseTransportSpec(std::string_view spec);

inline constexpr std::chrono::milliseconds kConnectTimeout{2000};

// Opens the transport: connects (TCP, within `connectTimeout`), opens the device, or checks that
// the output file's folder exists (the file itself is created by the first write, so opening
// only to ask for status leaves nothing behind). Errors: `unavailable` when the printer cannot
// be reached (refused, no such device, no route), `timeout` when connecting takes too long,
// `io_error` when the file's folder does not exist.
Result<std::unique_ptr<Transport>> openTransport(std::string_view spec,
                                                 std::chrono::milliseconds connectTimeout = kConnectTimeout);

} // namespace loket::ticket
