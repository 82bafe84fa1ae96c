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

void optionalTime(JsonWriter& w, const WireContext& ctx, const std::optional<Seconds>& t) {
    if (t) w.string(rfc3339(*t, ctx.utcOffsetS));
    else w.null();
}

void optionalCounterId(JsonWriter& w, const HallConfig& config, const std::optional<CounterIndex>& c) {
    if (c) w.string(config.counters[*c].id);
    else w.null();
}

// The id a service is shown under: its own for staff, the public one for everyone else.
std::string shownServiceId(const HallConfig& config, ServiceIndex s, bool staff) {
    return staff ? config.services[s].id : publicServiceId(config, s);
}

// The wait of a waiting ticket: its own place in the last prediction, or (newer than that run)
// what a walk-in of its service would wait now.
const WaitEstimate* ticketEstimate(const WireContext& ctx, const Ticket& t) {
    if (!ctx.prediction || t.status != TicketStatus::Waiting) return nullptr;
    auto it = ctx.prediction->tickets.find(t.id);
    if (it != ctx.prediction->tickets.end()) return &it->second;
    if (ctx.newWalkInWaits && t.services.front() < ctx.newWalkInWaits->size() && (*ctx.newWalkInWaits)[t.services.front()])
        return &*(*ctx.newWalkInWaits)[t.services.front()];
    return nullptr;
}

} // namespace

std::string publicServiceId(const HallConfig& config, ServiceIndex service) {
    const ServiceConfig& s = config.services[service];
    if (!s.publicLabel) return s.id;
    auto taken = [&](const std::string& id) {
        for (const auto& other : config.services)
            if (other.id == id) return true;
        return false;
    };
    // By position, so it says nothing of the matter; never one of the hall's real ids.
    // Built with append and insert, not `"s" + std::to_string(…)`: GCC 12 at -O3 warns falsely
    // on that operator+ (-Wstringop-overflow, GCC bug 105651).
    std::string id(1, 's');
    id.append(std::to_string(service + 1));
    while (taken(id)) id.insert(id.begin(), '_');
    return id;
}

void writeTicket(JsonWriter& w, const WireContext& ctx, const Ticket& t, Audience audience) {
    // The keys in sorted order, as the nlohmann object (a std::map) this replaced wrote them.
    const HallConfig& config = ctx.state.config();
    const bool staff = audience == Audience::Staff, kiosk = audience == Audience::Kiosk;
    const bool display = !staff && !kiosk; // displays and the visitor page: the fewest fields
    const WaitEstimate* estimate = display ? nullptr : ticketEstimate(ctx, t);
    w.beginObject();
    if (!display) {
        w.key("appointment");
        if (t.kind == TicketKind::Appointment) {
            w.beginObject();
            if (staff) {
                w.key("code").string(t.appointmentCode.value_or(""));
                if (const Appointment* a = ctx.state.appointment(t.appointmentCode.value_or(""))) {
                    w.key("name");
                    if (a->name.empty()) w.null();
                    else w.string(a->name);
                }
            }
            w.key("starts_at").string(rfc3339(t.appointmentAt, ctx.utcOffsetS));
            w.endObject();
        } else {
            w.null();
        }
    }
    w.key("called_at");
    optionalTime(w, ctx, t.lastCalledAt);
    if (staff) w.key("calls").number(t.calls);
    w.key("counter");
    optionalCounterId(w, config, t.counter);
    w.key("counter_name");
    if (t.counter) w.string(config.counters[*t.counter].name);
    else w.null();
    if (!display) w.key("due_at").string(rfc3339(ticketDueAt(t, config), ctx.utcOffsetS));
    if (staff) {
        w.key("ended_at");
        optionalTime(w, ctx, t.endedAt);
    }
    if (!display) {
        w.key("estimated_wait_range_s");
        if (estimate) w.beginArray().number(estimate->lowS).number(estimate->highS).endArray();
        else w.null();
        w.key("estimated_wait_s");
        if (estimate) w.number(estimate->waitS);
        else w.null();
    }
    if (staff) {
        w.key("feedback");
        if (t.feedbackScore) w.beginObject().key("comment").string(t.feedbackComment).key("score").number(*t.feedbackScore).endObject();
        else w.null();
        w.key("first_called_at");
        optionalTime(w, ctx, t.firstCalledAt);
    }
    w.key("id").number(t.id);
    if (!display) {
        w.key("issued_at").string(rfc3339(t.issuedAt, ctx.utcOffsetS));
        w.key("kind").string(ticketKindName(t.kind));
    }
    w.key("language").string(t.language);
    if (staff) {
        w.key("needs");
        writeNeeds(w, t.needs);
        w.key("not_before");
        if (t.notBefore > t.issuedAt) w.string(rfc3339(t.notBefore, ctx.utcOffsetS));
        else w.null();
        w.key("note").string(t.note);
    }
    w.key("number").string(t.number);
    if (staff) {
        w.key("only_counter");
        optionalCounterId(w, config, t.onlyCounter);
        w.key("outcome");
        if (t.outcome == Outcome::None) w.null();
        else w.string(outcomeName(t.outcome));
    }
    if (!display) {
        w.key("position");
        if (estimate) w.number(estimate->position);
        else w.null();
        w.key("public_code").string(t.publicCode);
    }
    w.key("service").string(shownServiceId(config, t.services.front(), staff));
    if (!display) {
        w.key("services").beginArray();
        for (auto s : t.services) w.string(shownServiceId(config, s, staff));
        w.endArray();
    }
    if (staff) {
        w.key("started_at");
        optionalTime(w, ctx, t.startedAt);
    }
    w.key("status").string(ticketStatusName(t.status));
    w.endObject();
}

