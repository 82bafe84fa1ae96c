#include "wire_json.hpp"

#include <cstdio>

namespace loket::proto {
using namespace loket::core;

Json localText(const LocalText& text) {
    Json j = Json::object();
    for (const auto& [lang, value] : text) j[lang] = value;
    return j;
}

namespace {
Json optionalTime(const WireContext& ctx, const std::optional<Seconds>& t) {
    return t ? Json(rfc3339(*t, ctx.utcOffsetS)) : Json(nullptr);
}
} // namespace

Json ticketJson(const WireContext& ctx, const Ticket& t, Audience audience) {
    const HallConfig& config = ctx.state.config();
    Json services = Json::array();
    for (auto s : t.services) services.push_back(config.services[s].id);
    Json j = {
        {"id", t.id},
        {"number", t.number},
        {"service", config.services[t.services.front()].id},
        {"services", services},
        {"kind", ticketKindName(t.kind)},
        {"status", ticketStatusName(t.status)},
        {"issued_at", rfc3339(t.issuedAt, ctx.utcOffsetS)},
        {"due_at", rfc3339(ticketDueAt(t, config), ctx.utcOffsetS)},
        {"called_at", optionalTime(ctx, t.lastCalledAt)},
        {"first_called_at", optionalTime(ctx, t.firstCalledAt)},
        {"started_at", optionalTime(ctx, t.startedAt)},
        {"ended_at", optionalTime(ctx, t.endedAt)},
        {"counter", t.counter ? Json(config.counters[*t.counter].id) : Json(nullptr)},
        {"counter_name", t.counter ? Json(config.counters[*t.counter].name) : Json(nullptr)},
        {"language", t.language},
        {"outcome", t.outcome == Outcome::None ? Json(nullptr) : Json(outcomeName(t.outcome))},
        {"position", nullptr},
        {"estimated_wait_s", nullptr},
        {"estimated_wait_range_s", nullptr},
    };
    if (ctx.prediction && t.status == TicketStatus::Waiting) {
        auto it = ctx.prediction->tickets.find(t.id);
        const WaitEstimate* e = it != ctx.prediction->tickets.end() ? &it->second : nullptr;
        if (!e && ctx.newWalkInWaits && t.services.front() < ctx.newWalkInWaits->size() &&
            (*ctx.newWalkInWaits)[t.services.front()])
            e = &*(*ctx.newWalkInWaits)[t.services.front()];
        if (e) {
            j["position"] = e->position;
            j["estimated_wait_s"] = e->waitS;
            j["estimated_wait_range_s"] = Json::array({e->lowS, e->highS});
        }
    }
    if (t.kind == TicketKind::Appointment) {
        Json appt = {{"starts_at", rfc3339(t.appointmentAt, ctx.utcOffsetS)}};
        if (audience == Audience::Staff) {
            appt["code"] = t.appointmentCode.value_or("");
            if (const Appointment* a = ctx.state.appointment(t.appointmentCode.value_or("")))
                appt["name"] = a->name.empty() ? Json(nullptr) : Json(a->name);
        }
        j["appointment"] = appt;
    } else {
        j["appointment"] = nullptr;
    }
    if (audience == Audience::Staff || audience == Audience::Kiosk) j["public_code"] = t.publicCode;
    if (audience == Audience::Staff) {
        j["note"] = t.note;
        j["feedback"] = t.feedbackScore ? Json{{"score", *t.feedbackScore}, {"comment", t.feedbackComment}} : Json(nullptr);
        j["only_counter"] = t.onlyCounter ? Json(config.counters[*t.onlyCounter].id) : Json(nullptr);
        j["calls"] = t.calls;
        j["needs"] = needsJson(t.needs);
        j["not_before"] = t.notBefore > t.issuedAt ? Json(rfc3339(t.notBefore, ctx.utcOffsetS)) : Json(nullptr);
    }
    return j;
}

Json counterJson(const WireContext& ctx, CounterIndex index, Audience audience) {
    const HallConfig& config = ctx.state.config();
    const CounterConfig& cc = config.counters[index];
    const CounterStatus& st = ctx.state.counters()[index];
    Json skills = Json::array(), active = Json::array();
    for (std::size_t s = 0; s < config.services.size(); ++s) {
        if (cc.skills & bit(static_cast<ServiceIndex>(s))) skills.push_back(config.services[s].id);
        if (st.services & bit(static_cast<ServiceIndex>(s))) active.push_back(config.services[s].id);
    }
    Json j = {
        {"id", cc.id},
        {"name", cc.name},
        {"services", st.state == CounterState::Closed ? skills : active},
        {"skills", skills},
        {"state", counterStateName(st.state)},
        {"ticket", nullptr},
    };
    if (st.ticket)
        if (const Ticket* t = ctx.state.ticket(*st.ticket)) j["ticket"] = ticketJson(ctx, *t, audience);
    return j;
}

Json serviceJson(const WireContext& ctx, ServiceIndex index, const std::optional<WaitEstimate>& newWalkInWait) {
    const ServiceConfig& s = ctx.state.config().services[index];
    return {
        {"id", s.id},
        {"name", localText(s.name)},
        {"description", localText(s.description)},
        {"bring", localText(s.bring)},
        {"public_label", s.publicLabel ? localText(*s.publicLabel) : Json(nullptr)},
        {"prefix", std::string(1, s.prefix)},
        {"walk_in", s.walkIn},
        {"appointment", s.appointment},
        {"online", s.online},
        {"expected_duration_s", ctx.state.durations().expected(ctx.state.config(), index)},
        {"walk_in_target_s", s.walkInTargetS},
        {"waiting", ctx.state.waitingCount(index)},
        {"estimated_wait_s", newWalkInWait ? Json(newWalkInWait->waitS) : Json(nullptr)},
        {"estimated_wait_range_s", newWalkInWait ? Json::array({newWalkInWait->lowS, newWalkInWait->highS}) : Json(nullptr)},
    };
}

Json appointmentJson(const WireContext& ctx, const Appointment& a) {
    Json services = Json::array();
    for (auto s : a.services) services.push_back(ctx.state.config().services[s].id);
    Json j = {
        {"code", a.code},
        {"services", services},
        {"starts_at", rfc3339(a.startsAt, ctx.utcOffsetS)},
        {"duration_s", a.durationS},
        {"persons", a.persons},
        {"status", appointmentStatusName(a.status)},
        {"name", a.name.empty() ? Json(nullptr) : Json(a.name)},
        {"ticket", nullptr},
    };
    if (a.ticket)
        if (const Ticket* t = ctx.state.ticket(*a.ticket)) j["ticket"] = t->number;
    return j;
}

Json recentCallJson(const WireContext& ctx, const RecentCall& call) {
    const CounterConfig& cc = ctx.state.config().counters[call.counter];
    const Ticket* t = ctx.state.ticket(call.ticket);
    return {
        {"ticket_id", call.ticket},
        {"number", call.number},
        {"counter", cc.id},
        {"counter_name", cc.name},
        {"called_at", rfc3339(call.at, ctx.utcOffsetS)},
        {"recall", call.recall},
        {"language", t ? t->language : std::string("nl")},
    };
}

namespace {
Json waitJson(const WaitSummary& w) {
    return {{"count", w.count}, {"p50_s", w.p50}, {"p95_s", w.p95}, {"max_s", w.max}};
}
Json optionalNumber(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
} // namespace

Json statsJson(const DayStats& d) {
    Json byService = Json::array(), byHour = Json::array();
    for (const auto& s : d.byService)
        byService.push_back({{"service", s.service}, {"visitors", s.visitors}, {"waiting", s.waiting},
                             {"wait_p50_s", s.wait.p50}, {"wait_p95_s", s.wait.p95}, {"wait_max_s", s.wait.max},
                             {"answered_at_door", s.answeredAtDoor}});
    for (const auto& h : d.byHour)
        byHour.push_back({{"hour", h.hour}, {"visitors", h.visitors},
                          {"appointment_wait_p95_s", h.appointmentWait.p95}, {"walk_in_wait_p95_s", h.walkInWait.p95},
                          {"appointment_wait_max_s", h.appointmentWait.max}, {"walk_in_wait_max_s", h.walkInWait.max},
                          {"pct_appointments_within_norm", optionalNumber(h.pctAppointmentsWithinNorm)}});
    return {
        {"date", d.date},
        {"visitors", d.visitors},
        {"appointments", d.appointments},
        {"walk_ins", d.walkIns},
        {"no_shows", d.noShows},
        {"waiting", d.waiting},
        {"wait", {{"appointment", waitJson(d.appointmentWait)}, {"walk_in", waitJson(d.walkInWait)}}},
        {"pct_appointments_within_norm", optionalNumber(d.pctAppointmentsWithinNorm)},
        {"pct_walk_ins_within_target", optionalNumber(d.pctWalkInsWithinTarget)},
        {"by_service", byService},
        {"by_hour", byHour},
        {"feedback", {{"count", d.feedbackCount}, {"average", optionalNumber(d.feedbackAverage)}}},
        {"outcomes", d.outcomes},
        {"answered_at_door", d.answeredAtDoor},
    };
}

Json needsJson(const VisitNeeds& needs) { return {{"kinds", needList(needs)}, {"language", needs.language}}; }

Result<VisitNeeds> needsFromJson(const Json& j) {
    if (!j.is_object()) return makeError(ErrorCode::InvalidValue, "needs must be an object {kinds, language}.");
    for (const auto& [key, value] : j.items())
        if (key != "kinds" && key != "language") return makeError(ErrorCode::InvalidValue, "needs has no field '" + key + "'.");
    VisitNeeds needs;
    if (j.contains("kinds")) {
        if (!j["kinds"].is_array()) return makeError(ErrorCode::InvalidValue, "needs.kinds must be a list.");
        for (const auto& k : j["kinds"]) {
            if (!k.is_string() || !setNeed(needs, k.get<std::string>()))
                return makeError(ErrorCode::InvalidValue,
                                 "needs.kinds may hold sitting_desk, hearing_loop, interpreter, extra_time and companion.");
        }
    }
    if (j.contains("language")) {
        if (!j["language"].is_string()) return makeError(ErrorCode::InvalidValue, "needs.language must be text.");
        needs.language = j["language"].get<std::string>();
        if (needs.language.size() > kMaxNeedLanguageBytes)
            return makeError(ErrorCode::InvalidValue, "needs.language is longer than " + std::to_string(kMaxNeedLanguageBytes) + " bytes.");
    }
    return needs;
}

Json visitJson(const WireContext& ctx, const Ticket& t) {
    const HallConfig& config = ctx.state.config();
    const ServiceConfig& svc = config.services[t.services.front()];
    Json j = {
        {"number", t.number},
        {"service", svc.id},
        {"service_name", localText(svc.publicLabel ? *svc.publicLabel : svc.name)},
        {"status", ticketStatusName(t.status)},
        {"kind", ticketKindName(t.kind)},
        {"position", nullptr},
        {"estimated_wait_s", nullptr},
        {"estimated_wait_range_s", nullptr},
        {"counter", t.counter && (t.status == TicketStatus::Called || t.status == TicketStatus::Serving)
                        ? Json(config.counters[*t.counter].name) : Json(nullptr)},
        {"language", t.language},
        {"feedback_given", t.feedbackScore.has_value()},
        {"appointment_at", t.kind == TicketKind::Appointment ? Json(rfc3339(t.appointmentAt, ctx.utcOffsetS)) : Json(nullptr)},
    };
    if (ctx.prediction && t.status == TicketStatus::Waiting) {
        auto it = ctx.prediction->tickets.find(t.id);
        if (it != ctx.prediction->tickets.end()) {
            j["position"] = it->second.position;
            j["estimated_wait_s"] = it->second.waitS;
            j["estimated_wait_range_s"] = Json::array({it->second.lowS, it->second.highS});
        }
    }
    return j;
}

} // namespace loket::proto
