// What kiosks and displays read from the server: every client-side parser of API answers and
// stream events (shared/proto/client_parse).
#include "fuzz_input.hpp"

#include "shared/proto/client_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace loket::proto;
    const auto [choice, body] = loket::fuzz::choose(data, size, 8);
    switch (choice) {
    case 0: (void)parseHallSnapshot(body); break;
    case 1: (void)parseServiceList(body); break;
    case 2: (void)parseTicket(body); break;
    case 3: (void)parseCounter(body); break;
    case 4: (void)parseIssuedTicket(body); break;
    case 5: (void)parseDeviceList(body); break;
    case 6: (void)parseApiErrorBody(body); break;
    default:
        for (const char* type : {"ticket.issued", "ticket.called", "ticket.recalled", "ticket.updated", "counter.updated", "device.updated"})
            (void)parseHallEvent(7, type, body);
    }
    return 0;
}
