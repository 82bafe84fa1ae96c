#include "printer_status.hpp"

#include <cstdio>

namespace loket::ticket {

namespace {
constexpr std::uint8_t kFixedOnes = 0x12; // bits 1 and 4
constexpr std::uint8_t kFixedMask = 0x93; // bits 0, 1, 4, 7
constexpr std::uint8_t bit(int n) { return static_cast<std::uint8_t>(1u << n); }
constexpr std::uint8_t bits(int a, int b) { return static_cast<std::uint8_t>(bit(a) | bit(b)); }
} // namespace

const char* printerFaultName(PrinterFault fault) {
    switch (fault) {
    case PrinterFault::None: return "none";
    case PrinterFault::PaperNearEnd: return "paper_near_end";
    case PrinterFault::PaperOut: return "paper_out";
    case PrinterFault::CoverOpen: return "cover_open";
    case PrinterFault::CutterError: return "cutter_error";
    case PrinterFault::Offline: return "offline";
    case PrinterFault::WriteTimeout: return "write_timeout";
    }
    return "offline";
}

bool blocksPrinting(PrinterFault fault) { return fault != PrinterFault::None && fault != PrinterFault::PaperNearEnd; }

PrinterFault PrinterStatus::worstFault() const {
    // A printer is offline *because* its cover is open or its paper is out: name the cause.
    if (coverOpen) return PrinterFault::CoverOpen;
    if (paperOut) return PrinterFault::PaperOut;
    if (cutterError || unrecoverableError) return PrinterFault::CutterError;
    if (offline || autoRecoverableError) return PrinterFault::Offline;
    if (paperNearEnd) return PrinterFault::PaperNearEnd;
    return PrinterFault::None;
}

const char* heartbeatPrinterState(PrinterFault fault) {
    switch (fault) {
    case PrinterFault::None: return "ok";
    case PrinterFault::PaperNearEnd: return "paper_low";
    case PrinterFault::PaperOut: return "paper_out";
    case PrinterFault::CoverOpen: return "cover_open";
    case PrinterFault::CutterError:
    case PrinterFault::Offline:
    case PrinterFault::WriteTimeout: return "offline";
    }
    return "offline";
}

std::vector<std::uint8_t> statusRequestBytes() {
    return {0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4};
}

Result<PrinterStatus> parseStatusReply(std::span<const std::uint8_t> reply) {
    if (reply.size() != 4)
        return makeError(ErrorCode::InvalidValue,
                         "printer status: expected 4 answer bytes, got " + std::to_string(reply.size()));
    for (std::size_t i = 0; i < reply.size(); ++i)
        if ((reply[i] & kFixedMask) != kFixedOnes) {
            char buffer[96];
            std::snprintf(buffer, sizeof buffer, "printer status: answer %zu (0x%02X) is not a status byte", i + 1,
                          static_cast<unsigned>(reply[i]));
            return makeError(ErrorCode::InvalidValue, buffer);
        }
    const std::uint8_t printer = reply[0], offlineCause = reply[1], errorCause = reply[2], paper = reply[3];
    PrinterStatus s;
    s.offline = printer & bit(3);
    s.coverOpen = offlineCause & bit(2);
    s.paperOut = (offlineCause & bit(5)) || (paper & bits(5, 6)) == bits(5, 6);
    s.paperNearEnd = (paper & bits(2, 3)) == bits(2, 3);
    s.cutterError = errorCause & bit(3);
    s.unrecoverableError = errorCause & bit(5);
    s.autoRecoverableError = errorCause & bit(6);
    return s;
}

std::uint8_t statusReplyByte(const PrinterStatus& s, int n) {
    std::uint8_t out = kFixedOnes;
    auto add = [&](bool on, std::uint8_t mask) { if (on) out = static_cast<std::uint8_t>(out | mask); };
    switch (n) {
    case 1: add(s.offline || s.coverOpen || s.paperOut || s.cutterError || s.unrecoverableError, bit(3)); break;
    case 2:
        add(s.coverOpen, bit(2));
        add(s.paperOut, bit(5));
        add(s.cutterError || s.unrecoverableError || s.autoRecoverableError, bit(6));
        break;
    case 3:
        add(s.cutterError, bit(3));
        add(s.unrecoverableError, bit(5));
        add(s.autoRecoverableError, bit(6));
        break;
    case 4:
        add(s.paperNearEnd || s.paperOut, bits(2, 3));
        add(s.paperOut, bits(5, 6));
        break;
    default: break;
    }
    return out;
}

} // namespace loket::ticket
