#include "print_job.hpp"

namespace loket::ticket {

Result<PrinterStatus> queryStatus(Transport& transport, std::chrono::milliseconds timeout) {
    if (!transport.canRead())
        return makeError(ErrorCode::Unavailable, transport.describe() + ": this printer cannot report its status");
    transport.discardInput();
    const auto request = statusRequestBytes();
    if (auto st = transport.write(request, timeout); !st) return st.error();
    auto reply = transport.read(4, timeout);
    if (!reply) return reply.error();
    return parseStatusReply(*reply);
}

Status printBytes(Transport& transport, std::span<const std::uint8_t> bytes, std::chrono::milliseconds timeout) {
    return transport.write(bytes, timeout);
}

namespace {

PrintOutcome failed(PrinterFault fault, std::string detail) {
    PrintOutcome out;
    out.fault = fault;
    out.detail = std::move(detail);
    return out;
}

} // namespace

PrintOutcome printJob(Transport& transport, std::span<const std::uint8_t> job, const PrinterProfile& profile) {
    PrintOutcome outcome;
    if (profile.answersStatus && transport.canRead()) {
        auto status = queryStatus(transport);
        if (!status) return failed(PrinterFault::Offline, "status: " + status.error().message);
        outcome.status = *status;
        outcome.fault = status->worstFault();
        if (blocksPrinting(outcome.fault))
            return failed(outcome.fault, transport.describe() + ": printer reports " + printerFaultName(outcome.fault));
    }
    if (auto st = printBytes(transport, job); !st) {
        const auto fault = st.error().code == ErrorCode::Timeout ? PrinterFault::WriteTimeout : PrinterFault::Offline;
        auto out = failed(fault, st.error().message);
        out.status = outcome.status;
        return out;
    }
    outcome.printed = true;
    if (outcome.fault == PrinterFault::PaperNearEnd)
        outcome.detail = transport.describe() + ": printed; the paper roll is nearly empty";
    return outcome;
}

PrintOutcome printJob(std::string_view spec, std::span<const std::uint8_t> job, const PrinterProfile& profile) {
    auto transport = openTransport(spec);
    if (!transport) return failed(PrinterFault::Offline, transport.error().message);
    return printJob(**transport, job, profile);
}

} // namespace loket::ticket
