// The ESC/POS decoder (the virtual printer reads what a kiosk sends), whole jobs and one command at a time.
#include "fuzz_input.hpp"

#include "shared/ticket/escpos_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace loket::ticket;
    const auto bytes = loket::fuzz::bytes(data, size);
    (void)decodeEscPos(bytes, Tail::MustBeComplete);
    (void)decodeEscPos(bytes, Tail::MayBeUnfinished);
    for (std::size_t offset = 0; offset < std::min<std::size_t>(size, 8); ++offset) (void)parseEscPosCommand(bytes, offset);
    return 0;
}
