#include "trace.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace loket::sim {
namespace {

using nlohmann::json;

struct LineError {
    std::string message;
};

const json& field(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end()) throw LineError{std::string("missing field '") + name + "'"};
    return *it;
}

Seconds seconds(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_number_integer()) throw LineError{std::string("'") + name + "' must be whole seconds"};
    return v.get<Seconds>();
}

Seconds secondsOr(const json& j, const char* name, Seconds fallback) {
    return j.contains(name) ? seconds(j, name) : fallback;
}

std::string text(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_string()) throw LineError{std::string("'") + name + "' must be a string"};
    return v.get<std::string>();
}

std::vector<std::string> texts(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_array() || v.empty()) throw LineError{std::string("'") + name + "' must be a non-empty list of strings"};
    std::vector<std::string> out;
    for (const auto& e : v) {
        if (!e.is_string()) throw LineError{std::string("'") + name + "' must be a list of strings"};
        out.push_back(e.get<std::string>());
    }
    return out;
}

std::vector<Seconds> durations(const json& truth, std::size_t services) {
    const json& v = field(truth, "dur_s");
    if (!v.is_array() || v.size() != services)
        throw LineError{"'truth.dur_s' must hold one duration per service"};
    std::vector<Seconds> out;
    for (const auto& e : v) {
        if (!e.is_number_integer() || e.get<Seconds>() <= 0) throw LineError{"'truth.dur_s' must be positive whole seconds"};
        out.push_back(e.get<Seconds>());
    }
    return out;
}

void visitTruth(const json& truth, TraceVisit& v) {
    v.truth.tLeave = truth.contains("t_leave") ? std::optional<Seconds>(seconds(truth, "t_leave")) : std::nullopt;
    if (truth.contains("answers_call")) {
        const json& calls = truth["answers_call"];
        if (!calls.is_array() || calls.empty()) throw LineError{"'truth.answers_call' must be a non-empty list of booleans"};
        for (const auto& c : calls) {
            if (!c.is_boolean()) throw LineError{"'truth.answers_call' must be a list of booleans"};
            v.truth.answersCall.push_back(c.get<bool>());
        }
    }
}

std::uint64_t parseSeed(const json& j) {
    if (!j.contains("seed")) return 0;
    const json& s = j["seed"];
    if (s.is_number_unsigned() || s.is_number_integer()) return s.get<std::uint64_t>();
    if (!s.is_string()) throw LineError{"'seed' must be a number or a hex string"};
    const std::string t = s.get<std::string>();
    try {
        std::size_t used = 0;
        std::uint64_t value = std::stoull(t, &used, 0);
        if (used != t.size()) throw LineError{"'seed' is not a number: " + t};
        return value;
    } catch (const std::logic_error&) {
        throw LineError{"'seed' is not a number: " + t};
    }
}

