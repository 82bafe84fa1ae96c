// A benchmark scenario: the parameters from which the generator draws hall days. Kept in TOML
// files under sim/scenarios/ (one per scenario, plus services.toml, the shared service catalogue),
// each figure with a comment on where it comes from. Loading checks every figure and names the
// file and key of a bad one.
#pragma once

#include "trace.hpp"

#include <map>
#include <string>
#include <vector>

namespace loket::sim {

struct ServiceSpec {
    TraceService service;       // id, label, skill, slot, channels, duration distribution
    bool combine = false;       // may be a second or third service of one visit
};

struct CounterGroup {
    std::string prefix;         // counters are named prefix + 01, 02, …
    int count = 1;
    std::vector<std::string> skills;
    std::vector<std::pair<Seconds, Seconds>> shifts;
};

// A piece of the day with a relative arrival intensity (per second).
struct RatePeriod {
    Seconds from = 0;
    Seconds to = 0;
    double weight = 1;
};

// A counter that goes down at a random moment of [from, to) and comes back at `until`
// (the scenario's hard days: a mid-morning failure while short-staffed).
struct PlannedFailure {
    std::string counter;        // a counter id: prefix + 01, …
    Seconds from = 0;
    Seconds to = 0;
    Seconds until = 0;
};

struct ScenarioSpec {
    std::string name;
    std::string date;
    std::uint64_t seed = 0;
    TraceRules rules;
    std::vector<ServiceSpec> services;
    std::vector<CounterGroup> counters;

    int appointments = 0;
    double noShowShare = 0;
    std::vector<RatePeriod> bookProfile;
    Seconds bookGridS = 300;            // appointment times are multiples of this
    std::map<std::string, double> appointmentMix;
    double twoServicesShare = 0.20;
    double threeServicesShare = 0.05;
    double checkInMeanS = -600;         // relative to the appointment time
    double checkInSdS = 600;

    int walkIns = 0;
    std::vector<RatePeriod> walkInProfile;
    std::map<std::string, double> walkInMix;
    double walkInTwoServicesShare = 0.05;

    double noAnswerShare = 0.03;        // first call unanswered, comes at the second
    double goneShare = 0.01;            // never answers (left before the first call)
    double leaveShare = 0;              // walk-ins who give up after waiting…
    double leaveAfterMeanS = 3600;      // …about this long
    double leaveAfterSdS = 900;

    double counterDownChance = 0;       // per counter per day
    double counterDownMeanS = 2700;
    std::vector<PlannedFailure> failures;   // a named counter that fails in a window, every replication
};

// Reads sim/scenarios/<name>.toml (and the catalogue it names, relative to it).
Result<ScenarioSpec> loadScenarioFile(const std::string& path);
// `nameOrPath`: a scenario name looked up in `scenarioDir`, or a path to a .toml file.
Result<ScenarioSpec> loadScenario(const std::string& nameOrPath, const std::string& scenarioDir);

} // namespace loket::sim
