#include "hall_from_trace.hpp"

#include "shared/core/booking_code.hpp"

#include <cmath>

namespace loket::sim {

Result<core::HallConfig> hallConfigOf(const Trace& trace, core::PolicyKind policy, const core::NormPolicyParams& params) {
    if (trace.services.size() > core::kMaxServices)
        return makeError(ErrorCode::InvalidValue, "a hall has at most 64 services");
    core::HallConfig c;
    c.name = trace.meta.scenario.empty() ? "Simulated hall" : trace.meta.scenario;
    for (std::size_t i = 0; i < trace.services.size(); ++i) {
        const TraceService& s = trace.services[i];
        core::ServiceConfig sc;
        sc.id = s.id;
        sc.name = {{"nl", s.label}};
        sc.prefix = static_cast<char>('A' + i % 26);
        sc.walkIn = s.walkIn;
        sc.appointment = s.appointment;
        sc.expectedDurationS = static_cast<Seconds>(std::lround(s.dur.meanS));
        sc.walkInTargetS = trace.rules.walkInNormS;
        c.services.push_back(std::move(sc));
    }
    for (const TraceCounter& tc : trace.counters) {
        core::CounterConfig cc;
        cc.id = tc.id;
        cc.name = tc.id;
        for (std::size_t i = 0; i < trace.services.size(); ++i)
            for (const auto& skill : tc.skills)
                if (skill == trace.services[i].skill) cc.skills |= core::bit(static_cast<core::ServiceIndex>(i));
        c.counters.push_back(std::move(cc));
    }
    c.hours.alwaysOpen = true;
    c.walkInHours.alwaysOpen = true;
    c.normS = trace.rules.apptNormS;
    c.earlyCheckInS = trace.rules.earlyCheckInWindowS;
    c.noAnswerCooldownS = 300;
    c.policy = policy;
    c.normParams = params;
    return c;
}

std::string bookingCodeOf(std::size_t visitIndex) {
    // Four symbols of the core's 32-symbol alphabet after "SIM": a valid code for 2^20 visits.
    static_assert(core::kBookingCodeAlphabet.size() == 32);
    std::string code = "SIM";
    for (int digit = 3; digit >= 0; --digit) code += core::kBookingCodeAlphabet[(visitIndex >> (5 * digit)) & 31];
    return code;
}

} // namespace loket::sim
