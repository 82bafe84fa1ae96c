#include "scenario.hpp"

#include "shared/config/config_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>

namespace loket::sim {
namespace {

using config::FirstError;
using config::Section;

constexpr std::int64_t kDayS = 24 * 3600;
constexpr double kHuge = std::numeric_limits<double>::max();

// A key every scenario must have: the getters of config::Section leave a value as it is when
// its key is absent, so a required key is checked first.
Status need(const Section& section, const char* key) {
    if (!section.has(key)) return section.fail(key, "is missing");
    return Ok{};
}

// A time of day: whole seconds since midnight or "HH:MM".
std::optional<Seconds> clockOf(const toml::node& node) {
    if (auto i = node.value<std::int64_t>(); i && node.is_integer()) {
        if (*i < 0 || *i > kDayS) return std::nullopt;
        return *i;
    }
    auto s = node.value<std::string>();
    if (!node.is_string() || !s || s->size() != 5 || (*s)[2] != ':') return std::nullopt;
    for (int i : {0, 1, 3, 4})
        if ((*s)[i] < '0' || (*s)[i] > '9') return std::nullopt;
    const int h = ((*s)[0] - '0') * 10 + ((*s)[1] - '0');
    const int m = ((*s)[3] - '0') * 10 + ((*s)[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m > 0)) return std::nullopt;
    return h * 3600 + m * 60;
}

Status clock(const Section& section, const char* key, Seconds& out) {
    const toml::node* node = section.table().get(key);
    if (!node) return Ok{};
    auto value = clockOf(*node);
    if (!value) return section.fail(key, "must be a time of day, \"HH:MM\" or whole seconds since midnight");
    out = *value;
    return Ok{};
}

// [[start, end], …] or, `weighted`, [[start, end, weight], …]: pieces of the day, each ending
// after it starts (a weight: the relative arrival intensity, ≥ 0).
Status periods(const Section& section, const char* key, bool weighted, std::vector<RatePeriod>& out) {
    const char* shape = weighted ? "[start, end, weight]" : "[start, end]";
    const toml::array* list = section.table().get_as<toml::array>(key);
    if (!list || list->empty()) return section.fail(key, std::string("must be a non-empty list of ") + shape);
    out.clear();
    for (const auto& item : *list) {
        const toml::array* p = item.as_array();
        std::optional<Seconds> from, to;
        std::optional<double> weight = 1.0;
        if (p && p->size() == (weighted ? 3u : 2u)) {
            from = clockOf(*p->get(0));
            to = clockOf(*p->get(1));
            if (weighted) weight = p->get(2)->value<double>();
        }
        if (!from || !to || !weight) return section.fail(key, std::string("must be a list of ") + shape + " with times \"HH:MM\"");
        if (*from >= *to || *weight < 0) return section.fail(key, "each period must end after it starts (and a weight is ≥ 0)");
        out.push_back(RatePeriod{*from, *to, *weight});
    }
    return Ok{};
}

Status profile(const Section& section, const char* key, std::vector<RatePeriod>& out) { return periods(section, key, true, out); }

Status spans(const Section& section, const char* key, std::vector<std::pair<Seconds, Seconds>>& out) {
    std::vector<RatePeriod> read;
    if (auto st = periods(section, key, false, read); !st) return st;
    out.clear();
    for (const RatePeriod& r : read) out.emplace_back(r.from, r.to);
    return Ok{};
}

// { SERVICE = weight, … } over services of the catalogue.
Status mix(const Section& section, const char* key, const std::set<std::string>& known, std::map<std::string, double>& out) {
    const toml::node* node = section.table().get(key);
    if (!node) return Ok{};
    const toml::table* table = node->as_table();
    if (!table || table->empty()) return section.fail(key, "must be a non-empty table { SERVICE = weight }");
    out.clear();
    for (const auto& [name, value] : *table) {
        const std::string id(name.str());
        if (!known.count(id)) return section.fail(key, "no service '" + id + "' in the catalogue");
        auto weight = value.value<double>();
        if (!weight || *weight < 0) return section.fail(key, "the weight of '" + id + "' must be a number ≥ 0");
        out[id] = *weight;
    }
    return Ok{};
}

Result<std::vector<ServiceSpec>> catalogue(const config::Document& doc) {
    const Section root = Section::root(doc);
    if (auto st = root.only({"service"}); !st) return st.error();
    auto entries = root.tables("service");
    if (!entries) return entries.error();
    if (entries->empty()) return root.fail("service", "no [[service]] entries");
    std::vector<ServiceSpec> out;
    for (const Section& s : *entries) {
        ServiceSpec spec;
        TraceService& t = spec.service;
        std::vector<std::string> channels;
        FirstError r;
        r << s.only({"id", "label", "skill", "slot_s", "channels", "mean_s", "cv", "min_s", "max_s", "combine"});
        for (const char* key : {"id", "label", "skill", "channels", "mean_s", "cv"}) r << need(s, key);
        r << s.text("id", t.id) << s.text("label", t.label) << s.text("skill", t.skill)
          << s.integer("slot_s", 60, kDayS, t.slotS) << s.texts("channels", channels)
          << s.number("mean_s", 1, kDayS, t.dur.meanS) << s.number("cv", 0, 10, t.dur.cv)
          << s.integer("min_s", 1, kDayS, t.dur.minS) << s.integer("max_s", 1, kDayS, t.dur.maxS)
          << s.boolean("combine", spec.combine);
        if (r.error()) return *r.error();
        for (const auto& c : channels)
            if (c != "appointment" && c != "walkin") return s.fail("channels", "a channel is \"appointment\" or \"walkin\", not \"" + c + "\"");
        t.appointment = std::find(channels.begin(), channels.end(), "appointment") != channels.end();
        t.walkIn = std::find(channels.begin(), channels.end(), "walkin") != channels.end();
        if (t.dur.minS > t.dur.maxS) return s.fail("min_s", "must not be above max_s");
        out.push_back(std::move(spec));
    }
    return out;
}

Result<ScenarioSpec> parse(const config::Document& doc, const std::filesystem::path& dir) {
    const Section root = Section::root(doc);
    ScenarioSpec s;
    FirstError r;
    r << root.only({"name", "date", "seed", "services", "rules", "calls", "counters", "failures", "appointments", "walkins",
                    "breakdowns"});
    for (const char* key : {"name", "date", "seed", "services", "rules", "counters", "appointments", "walkins"}) r << need(root, key);
    std::int64_t seed = 0;
    std::string catalogueFile;
    r << root.text("name", s.name) << root.text("date", s.date) << root.integer("seed", 0, std::numeric_limits<std::int64_t>::max(), seed)
      << root.text("services", catalogueFile);
    if (r.error()) return *r.error();
    core::LocalDay day;
    if (!core::parseDate(s.date, day)) return root.fail("date", "must be a date YYYY-MM-DD");
    s.seed = static_cast<std::uint64_t>(seed);

    auto rules = root.section("rules");
    if (!rules) return rules.error();
    r << rules->only({"appt_norm_s", "walkin_norm_s", "early_checkin_window_s", "late_grace_s", "no_answer_s", "doors_close"});
    for (const char* key : {"appt_norm_s", "walkin_norm_s", "early_checkin_window_s", "late_grace_s", "no_answer_s", "doors_close"})
        r << need(*rules, key);
    r << rules->integer("appt_norm_s", 0, kDayS, s.rules.apptNormS) << rules->integer("walkin_norm_s", 0, kDayS, s.rules.walkInNormS)
      << rules->integer("early_checkin_window_s", 0, kDayS, s.rules.earlyCheckInWindowS)
      << rules->integer("late_grace_s", 0, kDayS, s.rules.lateGraceS) << rules->integer("no_answer_s", 0, kDayS, s.rules.noAnswerS)
      << clock(*rules, "doors_close", s.rules.doorsCloseS);
    if (r.error()) return *r.error();

    auto cat = config::loadToml(dir / catalogueFile);
    if (!cat) return cat.error();
    auto services = catalogue(*cat);
    if (!services) return services.error();
    s.services = std::move(*services);
    std::set<std::string> known, skills;
    for (const auto& sv : s.services) {
        known.insert(sv.service.id);
        skills.insert(sv.service.skill);
    }

    auto groups = root.tables("counters");
    if (!groups) return groups.error();
    for (const Section& g : *groups) {
        CounterGroup cg;
        r << g.only({"prefix", "count", "skills", "shifts"});
        for (const char* key : {"prefix", "count", "skills", "shifts"}) r << need(g, key);
        r << g.text("prefix", cg.prefix) << g.integer("count", 1, 99, cg.count) << g.texts("skills", cg.skills)
          << spans(g, "shifts", cg.shifts);
        if (r.error()) return *r.error();
        for (const auto& k : cg.skills)
            if (!skills.count(k)) return g.fail("skills", "no service of the catalogue has the skill '" + k + "'");
        s.counters.push_back(std::move(cg));
    }

    auto appt = root.section("appointments");
    if (!appt) return appt.error();
    r << appt->only({"count", "no_show", "profile", "grid_s", "mix", "two_services", "three_services", "checkin_mean_s",
                     "checkin_sd_s"});
    r << need(*appt, "count") << appt->integer("count", 0, 1'000'000, s.appointments)
      << appt->number("no_show", 0, 1, s.noShowShare) << appt->integer("grid_s", 60, kDayS, s.bookGridS)
      << mix(*appt, "mix", known, s.appointmentMix) << appt->number("two_services", 0, 1, s.twoServicesShare)
      << appt->number("three_services", 0, 1, s.threeServicesShare)
      << appt->number("checkin_mean_s", -kDayS, kDayS, s.checkInMeanS) << appt->number("checkin_sd_s", 0, kDayS, s.checkInSdS);
    if (s.appointments > 0) r << need(*appt, "profile") << profile(*appt, "profile", s.bookProfile) << need(*appt, "mix");
    if (r.error()) return *r.error();

    auto walk = root.section("walkins");
    if (!walk) return walk.error();
    r << walk->only({"count", "profile", "mix", "two_services", "leave_share", "leave_after_mean_s", "leave_after_sd_s"});
    r << need(*walk, "count") << walk->integer("count", 0, 1'000'000, s.walkIns)
      << walk->number("two_services", 0, 1, s.walkInTwoServicesShare) << walk->number("leave_share", 0, 1, s.leaveShare)
      << walk->number("leave_after_mean_s", 0, kDayS, s.leaveAfterMeanS) << walk->number("leave_after_sd_s", 0, kDayS, s.leaveAfterSdS);
    if (s.walkIns > 0)
        r << need(*walk, "profile") << profile(*walk, "profile", s.walkInProfile) << need(*walk, "mix")
          << mix(*walk, "mix", known, s.walkInMix);
    if (r.error()) return *r.error();

    auto calls = root.section("calls");
    auto downs = root.section("breakdowns");
    if (!calls) return calls.error();
    if (!downs) return downs.error();
    r << calls->only({"no_answer", "gone"}) << calls->number("no_answer", 0, 1, s.noAnswerShare)
      << calls->number("gone", 0, 1, s.goneShare);
    r << downs->only({"chance_per_counter", "mean_s"}) << downs->number("chance_per_counter", 0, 1, s.counterDownChance)
      << downs->number("mean_s", 0, kHuge, s.counterDownMeanS);
    if (r.error()) return *r.error();

    auto failures = root.tables("failures");
    if (!failures) return failures.error();
    for (const Section& f : *failures) {
        PlannedFailure pf;
        r << f.only({"counter", "from", "to", "until"});
        for (const char* key : {"counter", "from", "to", "until"}) r << need(f, key);
        r << f.text("counter", pf.counter) << clock(f, "from", pf.from) << clock(f, "to", pf.to) << clock(f, "until", pf.until);
        if (r.error()) return *r.error();
        bool counterKnown = false;
        for (const auto& g : s.counters)
            for (int k = 1; k <= g.count; ++k) counterKnown |= pf.counter == g.prefix + (k < 10 ? "0" : "") + std::to_string(k);
        if (!counterKnown) return f.fail("counter", "no counter '" + pf.counter + "' in the [[counters]] groups");
        if (pf.from >= pf.to || pf.to > pf.until) return f.fail("need from < to ≤ until");
        s.failures.push_back(std::move(pf));
    }
    return s;
}

} // namespace

Result<ScenarioSpec> loadScenarioFile(const std::string& path) {
    auto doc = config::loadToml(path);
    if (!doc) return makeError(ErrorCode::ConfigError, doc.error().message);
    return parse(*doc, std::filesystem::path(path).parent_path());
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