void writeCounter(JsonWriter& w, const WireContext& ctx, CounterIndex index, Audience audience) {
    const HallConfig& config = ctx.state.config();
    const CounterConfig& cc = config.counters[index];
    const CounterStatus& st = ctx.state.counters()[index];
    const bool staff = audience == Audience::Staff;
    auto serviceList = [&](ServiceMask mask) {
        w.beginArray();
        for (std::size_t s = 0; s < config.services.size(); ++s)
            if (mask & bit(static_cast<ServiceIndex>(s))) w.string(shownServiceId(config, static_cast<ServiceIndex>(s), staff));
        w.endArray();
    };
    w.beginObject();
    w.key("id").string(cc.id);
    w.key("name").string(cc.name);
    w.key("services");
    serviceList(st.state == CounterState::Closed ? cc.skills : st.services);
    if (staff) {
        w.key("skills");
        serviceList(cc.skills);
    }
    w.key("state").string(counterStateName(st.state));
    w.key("ticket");
    const Ticket* t = st.ticket ? ctx.state.ticket(*st.ticket) : nullptr;
    if (t) writeTicket(w, ctx, *t, staff ? Audience::Staff : Audience::Display);
    else w.null();
    w.endObject();
}

namespace {
template <typename Write>
Json parsed(Write&& write) {
    std::string text;
    JsonWriter w(text);
    write(w);
    return Json::parse(text);
}
} // namespace

Json ticketJson(const WireContext& ctx, const Ticket& t, Audience audience) {
    return parsed([&](JsonWriter& w) { writeTicket(w, ctx, t, audience); });
}

Json counterJson(const WireContext& ctx, CounterIndex index, Audience audience) {
    return parsed([&](JsonWriter& w) { writeCounter(w, ctx, index, audience); });
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

void writeNeeds(JsonWriter& w, const VisitNeeds& needs) {
    w.beginObject().key("kinds").beginArray();
    for (const auto& kind : needList(needs)) w.string(kind);
    w.endArray().key("language").string(needs.language).endObject();
}

Json needsJson(const VisitNeeds& needs) {
    return parsed([&](JsonWriter& w) { writeNeeds(w, needs); });
}

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
