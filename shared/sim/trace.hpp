// A hall day as a trace in the `hallday/1` format (../shared/sim-trace.md): the hall (rules,
// services, counters and their shifts), the appointment book, and what really happened (`truth`:
// check-in times, durations, no-shows, unanswered calls, counters going down). Written by the
// generator, read by the replay and the planner; parse errors name the line and the field.
//
// One extension beyond the published format, optional and ignored by a reader that does not know
// it: `truth.t_leave` on a visit — the visitor gives up and leaves then; a call after it is not
// answered (passport_rush_june: "some leave after ~60 min").
#pragma once

#include "shared/core/hall_time.hpp"
#include "shared/core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace loket::sim {

using core::Seconds;

struct TraceMeta {
    std::string scenario;
    std::string date = "2025-03-03";  // the trace day; the replay runs on it
    std::string tz = "Europe/Amsterdam";
    std::uint64_t seed = 0;
    int replication = 0;
};

struct TraceRules {
    Seconds apptNormS = 300;
    Seconds walkInNormS = 600;
    Seconds earlyCheckInWindowS = 3600;
    Seconds lateGraceS = 900;
    Seconds noAnswerS = 60;
    Seconds doorsCloseS = 61200;
};

struct DurationDist {
    std::string dist = "lognormal";
    double meanS = 300;
    double cv = 0.4;
    Seconds minS = 60;
    Seconds maxS = 3600;
};

struct TraceService {
    std::string id;
    std::string label;
    std::string skill;
    Seconds slotS = 600;
    bool appointment = true;   // channel "appointment"
    bool walkIn = true;        // channel "walkin"
    DurationDist dur;
};

struct TraceCounter {
    std::string id;
    std::vector<std::string> skills;
    std::vector<std::pair<Seconds, Seconds>> shifts;  // [start, end)
};

struct CounterEvent {
    std::string counter;
    Seconds t = 0;
    std::string kind = "down";   // "down" (until `until`) or "up"
    Seconds until = 0;           // for "down": back up then (0: not today)
};

struct VisitTruth {
    bool show = true;                   // appointments only
    Seconds tCheckIn = 0;
    std::vector<Seconds> durS;          // one per service
    std::vector<bool> answersCall;      // per call; absent means [true]
    std::optional<Seconds> tLeave;      // extension: gives up and leaves then
};

struct TraceVisit {
    std::string id;
    bool appointment = false;
    Seconds tAppt = 0;                  // appointments only
    std::vector<std::string> services;
    VisitTruth truth;
};

struct Trace {
    TraceMeta meta;
    TraceRules rules;
    std::vector<TraceService> services;
    std::vector<TraceCounter> counters;
    std::vector<CounterEvent> counterEvents;
    std::vector<TraceVisit> visits;     // appointments and walk-ins in file order
};

// Reads a JSONL trace; an error names the line.
Result<Trace> parseTrace(const std::string& text);
Result<Trace> readTraceFile(const std::string& path);
std::string writeTrace(const Trace& trace);

} // namespace loket::sim