void parseLine(const json& j, Trace& trace, std::set<std::string>& ids) {
    const std::string type = text(j, "type");
    if (type == "meta") {
        if (text(j, "schema") != "hallday/1") throw LineError{"schema must be 'hallday/1'"};
        trace.meta.scenario = j.value("scenario", "");
        trace.meta.date = text(j, "date");
        core::LocalDay day;
        if (!core::parseDate(trace.meta.date, day)) throw LineError{"'date' must be YYYY-MM-DD"};
        trace.meta.tz = j.value("tz", "Europe/Amsterdam");
        trace.meta.seed = parseSeed(j);
        trace.meta.replication = j.value("replication", 0);
    } else if (type == "rules") {
        TraceRules& r = trace.rules;
        r.apptNormS = secondsOr(j, "appt_norm_s", r.apptNormS);
        r.walkInNormS = secondsOr(j, "walkin_norm_s", r.walkInNormS);
        r.earlyCheckInWindowS = secondsOr(j, "early_checkin_window_s", r.earlyCheckInWindowS);
        r.lateGraceS = secondsOr(j, "late_grace_s", r.lateGraceS);
        r.noAnswerS = secondsOr(j, "no_answer_s", r.noAnswerS);
        r.doorsCloseS = secondsOr(j, "doors_close_s", r.doorsCloseS);
    } else if (type == "service") {
        TraceService s;
        s.id = text(j, "id");
        s.label = j.value("label", s.id);
        s.skill = text(j, "skill");
        s.slotS = secondsOr(j, "slot_s", s.slotS);
        auto channels = texts(j, "channels");
        s.appointment = std::find(channels.begin(), channels.end(), "appointment") != channels.end();
        s.walkIn = std::find(channels.begin(), channels.end(), "walkin") != channels.end();
        if (j.contains("dur")) {
            const json& d = j["dur"];
            s.dur.dist = d.value("dist", "lognormal");
            s.dur.meanS = field(d, "mean_s").get<double>();
            s.dur.cv = d.value("cv", 0.0);
            s.dur.minS = secondsOr(d, "min_s", 1);
            s.dur.maxS = secondsOr(d, "max_s", 8 * 3600);
            if (s.dur.meanS <= 0) throw LineError{"'dur.mean_s' must be positive"};
        }
        trace.services.push_back(std::move(s));
    } else if (type == "counter") {
        TraceCounter c;
        c.id = text(j, "id");
        c.skills = texts(j, "skills");
        for (const auto& shift : field(j, "shifts")) {
            if (!shift.is_array() || shift.size() != 2 || !shift[0].is_number_integer() || !shift[1].is_number_integer() ||
                shift[0].get<Seconds>() >= shift[1].get<Seconds>())
                throw LineError{"each shift is [start, end] in seconds with start < end"};
            c.shifts.emplace_back(shift[0].get<Seconds>(), shift[1].get<Seconds>());
        }
        trace.counters.push_back(std::move(c));
    } else if (type == "counter_event") {
        CounterEvent e;
        e.counter = text(j, "counter");
        e.t = seconds(j, "t");
        e.kind = text(j, "kind");
        if (e.kind != "down" && e.kind != "up") throw LineError{"'kind' must be 'down' or 'up'"};
        e.until = secondsOr(j, "until", 0);
        trace.counterEvents.push_back(std::move(e));
    } else if (type == "appointment" || type == "walkin") {
        TraceVisit v;
        v.id = text(j, "id");
        if (!ids.insert(v.id).second) throw LineError{"visit id '" + v.id + "' appears twice"};
        v.appointment = type == "appointment";
        v.services = texts(j, "services");
        const json& truth = field(j, "truth");
        if (v.appointment) {
            v.tAppt = seconds(j, "t_appt");
            const json& show = field(truth, "show");
            if (!show.is_boolean()) throw LineError{"'truth.show' must be true or false"};
            v.truth.show = show.get<bool>();
        }
        if (v.truth.show) {
            v.truth.tCheckIn = seconds(truth, "t_checkin");
            v.truth.durS = durations(truth, v.services.size());
            visitTruth(truth, v);
        }
        trace.visits.push_back(std::move(v));
    } else {
        throw LineError{"unknown type '" + type + "'"};
    }
}

// Everything a visit or counter names must exist.
std::optional<std::string> checkReferences(const Trace& trace) {
    std::set<std::string> services, skills, counters;
    for (const auto& s : trace.services) services.insert(s.id);
    for (const auto& c : trace.counters) counters.insert(c.id);
    for (const auto& e : trace.counterEvents)
        if (!counters.count(e.counter)) return "counter_event names an unknown counter '" + e.counter + "'";
    for (const auto& v : trace.visits)
        for (const auto& s : v.services)
            if (!services.count(s)) return "visit " + v.id + " needs an unknown service '" + s + "'";
    if (trace.services.empty()) return std::string("the trace has no services");
    if (trace.counters.empty()) return std::string("the trace has no counters");
    return std::nullopt;
}

json durationJson(const DurationDist& d) {
    return json{{"dist", d.dist}, {"mean_s", d.meanS}, {"cv", d.cv}, {"min_s", d.minS}, {"max_s", d.maxS}};
}

