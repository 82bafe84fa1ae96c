// The status bytes a printer answers to DLE EOT: any length, any value.
#include "fuzz_input.hpp"

#include "shared/ticket/printer_status.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)loket::ticket::parseStatusReply(loket::fuzz::bytes(data, size));
    return 0;
}
