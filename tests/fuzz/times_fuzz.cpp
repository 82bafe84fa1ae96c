// Times and dates from outside: RFC 3339 instants (API bodies, server answers, error details) and
// ISO dates in query strings, through the one reader of each (shared/proto/rfc3339, core dates).
#include "fuzz_input.hpp"

#include "shared/core/hall_time.hpp"
#include "shared/proto/rfc3339.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = loket::fuzz::text(data, size);
    const std::string owned(text);
    loket::core::Seconds instant = 0;
    (void)loket::proto::parseRfc3339(owned, instant);
    (void)loket::proto::parseRfc3339(text);
    loket::core::LocalDay day = 0;
    (void)loket::core::parseDate(owned, day);
    (void)loket::proto::localClockText(text);
    (void)loket::proto::localDateText(text);
    return 0;
}
