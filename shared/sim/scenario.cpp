#include "scenario.hpp"

#include "shared/config/config_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace loket::sim {
namespace {

struct Bad {
    std::string message;
};
// A file the scenario names (its service catalogue) that cannot be read or parsed.
struct BadFile {
    Error error;
};

template <typename T>
T need(const toml::node_view<const toml::node>& node, const std::string& key) {
    auto v = node[key].value<T>();
    if (!v) throw Bad{"missing or wrong type: '" + key + "'"};
    return *v;
}

template <typename T>
T optional(const toml::node_view<const toml::node>& node, const std::string& key, T fallback) {
    return node[key].value<T>().value_or(fallback);
}

double share(const toml::node_view<const toml::node>& node, const std::string& key, double fallback) {
    double v = optional<double>(node, key, fallback);
    if (v < 0 || v > 1) throw Bad{"'" + key + "' must be a share between 0 and 1"};
    return v;
}

std::vector<std::string> strings(const toml::node_view<const toml::node>& node, const std::string& key) {
    const toml::array* arr = node[key].as_array();
    if (!arr || arr->empty()) throw Bad{"'" + key + "' must be a non-empty list of strings"};
    std::vector<std::string> out;
    for (const auto& e : *arr) {
        auto s = e.value<std::string>();
        if (!s) throw Bad{"'" + key + "' must be a list of strings"};
        out.push_back(*s);
    }
    return out;
}

// [[a, b], …] as whole seconds, or "HH:MM" strings.
Seconds clock(const toml::node& n, const std::string& key) {
    if (auto i = n.value<std::int64_t>()) return *i;
    if (auto s = n.value<std::string>(); s && s->size() == 5 && (*s)[2] == ':') {
        int h = std::stoi(s->substr(0, 2)), m = std::stoi(s->substr(3, 2));
        return h * 3600 + m * 60;
    }
    throw Bad{"'" + key + "' holds a time that is neither seconds nor \"HH:MM\""};
}

std::vector<std::pair<Seconds, Seconds>> spans(const toml::node_view<const toml::node>& node, const std::string& key) {
    const toml::array* arr = node[key].as_array();
    if (!arr || arr->empty()) throw Bad{"'" + key + "' must be a list of [start, end]"};
    std::vector<std::pair<Seconds, Seconds>> out;
    for (const auto& e : *arr) {
        const toml::array* pair = e.as_array();
        if (!pair || pair->size() < 2) throw Bad{"'" + key + "' must be a list of [start, end]"};
        Seconds a = clock(*pair->get(0), key), b = clock(*pair->get(1), key);
        if (a >= b) throw Bad{"'" + key + "': a period must end after it starts"};
        out.emplace_back(a, b);
    }
    return out;
}

// [[start, end, weight], …]
std::vector<RatePeriod> profile(const toml::node_view<const toml::node>& node, const std::string& key) {
    const toml::array* arr = node[key].as_array();
    if (!arr || arr->empty()) throw Bad{"'" + key + "' must be a list of [start, end, weight]"};
    std::vector<RatePeriod> out;
    for (const auto& e : *arr) {
        const toml::array* p = e.as_array();
        if (!p || p->size() != 3) throw Bad{"'" + key + "' must be a list of [start, end, weight]"};
        RatePeriod r{clock(*p->get(0), key), clock(*p->get(1), key), p->get(2)->value<double>().value_or(-1)};
        if (r.from >= r.to || r.weight < 0) throw Bad{"'" + key + "': each period needs start < end and a weight ≥ 0"};
        out.push_back(r);
    }
    return out;
}

std::map<std::string, double> mix(const toml::node_view<const toml::node>& node, const std::set<std::string>& known) {
    const toml::table* t = node.as_table();
    if (!t || t->empty()) throw Bad{"a service mix table is missing or empty"};
    std::map<std::string, double> out;
    for (const auto& [k, v] : *t) {
        const std::string id(k.str());
        if (!known.count(id)) throw Bad{"the mix names an unknown service '" + id + "'"};
        auto w = v.value<double>();
        if (!w || *w < 0) throw Bad{"the mix weight of '" + id + "' must be a number ≥ 0"};
        out[id] = *w;
    }
    return out;
}

std::vector<ServiceSpec> catalogue(const toml::table& root) {
    const toml::array* arr = root["service"].as_array();
    if (!arr || arr->empty()) throw Bad{"no [[service]] entries"};
    std::vector<ServiceSpec> out;
    for (const auto& e : *arr) {
        toml::node_view<const toml::node> s(e);
        ServiceSpec spec;
        TraceService& t = spec.service;
        t.id = need<std::string>(s, "id");
        t.label = need<std::string>(s, "label");
        t.skill = need<std::string>(s, "skill");
        t.slotS = optional<std::int64_t>(s, "slot_s", 600);
        auto channels = strings(s, "channels");
        t.appointment = std::find(channels.begin(), channels.end(), "appointment") != channels.end();
        t.walkIn = std::find(channels.begin(), channels.end(), "walkin") != channels.end();
        t.dur.meanS = need<double>(s, "mean_s");
        t.dur.cv = need<double>(s, "cv");
        t.dur.minS = optional<std::int64_t>(s, "min_s", 60);
        t.dur.maxS = optional<std::int64_t>(s, "max_s", 4 * 3600);
        if (t.dur.meanS <= 0 || t.dur.cv < 0 || t.dur.minS <= 0 || t.dur.minS > t.dur.maxS)
            throw Bad{"service '" + t.id + "': need mean_s > 0, cv ≥ 0 and 0 < min_s ≤ max_s"};
        spec.combine = optional<bool>(s, "combine", false);
        out.push_back(std::move(spec));
    }
    return out;
}

ScenarioSpec parse(const toml::table& root, const std::filesystem::path& dir) {
    toml::node_view<const toml::node> r(root);
    ScenarioSpec s;
    s.name = need<std::string>(r, "name");
    s.date = need<std::string>(r, "date");
    core::LocalDay day;
    if (!core::parseDate(s.date, day)) throw Bad{"'date' must be YYYY-MM-DD"};
    s.seed = static_cast<std::uint64_t>(need<std::int64_t>(r, "seed"));

    auto rules = r["rules"];
    s.rules.apptNormS = need<std::int64_t>(rules, "appt_norm_s");
    s.rules.walkInNormS = need<std::int64_t>(rules, "walkin_norm_s");
    s.rules.earlyCheckInWindowS = need<std::int64_t>(rules, "early_checkin_window_s");
    s.rules.lateGraceS = need<std::int64_t>(rules, "late_grace_s");
    s.rules.noAnswerS = need<std::int64_t>(rules, "no_answer_s");
    const toml::node* doorsClose = rules["doors_close"].node();
    if (!doorsClose) throw Bad{"'rules.doors_close' is missing (the time the doors close, like \"17:00\")"};
    s.rules.doorsCloseS = clock(*doorsClose, "doors_close");

    const std::string catalogueFile = need<std::string>(r, "services");
    auto cat = config::loadToml(dir / catalogueFile);
    if (!cat) throw BadFile{cat.error()};
    s.services = catalogue(cat->root);
    std::set<std::string> known, skills;
    for (const auto& sv : s.services) {
        known.insert(sv.service.id);
        skills.insert(sv.service.skill);
    }

    const toml::array* groups = root["counters"].as_array();
    if (!groups || groups->empty()) throw Bad{"no [[counters]] groups"};
    for (const auto& g : *groups) {
        toml::node_view<const toml::node> gv(g);
        CounterGroup cg{need<std::string>(gv, "prefix"), static_cast<int>(need<std::int64_t>(gv, "count")),
                        strings(gv, "skills"), spans(gv, "shifts")};
        if (cg.count < 1 || cg.count > 99) throw Bad{"counter group '" + cg.prefix + "': count must be 1-99"};
        for (const auto& k : cg.skills)
            if (!skills.count(k)) throw Bad{"counter group '" + cg.prefix + "' has an unknown skill '" + k + "'"};
        s.counters.push_back(std::move(cg));
    }

    auto appt = r["appointments"];
    s.appointments = static_cast<int>(need<std::int64_t>(appt, "count"));
    s.noShowShare = share(appt, "no_show", 0);
    s.bookProfile = profile(appt, "profile");
    s.bookGridS = optional<std::int64_t>(appt, "grid_s", 300);
    s.appointmentMix = mix(appt["mix"], known);
    s.twoServicesShare = share(appt, "two_services", 0.20);
    s.threeServicesShare = share(appt, "three_services", 0.05);
    s.checkInMeanS = optional<double>(appt, "checkin_mean_s", -600);
    s.checkInSdS = optional<double>(appt, "checkin_sd_s", 600);

    auto walk = r["walkins"];
    s.walkIns = static_cast<int>(need<std::int64_t>(walk, "count"));
    if (s.walkIns > 0) {
        s.walkInProfile = profile(walk, "profile");
        s.walkInMix = mix(walk["mix"], known);
    }
    s.walkInTwoServicesShare = share(walk, "two_services", 0.05);
    s.leaveShare = share(walk, "leave_share", 0);
    s.leaveAfterMeanS = optional<double>(walk, "leave_after_mean_s", 3600);
    s.leaveAfterSdS = optional<double>(walk, "leave_after_sd_s", 900);

    auto calls = r["calls"];
    s.noAnswerShare = share(calls, "no_answer", 0.03);
    s.goneShare = share(calls, "gone", 0.01);
    auto downs = r["breakdowns"];
    s.counterDownChance = share(downs, "chance_per_counter", 0);
    s.counterDownMeanS = optional<double>(downs, "mean_s", 2700);
    if (const toml::array* failures = root["failures"].as_array()) {
        for (const auto& f : *failures) {
            toml::node_view<const toml::node> fv(f);
            PlannedFailure pf{need<std::string>(fv, "counter"), clock(*fv["from"].node(), "failures.from"),
                              clock(*fv["to"].node(), "failures.to"), clock(*fv["until"].node(), "failures.until")};
            bool known = false;
            for (const auto& g : s.counters)
                for (int k = 1; k <= g.count; ++k) known |= pf.counter == g.prefix + (k < 10 ? "0" : "") + std::to_string(k);
            if (!known) throw Bad{"failures: no counter '" + pf.counter + "'"};
            if (pf.from >= pf.to || pf.to > pf.until) throw Bad{"failures: need from < to <= until"};
            s.failures.push_back(std::move(pf));
        }
    }
    if (s.appointments < 0 || s.walkIns < 0) throw Bad{"counts must be ≥ 0"};
    if (s.appointments > 0 && s.appointmentMix.empty()) throw Bad{"appointments need a mix"};
    return s;
}

} // namespace

Result<ScenarioSpec> loadScenarioFile(const std::string& path) {
    auto doc = config::loadToml(path);
    if (!doc) return makeError(ErrorCode::ConfigError, doc.error().message);
    try {
        return parse(doc->root, std::filesystem::path(path).parent_path());
    } catch (const BadFile& e) {
        return makeError(ErrorCode::ConfigError, e.error.message);
    } catch (const Bad& e) {
        return config::configError({path, 0, "", e.message});
    } catch (const std::exception& e) {
        return config::configError({path, 0, "", e.what()});
    }
}

Result<ScenarioSpec> loadScenario(const std::string& nameOrPath, const std::string& scenarioDir) {
    namespace fs = std::filesystem;
    if (nameOrPath.find('/') != std::string::npos || nameOrPath.ends_with(".toml")) return loadScenarioFile(nameOrPath);
    const fs::path path = fs::path(scenarioDir) / (nameOrPath + ".toml");
    if (!fs::exists(path))
        return makeError(ErrorCode::NotFound, "no scenario '" + nameOrPath + "' in " + scenarioDir);
    return loadScenarioFile(path.string());
}

} // namespace loket::sim