std::string hexSeed(std::uint64_t seed) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llX", static_cast<unsigned long long>(seed));
    return buf;
}

} // namespace

Result<Trace> parseTrace(const std::string& text) {
    Trace trace;
    std::set<std::string> ids;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    bool sawMeta = false;
    while (std::getline(in, line)) {
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            json j = json::parse(line);
            if (!j.is_object()) throw LineError{"each line must be a JSON object"};
            if (!sawMeta && j.value("type", "") != "meta") throw LineError{"the first line must be the meta line"};
            sawMeta = true;
            parseLine(j, trace, ids);
        } catch (const LineError& e) {
            return makeError(ErrorCode::InvalidValue, "line " + std::to_string(number) + ": " + e.message);
        } catch (const json::exception& e) {
            return makeError(ErrorCode::InvalidJson, "line " + std::to_string(number) + ": " + e.what());
        }
    }
    if (!sawMeta) return makeError(ErrorCode::InvalidValue, "the trace is empty: no meta line");
    if (auto problem = checkReferences(trace)) return makeError(ErrorCode::InvalidValue, *problem);
    return trace;
}

Result<Trace> readTraceFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorCode::Io, "cannot open trace '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    auto trace = parseTrace(text.str());
    if (!trace) return makeError(trace.error().code, path + ": " + trace.error().message);
    return trace;
}

std::string writeTrace(const Trace& t) {
    std::string out;
    auto line = [&](const json& j) { out += j.dump() + "\n"; };
    line(json{{"type", "meta"}, {"schema", "hallday/1"}, {"scenario", t.meta.scenario}, {"date", t.meta.date},
              {"tz", t.meta.tz}, {"seed", hexSeed(t.meta.seed)}, {"replication", t.meta.replication}});
    const TraceRules& r = t.rules;
    line(json{{"type", "rules"}, {"appt_norm_s", r.apptNormS}, {"walkin_norm_s", r.walkInNormS},
              {"early_checkin_window_s", r.earlyCheckInWindowS}, {"late_grace_s", r.lateGraceS},
              {"no_answer_s", r.noAnswerS}, {"doors_close_s", r.doorsCloseS}});
    for (const auto& s : t.services) {
        json channels = json::array();
        if (s.appointment) channels.push_back("appointment");
        if (s.walkIn) channels.push_back("walkin");
        line(json{{"type", "service"}, {"id", s.id}, {"label", s.label}, {"skill", s.skill}, {"slot_s", s.slotS},
                  {"channels", channels}, {"dur", durationJson(s.dur)}});
    }
    for (const auto& c : t.counters) {
        json shifts = json::array();
        for (auto [a, b] : c.shifts) shifts.push_back(json::array({a, b}));
        line(json{{"type", "counter"}, {"id", c.id}, {"skills", c.skills}, {"shifts", shifts}});
    }
    for (const auto& e : t.counterEvents) {
        json j{{"type", "counter_event"}, {"counter", e.counter}, {"t", e.t}, {"kind", e.kind}, {"truth", true}};
        if (e.kind == "down" && e.until > 0) j["until"] = e.until;
        line(j);
    }
    for (const auto& v : t.visits) {
        json truth;
        if (v.appointment) truth["show"] = v.truth.show;
        if (v.truth.show) {
            truth["t_checkin"] = v.truth.tCheckIn;
            truth["dur_s"] = v.truth.durS;
            if (!v.truth.answersCall.empty()) truth["answers_call"] = v.truth.answersCall;
            if (v.truth.tLeave) truth["t_leave"] = *v.truth.tLeave;
        }
        json j{{"type", v.appointment ? "appointment" : "walkin"}, {"id", v.id}};
        if (v.appointment) j["t_appt"] = v.tAppt;
        j["services"] = v.services;
        j["truth"] = truth;
        line(j);
    }
    return out;
}

} // namespace loket::sim
