// Times and dates from outside: RFC 3339 instants (API bodies, server answers), ISO dates in
// query strings, and the clocks and numbers the kiosk finds in server messages.
#include "fuzz_input.hpp"

#include "shared/core/hall_time.hpp"
#include "shared/kiosk/server_messages.hpp"
#include "shared/proto/wire_json.hpp"
#include "shared/signage/rfc3339.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = loket::fuzz::text(data, size);
    const std::string owned(text);
    loket::core::Seconds instant = 0;
    (void)loket::proto::parseRfc3339(owned, instant);
    loket::core::LocalDay day = 0;
    (void)loket::core::parseDate(owned, day);
    (void)loket::signage::parseRfc3339(text);
    (void)loket::signage::localClockText(text);
    (void)loket::kiosk::findClock(text);
    (void)loket::kiosk::findClockRange(text);
    (void)loket::kiosk::findTicketNumber(text);
    (void)loket::kiosk::findIsoDate(text);
    (void)loket::kiosk::localClock(text);
    (void)loket::kiosk::localDate(text);
    return 0;
}
