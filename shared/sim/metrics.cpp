#include "metrics.hpp"

#include "shared/core/stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace loket::sim {
namespace {

struct Errors {
    double absSum = 0, sum = 0;
    int n = 0;
    void add(double predicted, double actual) {
        absSum += std::fabs(predicted - actual);
        sum += predicted - actual;
        ++n;
    }
    std::optional<double> mae() const { return n ? std::optional<double>(absSum / n) : std::nullopt; }
    std::optional<double> bias() const { return n ? std::optional<double>(sum / n) : std::nullopt; }
};

double share(int part, int whole) { return whole ? static_cast<double>(part) / whole : 1.0; }

// Student t quantile 0.975 for 1..30 degrees of freedom; 1.96 beyond.
double t975(int df) {
    static constexpr double kTable[] = {12.706, 4.303, 2.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                        2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                        2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1) return 0;
    if (df <= 30) return df == 3 ? 3.182 : kTable[df - 1];
    return 1.96;
}

} // namespace

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, k == 0 ? 0 : k - 1)];
}

DayMetrics computeMetrics(const ReplayResult& r) {
    DayMetrics m;
    std::vector<Seconds> appt, walk;
    int apptOnTime = 0, walk10 = 0, walk15 = 0;
    Errors model, queue;
    int inRange = 0, ranged = 0;
    for (const VisitOutcome& v : r.visits) {
        if (!v.showed) continue;
        const bool called = v.firstCallAt.has_value();
        if (!called) ++m.unserved;
        const Seconds wait = std::max<Seconds>(0, (called ? *v.firstCallAt : r.dayEndS) - v.waitFrom);
        if (v.appointment) {
            ++m.appointmentsShown;
            appt.push_back(wait);
            if (v.withinLimit()) ++apptOnTime;
        } else {
            ++m.walkIns;
            walk.push_back(wait);
            if (called && wait <= 600) ++walk10;
            if (called && wait <= 900) ++walk15;
        }
        if (called) {
            const double actual = static_cast<double>(*v.firstCallAt - v.checkInAt);
            if (v.predictedWaitS) model.add(static_cast<double>(*v.predictedWaitS), actual);
            if (v.predictedLowS && v.predictedHighS) {
                ++ranged;
                inRange += actual >= static_cast<double>(*v.predictedLowS) && actual <= static_cast<double>(*v.predictedHighS);
            }
            if (v.queueEstimateS) queue.add(static_cast<double>(*v.queueEstimateS), actual);
        }
    }
    m.apptOnTime = share(apptOnTime, m.appointmentsShown);
    m.walkIn10 = share(walk10, m.walkIns);
    m.walkIn15 = share(walk15, m.walkIns);
    const core::WaitSummary a = core::summarise(appt), w = core::summarise(walk);
    m.apptP50 = a.p50; m.apptP95 = a.p95; m.apptMax = a.max;
    m.walkP50 = w.p50; m.walkP95 = w.p95; m.walkMax = w.max;
    m.utilisation = r.availableS ? static_cast<double>(r.busyS) / static_cast<double>(r.availableS) : 0;
    m.idleWhileWaitingS = r.idleWhileWaitingS;
    m.overtimeS = std::max<Seconds>(0, r.lastEndS - r.doorsCloseS);
    m.predMae = model.mae();
    m.predBias = model.bias();
    m.queueMae = queue.mae();
    m.queueBias = queue.bias();
    if (ranged) m.predInRange = share(inRange, ranged);
    if (!r.decisionUs.empty()) {
        m.decisionP50Us = percentile(r.decisionUs, 0.50);
        m.decisionP99Us = percentile(r.decisionUs, 0.99);
    }
    m.fingerprint = r.fingerprint;
    return m;
}

Interval interval95(const std::vector<double>& values) {
    Interval out;
    out.n = static_cast<int>(values.size());
    if (values.empty()) return out;
    double sum = 0;
    for (double v : values) sum += v;
    out.mean = sum / out.n;
    if (out.n < 2) return out;
    double ss = 0;
    for (double v : values) ss += (v - out.mean) * (v - out.mean);
    out.halfWidth = t975(out.n - 1) * std::sqrt(ss / (out.n - 1) / out.n);
    return out;
}

const std::vector<MetricColumn>& metricColumns() {
    using M = DayMetrics;
    auto secs = [](Seconds M::*f) { return [f](const M& m) { return std::optional<double>(static_cast<double>(m.*f)); }; };
    auto real = [](double M::*f) { return [f](const M& m) { return std::optional<double>(m.*f); }; };
    auto opt = [](std::optional<double> M::*f) { return [f](const M& m) { return m.*f; }; };
    static const std::vector<MetricColumn> columns = {
        {"appt_on_time %", real(&M::apptOnTime), 100, 1},
        {"appt wait p50 min", secs(&M::apptP50), 1 / 60.0, 1},
        {"appt wait p95 min", secs(&M::apptP95), 1 / 60.0, 1},
        {"appt wait max min", secs(&M::apptMax), 1 / 60.0, 1},
        {"walk-in wait p50 min", secs(&M::walkP50), 1 / 60.0, 1},
        {"walk-in wait p95 min", secs(&M::walkP95), 1 / 60.0, 1},
        {"walk-in wait max min", secs(&M::walkMax), 1 / 60.0, 1},
        {"walkin_10 %", real(&M::walkIn10), 100, 1},
        {"walkin_15 %", real(&M::walkIn15), 100, 1},
        {"utilisation %", real(&M::utilisation), 100, 1},
        {"idle while waiting min", secs(&M::idleWhileWaitingS), 1 / 60.0, 1},
        {"overtime min", secs(&M::overtimeS), 1 / 60.0, 1},
        {"unserved", [](const M& m) { return std::optional<double>(m.unserved); }, 1, 1},
        {"pred_mae min", opt(&M::predMae), 1 / 60.0, 2},
        {"pred bias min", opt(&M::predBias), 1 / 60.0, 2},
        {"pred in range %", opt(&M::predInRange), 100, 1},
        {"queue-length mae min", opt(&M::queueMae), 1 / 60.0, 2},
        {"queue-length bias min", opt(&M::queueBias), 1 / 60.0, 2},
        {"decision p50 µs", opt(&M::decisionP50Us), 1, 1},
        {"decision p99 µs", opt(&M::decisionP99Us), 1, 1},
    };
    return columns;
}

const MetricColumn& metricColumn(const std::string& name) {
    for (const auto& c : metricColumns())
        if (c.name == name) return c;
    std::fprintf(stderr, "no metric column '%s'\n", name.c_str());
    std::abort();
}

} // namespace loket::sim
