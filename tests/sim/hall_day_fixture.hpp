// Hand-made hall days for the simulator's tests: a tiny hall (one or two counters, two
// services) written as hallday/1 lines, so that each test reads like the rule it checks; and
// the shipped scenarios by name.
#pragma once

#include "shared/sim/scenario.hpp"
#include "shared/sim/trace.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace loket::sim::test {

inline std::string hallHeader(const std::string& counters) {
    return R"({"type":"meta","schema":"hallday/1","scenario":"test_hall","date":"2025-03-03","seed":"0x1","replication":0}
{"type":"rules","appt_norm_s":300,"walkin_norm_s":600,"early_checkin_window_s":3600,"late_grace_s":900,"no_answer_s":60,"doors_close_s":7200}
{"type":"service","id":"PAS","label":"Paspoort","skill":"REISDOC","slot_s":600,"channels":["appointment","walkin"],"dur":{"dist":"lognormal","mean_s":600,"cv":0.35,"min_s":60,"max_s":2400}}
{"type":"service","id":"AFH","label":"Afhalen","skill":"AFHALEN","slot_s":300,"channels":["appointment","walkin"],"dur":{"dist":"lognormal","mean_s":200,"cv":0.4,"min_s":60,"max_s":900}}
)" + counters;
}

inline const std::string kOneCounter =
    R"({"type":"counter","id":"B01","skills":["REISDOC","AFHALEN"],"shifts":[[0,7200]]})" "\n";

inline Trace traceOf(const std::string& text) {
    auto trace = parseTrace(text);
    INFO((trace ? std::string() : trace.error().message));
    REQUIRE(trace.has_value());
    return trace.value();
}

// A shipped scenario (sim/scenarios/<name>.toml), read as the simulator reads it.
inline ScenarioSpec shippedScenario(const std::string& name) {
    auto spec = loadScenario(name, std::string(LOKET_SOURCE_DIR) + "/sim/scenarios");
    REQUIRE(spec.has_value());
    return spec.value();
}

} // namespace loket::sim::test
