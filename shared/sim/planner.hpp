// The staffing planner: how many counters a hall needs per hour so that at least `target` of the
// appointment visitors are called within the norm and of the walk-ins within their target, found
// by simulation with the norm policy. An Erlang-C estimate per hour is only the starting point; then
// the earliest failing hour gets a counter more until every hour holds, and finally each hour
// gives back a counter where the day still holds without it. All replications share their traces
// (common random numbers), so two staffing plans are compared on the same visitors.
//
// The plan assumes every planned counter has every skill the scenario's counters have (one
// flexible team); a hall with specialist desks needs those on top where their products are booked.
#pragma once

#include "scenario.hpp"
#include "shared/core/result.hpp"

#include <string>
#include <vector>

namespace loket::sim {

struct PlanOptions {
    double target = 0.95;        // share within the norm / target, per hour
    int replications = 10;
    int maxCounters = 60;
    double slotUtilisation = 0.85;  // planning load when turning counter hours into appointment slots
};

struct PlanHour {
    int hour = 0;                // 8 = 08:00–09:00
    double appointments = 0;     // booked visitors expected (mean over replications), by appointment hour
    double walkIns = 0;          // by arrival hour
    int erlangC = 0;             // the queueing estimate the search starts from
    int counters = 0;            // found by simulation
    double apptOnTime = 1;       // achieved with `counters` (pooled over replications)
    double walkInOnTime = 1;
    int appointmentSlots = 0;    // appointments per hour the planned counters can take
};

struct PlanResult {
    std::string scenario;
    double target = 0.95;
    int replications = 0;
    int evaluations = 0;         // simulated staffing plans tried
    bool feasible = true;        // every hour holds the target
    std::vector<PlanHour> hours;
};

Result<PlanResult> planStaffing(const ScenarioSpec& spec, const PlanOptions& options);
std::string formatPlan(const PlanResult& plan, bool markdown);
std::string planChartSvg(const PlanResult& plan);

// P(wait ≤ t) in an M/M/c queue with offered load A = λ·E[S] (Erlang C).
double erlangCWithin(int counters, double offeredLoad, double meanServiceS, double withinS);

// A scenario fitted to one real day exported by the hall server (GET /api/v1/export): the day's
// appointments and walk-ins per hour, its service mix, no-show share and measured durations; hall,
// counters and rules from `base`. CSV with a header naming at least: kind (appointment|walk_in),
// services ('+'-joined service ids), issued_at, appointment_at, started_at, ended_at, status
// (times as HH:MM[:SS] or seconds of the day; empty when unknown).
Result<ScenarioSpec> scenarioFromExport(const std::string& csvPath, const ScenarioSpec& base);
Result<ScenarioSpec> scenarioFromExportText(const std::string& csv, const ScenarioSpec& base);

} // namespace loket::sim
