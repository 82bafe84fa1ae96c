#include "experiment.hpp"

#include <cstdio>
#include <sstream>

namespace loket::sim {

Result<std::vector<PolicyRun>> parsePolicyList(const std::string& list, bool clairvoyant,
                                               const core::NormPolicyParams& params) {
    std::vector<PolicyRun> runs;
    std::stringstream in(list);
    std::string name;
    while (std::getline(in, name, ',')) {
        if (name.empty()) continue;
        auto kind = core::parsePolicy(name);
        if (!kind)
            return makeError(ErrorCode::InvalidValue,
                             "unknown policy '" + name + "' (known: norm, fifo, appointments_first, edf, norm_v1)");
        runs.push_back(PolicyRun{name, *kind, false, params});
    }
    if (runs.empty()) return makeError(ErrorCode::InvalidValue, "no policy given");
    if (clairvoyant) {
        const std::size_t n = runs.size();
        for (std::size_t i = 0; i < n; ++i) {
            PolicyRun c = runs[i];
            c.label += " (clairvoyant)";
            c.clairvoyant = true;
            runs.push_back(c);
        }
    }
    return runs;
}

Result<std::vector<PolicyResults>> runExperiment(const std::vector<Trace>& traces, const std::vector<PolicyRun>& runs,
                                                 bool scorePredictions, bool timeDecisions) {
    std::vector<PolicyResults> out;
    for (const PolicyRun& run : runs) {
        PolicyResults r{run, {}};
        for (const Trace& trace : traces) {
            ReplayOptions options;
            options.policy = run.policy;
            options.normParams = run.params;
            options.clairvoyant = run.clairvoyant;
            options.scorePredictions = scorePredictions && !run.clairvoyant;
            options.timeDecisions = timeDecisions && !run.clairvoyant;
            auto result = replay(trace, options);
            if (!result)
                return makeError(result.error().code, trace.meta.scenario + " replication " +
                                                          std::to_string(trace.meta.replication) + ", " + run.label +
                                                          ": " + result.error().message);
            r.days.push_back(computeMetrics(result.value()));
        }
        out.push_back(std::move(r));
    }
    return out;
}

Interval summary(const PolicyResults& r, const MetricColumn& column) {
    std::vector<double> values;
    for (const auto& d : r.days)
        if (auto v = column.value(d)) values.push_back(*v * column.scale);
    return interval95(values);
}

std::string formatTable(const std::vector<PolicyResults>& results, bool markdown) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{"metric"};
    for (const auto& r : results) header.push_back(r.run.label);
    rows.push_back(header);
    for (const MetricColumn& column : metricColumns()) {
        std::vector<std::string> row{column.name};
        bool any = false;
        for (const auto& r : results) {
            Interval i = summary(r, column);
            if (i.n == 0) {
                row.push_back("–");
                continue;
            }
            any = true;
            char buf[64];
            if (i.n > 1) std::snprintf(buf, sizeof buf, "%.*f ± %.*f", column.decimals, i.mean, column.decimals, i.halfWidth);
            else std::snprintf(buf, sizeof buf, "%.*f", column.decimals, i.mean);
            row.push_back(buf);
        }
        if (any) rows.push_back(row);
    }
    std::string out;
    if (markdown) {
        for (std::size_t k = 0; k < rows.size(); ++k) {
            out += "|";
            for (const auto& cell : rows[k]) out += " " + cell + " |";
            out += "\n";
            if (k == 0) {
                out += "|";
                for (std::size_t c = 0; c < rows[k].size(); ++c) out += c == 0 ? "---|" : "---:|";
                out += "\n";
            }
        }
        return out;
    }
    // Aligned text; widths in code points so "±" and "µ" count once.
    auto width = [](const std::string& s) {
        std::size_t w = 0;
        for (unsigned char ch : s) w += (ch & 0xC0) != 0x80;
        return w;
    };
    std::vector<std::size_t> widths(header.size(), 0);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], width(row[c]));
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(widths[c] - width(row[c]), ' ');
            out += c == 0 ? row[c] + pad : "  " + pad + row[c];
        }
        out += "\n";
    }
    return out;
}

} // namespace loket::sim
