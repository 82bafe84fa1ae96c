#include "configuration_file.hpp"

#include "audit_log.hpp"
#include "log.hpp"

#include "shared/core/configuration.hpp"
#include "shared/proto/configuration_json.hpp"

#include <toml++/toml.h>

#include <sstream>

namespace loket::server {
using namespace loket::core;
using Json = nlohmann::json;

namespace {

constexpr const char* kFileActor = "config-file";

toml::table textTable(const LocalText& text) {
    toml::table t;
    for (const auto& [code, value] : text)
        if (!value.empty()) t.insert(code, value);
    t.is_inline(true);
    return t;
}

toml::array periodList(const OpenPeriods& periods) {
    toml::array a;
    for (const auto& p : proto::periodsJson(periods)) a.push_back(p.get<std::string>());
    return a;
}

toml::table hoursTable(const OpeningHours& hours) {
    static const char* days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    toml::table t;
    if (hours.alwaysOpen) {
        t.insert("always", true);
        return t;
    }
    for (std::size_t d = 0; d < 7; ++d) t.insert(days[d], periodList(hours.periods[d]));
    return t;
}

} // namespace

Result<HallConfig> startConfiguration(EventStore& store, const HallConfig& file, Seconds at) {
    auto stored = store.loadConfiguration();
    if (!stored) return stored.error();
    if (!stored->has_value()) {
        CommitBatch seed;
        seed.at = at;
        seed.configuration = proto::configurationDocument(file).dump();
        if (auto st = store.commit(seed); !st) return st.error();
        logLine("configuration", {{"source", "file"}, {"seeded", true}});
        return file;
    }
    const Json document = Json::parse(**stored, nullptr, false);
    if (document.is_discarded()) return makeError(ErrorCode::StoreFailed, "the stored configuration is not JSON");
    HallConfig live = file;
    if (auto st = proto::applyConfigurationDocument(document, live); !st) return st.error();
    logLine("configuration", {{"source", "store"}});
    return live;
}

Result<std::size_t> reconcileConfiguration(CommandExecutor& commands, const LiveState& state, AuditLog* audit, HallClock& clock,
                                           const HallConfig& file, bool apply) {
    const auto changes = state.read([&](const StateView& v) { return configurationDiff(v.state.config(), file); });
    for (const ConfigChange& change : changes)
        logLine("config_diff", {{"change", configChangeName(change)}, {"target", configChangeTarget(change)},
                                {"file", proto::configChangeToJson(change)}, {"applied", apply}});
    if (!changes.empty() && !apply)
        logLine("config_diff", {{"note", "the configuration file differs from the live configuration in the store; "
                                         "start with --apply-config to apply the file's changes"},
                                {"changes", changes.size()}});
    if (!apply) return changes.size();
    for (const ConfigChange& change : changes) {
        auto done = commands.execute(Configure{change, kFileActor, true});
        if (!done)
            return makeError(done.error().code, std::string("--apply-config: ") + configChangeName(change) + " " +
                                                    configChangeTarget(change) + ": " + done.error().message);
        if (audit) audit->record(kFileActor, "admin", clock.now(), std::string("configuration.") + configChangeName(change),
                                 configChangeTarget(change), "from the configuration file (--apply-config)");
    }
    return changes.size();
}

std::string exportConfigurationToml(const ServerConfig& server, const HallConfig& live) {
    toml::table root;
    toml::table hall;
    hall.insert("name", live.name);
    hall.insert("timezone", server.timeZone);
    hall.insert("public_base_url", server.publicBaseUrl);
    hall.insert("norm_s", live.normS);
    hall.insert("early_checkin_s", live.earlyCheckInS);
    hall.insert("no_answer_cooldown_s", live.noAnswerCooldownS);
    hall.insert("policy", policyName(live.policy));
    hall.insert("max_streams_per_credential", server.maxStreamsPerCredential);
    hall.insert("audit_days", server.auditDays);
    if (!server.trustedProxy.empty()) hall.insert("trusted_proxy", server.trustedProxy);
    if (!live.banner.empty()) hall.insert("banner", textTable(live.banner));
    root.insert("hall", hall);

    const NormPolicyParams& n = live.normParams;
    root.insert("norm_policy", toml::table{{"active_before_s", n.activeBeforeS}, {"walk_in_starvation_s", n.walkInStarvationS},
                                           {"slack_margin_s", n.slackMarginS}, {"look_ahead_s", n.lookAheadS},
                                           {"plan_horizon_s", n.planHorizonS}, {"hard_cap_s", n.hardCapS},
                                           {"walk_in_load_percent", n.walkInLoadPercent}, {"walk_in_grace_s", n.walkInGraceS},
                                           {"triage_limit", n.triageLimit},
                                           {"walk_in_grace_load_percent", n.walkInGracePercent},
                                           {"plan_risk_percent", n.planRiskPercent},
                                           {"walk_in_risk_percent", n.walkInRiskPercent}});
    root.insert("hours", hoursTable(live.hours));
    root.insert("walk_in_hours", hoursTable(live.walkInHours));

    toml::array exceptions;
    for (const auto& [day, e] : live.dayExceptions) {
        toml::table t{{"date", formatDate(day)}, {"kind", dayExceptionKindName(e.kind)}};
        if (!e.periods.empty()) t.insert("hours", periodList(e.periods));
        if (!e.note.empty()) t.insert("note", textTable(e.note));
        exceptions.push_back(std::move(t));
    }
    if (!exceptions.empty()) root.insert("hours_exception", exceptions);

    toml::array services;
    for (const ServiceConfig& s : live.services) {
        if (s.retired) continue;
        toml::table t{{"id", s.id}, {"prefix", std::string(1, s.prefix)}, {"name", textTable(s.name)}};
        if (!s.description.empty()) t.insert("description", textTable(s.description));
        if (!s.bring.empty()) t.insert("bring", textTable(s.bring));
        if (s.publicLabel) t.insert("public_label", textTable(*s.publicLabel));
        t.insert("walk_in", s.walkIn);
        t.insert("appointment", s.appointment);
        t.insert("online", s.online);
        t.insert("expected_duration_s", s.expectedDurationS);
        t.insert("walk_in_target_s", s.walkInTargetS);
        services.push_back(std::move(t));
    }
    root.insert("service", services);

    toml::array counters;
    for (const CounterConfig& c : live.counters) {
        if (c.retired) continue;
        toml::array skills;
        for (std::size_t i = 0; i < live.services.size(); ++i)
            if ((c.skills & bit(static_cast<ServiceIndex>(i))) && !live.services[i].retired) skills.push_back(live.services[i].id);
        toml::table t{{"id", c.id}, {"name", c.name}, {"services", skills}};
        if (!c.location.empty()) t.insert("location", c.location);
        if (c.sittingDesk) t.insert("sitting_desk", true);
        counters.push_back(std::move(t));
    }
    root.insert("counter", counters);

    std::ostringstream out;
    out << "# Loket hall configuration, exported from the admin page (/beheer).\n"
           "# The parts a hall manager changes there, and the hall's policy settings. IT settings stay in\n"
           "# the server's own file: listen address, TLS, store, directory, booking systems, devices, staff.\n\n"
        << root << "\n";
    return out.str();
}

} // namespace loket::server
