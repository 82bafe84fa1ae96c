// Appointment files from a booking system: CSV (first byte even) or iCalendar (odd).
#include "fuzz_input.hpp"

#include "shared/proto/appointment_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace loket::proto;
    const auto [choice, text] = loket::fuzz::choose(data, size, 2);
    // A fixed UTC+1 hall: the time zone rules are not what is under test here.
    const LocalToInstant toInstant = [](loket::core::LocalDay day, std::int32_t second) {
        return static_cast<loket::core::Seconds>(day) * 86400 + second - 3600;
    };
    if (choice == 0) (void)parseAppointmentsCsv(text, toInstant);
    else (void)parseAppointmentsIcs(text, toInstant, "Europe/Amsterdam");
    return 0;
}
