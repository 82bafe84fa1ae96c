// The metrics of sim-trace.md for one replayed day, and their summary over replications
// (mean with a 95 % confidence interval, Student t). Waits start at check-in, or at the
// appointment time for an early appointment visitor, and end at the first call. A visitor still
// waiting when the last counter stops counts with the wait so far (a lower bound) and is not
// within any norm; `unserved` says how many.
#pragma once

#include "replay.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace loket::sim {

struct DayMetrics {
    int appointmentsShown = 0, walkIns = 0, unserved = 0;
    double apptOnTime = 0;                // share 0..1
    Seconds apptP50 = 0, apptP95 = 0, apptMax = 0;
    Seconds walkP50 = 0, walkP95 = 0, walkMax = 0;
    double walkIn10 = 0, walkIn15 = 0;    // shares within 600 s / 900 s
    double utilisation = 0;               // busy / open counter time
    Seconds idleWhileWaitingS = 0;
    Seconds overtimeS = 0;                // last visit's end past doors_close_s
    std::optional<double> predMae, predBias;    // the core's wait prediction, seconds
    std::optional<double> queueMae, queueBias;  // the plain queue-length estimate
    std::optional<double> predInRange;          // share of actual waits inside the printed range
    std::optional<double> decisionP50Us, decisionP99Us;
    std::string fingerprint;
};

DayMetrics computeMetrics(const ReplayResult& result);

struct Interval {
    double mean = 0;
    double halfWidth = 0;   // 95 %: mean ± halfWidth
    int n = 0;
};
Interval interval95(const std::vector<double>& values);

// One metric as a column of the report: its name, how to read it, how to print it.
struct MetricColumn {
    std::string name;
    std::function<std::optional<double>(const DayMetrics&)> value;
    double scale = 1;        // printed value = value × scale
    int decimals = 0;
};
const std::vector<MetricColumn>& metricColumns();
// The column of that name; a programmer's error (abort) when there is none.
const MetricColumn& metricColumn(const std::string& name);

// Nearest-rank percentile of any sample (0 when empty).
double percentile(std::vector<double> values, double p);

} // namespace loket::sim
