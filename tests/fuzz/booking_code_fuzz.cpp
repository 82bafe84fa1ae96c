// What a visitor types or a scanner reads at the kiosk, through the booking-code recogniser with
// the patterns of the example kiosk configuration.
#include "fuzz_input.hpp"

#include "shared/core/booking_code.hpp"
#include "shared/kiosk/booking_code.hpp"
#include "shared/kiosk/kiosk_config.hpp"

#include <cstdlib>

namespace {
const loket::kiosk::BookingCodeRecognizer& recogniser() {
    static const loket::kiosk::BookingCodeRecognizer r = [] {
        auto config = loket::kiosk::loadKioskConfig(LOKET_SOURCE_DIR "/firmware-config/kiosk.example.toml");
        if (!config) std::abort();
        auto made = loket::kiosk::BookingCodeRecognizer::create(config->bookingCodes);
        if (!made) std::abort();
        return std::move(made.value());
    }();
    return r;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = loket::fuzz::text(data, size);
    (void)recogniser().recognise(input);
    (void)loket::core::normaliseBookingCode(input);
    return 0;
}
