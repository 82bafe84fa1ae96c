// The Server-Sent Events reader, fed the input in chunks whose sizes come from the input itself.
#include "fuzz_input.hpp"

#include "shared/net/sse_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    loket::net::SseParser parser;
    std::size_t events = 0;
    parser.onEvent = [&](const loket::net::SseEvent& e) { events += e.data.size() + 1; };
    parser.onComment = [&](std::string_view) {};
    parser.onRetry = [&](long) {};
    const std::size_t chunk = 1 + data[0] % 17;
    std::string_view rest = loket::fuzz::text(data + 1, size - 1);
    while (!rest.empty()) {
        const std::size_t n = std::min(chunk, rest.size());
        parser.feed(rest.substr(0, n));
        rest.remove_prefix(n);
        if (n == 3) parser.resetPartial(); // a dropped connection now and then
    }
    return 0;
}
