// The event stream's payloads and the check-in answer are written as JSON text (proto::JsonWriter)
// instead of nlohmann trees, and must stay byte for byte what the trees gave, so no client
// changes. The oracle below is the tree-based rendering as it was (main at 0db0dd2), kept here
// only to compare against: random seeded hall days with awkward names (quotes, backslashes,
// control characters, non-ASCII, empty texts) render every event, ticket, counter and answer
// both ways.
#include "server/audience_json.hpp"
#include "server/event_renderer.hpp"

#include "shared/proto/configuration_json.hpp"

#include "../core/hall_fixture.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <set>

using namespace loket;
using namespace loket::core;
using namespace loket::core::test;
using namespace loket::server;
using Json = nlohmann::json;

namespace oracle {

Json optionalTime(const proto::WireContext& ctx, const std::optional<Seconds>& t) {
    return t ? Json(proto::rfc3339(*t, ctx.utcOffsetS)) : Json(nullptr);
}

Json needsJson(const VisitNeeds& needs) { return {{"kinds", needList(needs)}, {"language", needs.language}}; }

Json ticketJson(const proto::WireContext& ctx, const Ticket& t, proto::Audience audience) {
    using proto::Audience;
    using proto::rfc3339;
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
        j["needs"] = oracle::needsJson(t.needs);
        j["not_before"] = t.notBefore > t.issuedAt ? Json(rfc3339(t.notBefore, ctx.utcOffsetS)) : Json(nullptr);
    }
    return j;
}

Json counterJson(const proto::WireContext& ctx, CounterIndex index, proto::Audience audience) {
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
        if (const Ticket* t = ctx.state.ticket(*st.ticket)) j["ticket"] = oracle::ticketJson(ctx, *t, audience);
    return j;
}

// The public cuts (server/audience_json.cpp as it was).
const std::initializer_list<const char*> kDisplayTicket = {"id", "number", "service", "status", "counter",
                                                           "counter_name", "language", "called_at"};
const std::initializer_list<const char*> kKioskTicket = {
    "id", "number", "service", "services", "kind", "status", "issued_at", "due_at", "called_at", "counter",
    "counter_name", "language", "position", "estimated_wait_s", "estimated_wait_range_s", "appointment", "public_code"};
const std::initializer_list<const char*> kCounter = {"id", "name", "services", "state", "ticket"};

Json only(const Json& full, std::initializer_list<const char*> keys) {
    Json out = Json::object();
    for (const char* k : keys)
        if (auto it = full.find(k); it != full.end()) out[k] = *it;
    return out;
}

std::optional<ServiceIndex> serviceIndex(const HallConfig& config, const std::string& id) {
    for (std::size_t s = 0; s < config.services.size(); ++s)
        if (config.services[s].id == id) return static_cast<ServiceIndex>(s);
    return std::nullopt;
}

std::string publicServiceId(const HallConfig& config, ServiceIndex service) {
    const ServiceConfig& s = config.services[service];
    if (!s.publicLabel) return s.id;
    std::string id(1, 's');
    id.append(std::to_string(service + 1));
    while (oracle::serviceIndex(config, id)) id.insert(id.begin(), '_');
    return id;
}

Json publicServiceIds(const HallConfig& config, const Json& realIds) {
    Json out = Json::array();
    for (const auto& id : realIds)
        if (auto s = oracle::serviceIndex(config, id.get<std::string>())) out.push_back(oracle::publicServiceId(config, *s));
    return out;
}

Json displayTicketJson(const HallConfig& config, const Ticket& ticket, const Json& rendered) {
    Json j = oracle::only(rendered, kDisplayTicket);
    j["service"] = oracle::publicServiceId(config, ticket.services.front());
    return j;
}

Json publicTicketJson(const proto::WireContext& ctx, const Ticket& ticket, PublicAudience audience) {
    const HallConfig& config = ctx.state.config();
    const bool kiosk = audience == PublicAudience::Kiosk;
    if (!kiosk) return oracle::displayTicketJson(config, ticket, oracle::ticketJson(ctx, ticket, proto::Audience::Display));
    Json j = oracle::only(oracle::ticketJson(ctx, ticket, proto::Audience::Kiosk), kKioskTicket);
    j["service"] = oracle::publicServiceId(config, ticket.services.front());
    if (j.contains("services")) j["services"] = oracle::publicServiceIds(config, j["services"]);
    if (kiosk && j["appointment"].is_object()) j["appointment"] = oracle::only(j["appointment"], {"starts_at"});
    return j;
}

Json publicCounterJson(const proto::WireContext& ctx, CounterIndex counter) {
    const HallConfig& config = ctx.state.config();
    Json j = oracle::only(oracle::counterJson(ctx, counter, proto::Audience::Display), kCounter);
    j["services"] = oracle::publicServiceIds(config, j["services"]);
    const CounterStatus& st = ctx.state.counters()[counter];
    j["ticket"] = nullptr;
    if (st.ticket)
        if (const Ticket* t = ctx.state.ticket(*st.ticket)) j["ticket"] = oracle::publicTicketJson(ctx, *t, PublicAudience::Display);
    return j;
}

// server/event_renderer.cpp as it was.
bool streamed(const std::string& type, const Event& e) {
    return (type.rfind("ticket.", 0) == 0 || type.rfind("appointment.", 0) == 0 || type == "counter.updated" ||
            type == "configuration.changed") &&
           !std::holds_alternative<FeedbackGiven>(e);
}

void configurationJson(const HallConfig& config, const ConfigurationChanged& e, Now now, Json& staff, Json& shown) {
    Json banner = Json::object();
    for (const auto& [code, text] : config.banner) banner[code] = text;
    const std::string type = configChangeName(e.change);
    shown = {{"change", type}, {"target", configChangeTarget(e.change)}, {"banner", banner},
             {"services_changed", type.rfind("service.", 0) == 0 || type.rfind("counter.", 0) == 0},
             {"hours_changed", type.rfind("hours.", 0) == 0 || type.rfind("exception.", 0) == 0}};
    staff = shown;
    staff["detail"] = proto::configChangeToJson(e.change);
    staff["by"] = e.by;
    staff["at"] = proto::rfc3339(e.at, now.utcOffsetS);
}

Json callJson(const HallConfig& config, const Ticket& t, bool recall, Now now) {
    return {{"number", t.number},
            {"counter", config.counters[*t.counter].id},
            {"counter_name", config.counters[*t.counter].name},
            {"called_at", proto::rfc3339(t.lastCalledAt.value_or(now.t), now.utcOffsetS)},
            {"language", t.language},
            {"recall", recall}};
}

std::vector<SseMessage> renderEvents(const HallState& state, const RenderInput& input, Now now) {
    const HallConfig& config = state.config();
    proto::WireContext ctx{state, now.utcOffsetS, nullptr};
    std::vector<SseMessage> out;
    for (std::size_t i = 0; i < input.events.size(); ++i) {
        const Event& e = input.events[i];
        SseMessage m;
        m.id = input.ids[i];
        m.type = eventTypeName(e);
        if (!oracle::streamed(m.type, e)) {
            m.published = false;
            out.push_back(std::move(m));
            continue;
        }
        Json staff = Json::object(), shown = Json::object();
        if (const auto* configured = std::get_if<ConfigurationChanged>(&e)) oracle::configurationJson(config, *configured, now, staff, shown);
        if (auto ticketId = eventTicket(e))
            if (const Ticket* t = state.ticket(*ticketId)) {
                staff["ticket"] = oracle::ticketJson(ctx, *t, proto::Audience::Staff);
                shown["ticket"] = oracle::displayTicketJson(config, *t, staff["ticket"]);
                if ((m.type == "ticket.called" || m.type == "ticket.recalled") && t->counter) {
                    staff["call"] = oracle::callJson(config, *t, m.type == "ticket.recalled", now);
                    shown["call"] = staff["call"];
                }
            }
        if (input.involved[i]) {
            staff["counter"] = oracle::counterJson(ctx, *input.involved[i], proto::Audience::Staff);
            shown["counter"] = oracle::publicCounterJson(ctx, *input.involved[i]);
        }
        m.data[static_cast<std::size_t>(StreamAudience::Staff)] = staff.dump();
        m.data[static_cast<std::size_t>(StreamAudience::Public)] = shown.dump();
        out.push_back(std::move(m));
    }
    return out;
}

// server/api_devices.cpp answerTicket as it was, from the same inputs.
std::string checkInAnswer(const proto::WireContext& wire, const Ticket& t, const std::string& url,
                          const std::optional<AnswerEstimate>& estimate) {
    Json e = nullptr;
    if (estimate) e = Json{{"basis", estimate->basis}, {"as_of", estimate->asOf}};
    return Json{{"ticket", oracle::publicTicketJson(wire, t, PublicAudience::Kiosk)}, {"visitor_url", url}, {"estimate", e}}.dump();
}

} // namespace oracle

namespace {

// Texts that need escaping or are easy to get wrong: quotes, backslashes, every kind of control
// character, DEL, non-ASCII (2, 3 and 4 bytes), empty.
const std::vector<std::string> kAwkward = {
    "", "plain", "say \"hi\"", "back\\slash", "tab\there", "new\nline\r\n", std::string("nul\0byte", 8),
    "\x01\x02\x1f\x7f", "\b\f", "Ä\xC3\xA9 één", "€ 12,50", "👍 \xF0\x9F\x98\x80", "/slash/", "\\\"\\u0041"};

std::string awkward(std::mt19937& rng) { return kAwkward[rng() % kAwkward.size()]; }

// A hall whose names, labels and banner hold the awkward texts; one service has a neutral
// label and one service's id is what that label's opaque id would be ("s3"), so the opaque id
// takes its '_' prefix.
HallConfig awkwardHall(std::mt19937& rng) {
    HallConfig c = smallHall(PolicyKind::Fifo);
    c.name = awkward(rng);
    c.services[0].name = {{"nl", awkward(rng)}, {"en", awkward(rng)}};
    c.services[1].id = "s3";
    c.services[2].publicLabel = LocalText{{"nl", "Balie \"H\""}};
    c.services[2].walkIn = true;
    for (auto& counter : c.counters) counter.name = awkward(rng) + counter.name;
    c.banner = {{"nl", awkward(rng)}, {"en", awkward(rng)}, {"de", ""}};
    return c;
}

struct Day {
    HallConfig config;
    HallState state;
    std::int64_t eventId = 0;
    std::vector<std::string> codes;

    explicit Day(HallConfig c) : config(std::move(c)), state(config) {}
};

Command randomCommand(std::mt19937& rng, Day& day, int step) {
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const HallState& s = day.state;
    const std::vector<std::string> counters = {"b1", "b2", "b3"};
    const std::vector<std::string> services = {"paspoort", "s3", "huwelijk"};
    const TicketId someTicket = s.tickets().empty() ? 1 : s.tickets()[pick(s.tickets().size())].id;
    const std::string publicCode = s.tickets().empty() ? "x" : s.tickets()[pick(s.tickets().size())].publicCode;
    switch (pick(19)) {
    case 0: case 1: return IssueWalkIn{services[pick(3)], pick(2) ? "nl" : "en", "p" + std::to_string(step)};
    case 2: {
        // Booked for a little later today, with an awkward name (or none).
        const std::string code = "APPT" + std::string(1, static_cast<char>('A' + pick(20))) + std::to_string(2 + pick(8));
        auto b = booking(code, {services[pick(3)]}, at(9, 0));
        b.name = awkward(rng);
        day.codes.push_back(code);
        return b;
    }
    case 3:
        if (!day.codes.empty()) return CheckInAppointment{day.codes[pick(day.codes.size())], "nl", "a" + std::to_string(step)};
        return IssueWalkIn{services[0], "nl", "p" + std::to_string(step)};
    case 4: return OpenCounter{counters[pick(3)], std::nullopt};
    case 5: return pick(4) == 0 ? Command{CloseCounter{counters[pick(3)]}} : Command{PauseCounter{counters[pick(3)]}};
    case 6: case 7: return CallNext{counters[pick(3)]};
    case 8: return CallTicket{counters[pick(3)], someTicket};
    case 9: return RecallTicket{someTicket};
    case 10: return StartTicket{someTicket};
    case 11: return MarkNoShow{someTicket, pick(2) == 0};
    case 12: return CompleteTicket{someTicket, pick(2) ? Outcome::Handled : Outcome::Backoffice, awkward(rng)};
    case 13: return TransferTicket{someTicket, services[pick(3)], std::nullopt};
    case 14: return TransferTicket{someTicket, std::nullopt, counters[pick(3)]};
    case 15: return CancelTicket{someTicket};
    case 16: {
        VisitNeeds needs;
        needs.sittingDesk = pick(2);
        needs.interpreter = pick(2);
        needs.companion = pick(2);
        needs.language = awkward(rng).substr(0, 20);
        return SetNeeds{someTicket, needs};
    }
    case 17: return GiveFeedback{publicCode, 1 + static_cast<int>(pick(5)), awkward(rng)};
    default:
        if (pick(2)) return Configure{SetBanner{{{"nl", awkward(rng)}, {"fy", awkward(rng)}}}, awkward(rng), true};
        return Configure{SetCounter{"b2", awkward(rng), {"s3", "huwelijk"}, "left", false}, "beheer", true};
    }
}

void checkTicketsAndCounters(const HallState& state, std::mt19937& rng, Now now) {
    // A prediction holding some of the waiting tickets, and walk-in waits for some services.
    WaitPrediction prediction;
    for (const auto& t : state.tickets())
        if (rng() % 2) prediction.tickets[t.id] = withRange(static_cast<Seconds>(rng() % 3000), 1 + static_cast<int>(rng() % 9));
    std::vector<std::optional<WaitEstimate>> walkIn(state.config().services.size());
    for (auto& w : walkIn)
        if (rng() % 2) w = withRange(static_cast<Seconds>(rng() % 3000), 1);
    for (const bool predicted : {false, true}) {
        proto::WireContext ctx{state, now.utcOffsetS, predicted ? &prediction : nullptr, predicted ? &walkIn : nullptr};
        for (const auto& t : state.tickets()) {
            INFO("ticket " << t.id << " " << ticketStatusName(t.status));
            CHECK(proto::ticketJson(ctx, t, proto::Audience::Staff).dump() == oracle::ticketJson(ctx, t, proto::Audience::Staff).dump());
            for (const auto audience : {PublicAudience::Kiosk, PublicAudience::Display})
                CHECK(publicTicketJson(ctx, t, audience).dump() == oracle::publicTicketJson(ctx, t, audience).dump());
            std::string text;
            proto::JsonWriter w(text);
            proto::writeTicket(w, ctx, t, proto::Audience::Staff);
            CHECK(text == oracle::ticketJson(ctx, t, proto::Audience::Staff).dump());
            const std::string url = "https://loket.example/v/" + t.publicCode;
            for (const std::optional<AnswerEstimate>& e :
                 {std::optional<AnswerEstimate>{}, std::optional<AnswerEstimate>{AnswerEstimate{"ticket", "2026-11-23T09:00:00+01:00"}},
                  std::optional<AnswerEstimate>{AnswerEstimate{"walk_in", "2026-11-23T09:00:01+01:00"}}})
                CHECK(checkInAnswerText(ctx, t, url, e) == oracle::checkInAnswer(ctx, t, url, e));
        }
        for (std::size_t c = 0; c < state.counters().size(); ++c) {
            const auto index = static_cast<CounterIndex>(c);
            CHECK(proto::counterJson(ctx, index, proto::Audience::Staff).dump() ==
                  oracle::counterJson(ctx, index, proto::Audience::Staff).dump());
            CHECK(publicCounterJson(ctx, index).dump() == oracle::publicCounterJson(ctx, index).dump());
        }
    }
}

} // namespace

TEST_CASE("render: events, tickets, counters and the check-in answer are byte for byte what the trees gave") {
    std::size_t compared = 0, eventKinds = 0;
    std::set<std::string> kinds, statuses;
    for (unsigned seed = 1; seed <= 10; ++seed) {
        INFO("seed " << seed);
        std::mt19937 rng(seed);
        Day day(awkwardHall(rng));
        Seconds t = at(8, 0).t;
        for (int step = 0; step < 160; ++step) {
            t += static_cast<Seconds>(rng() % 90);
            const Now now{t, kOffset};
            const Command command = randomCommand(rng, day, step);
            auto decided = decide(day.state, command, now);
            if (!decided) continue;
            std::vector<std::int64_t> ids;
            std::vector<std::optional<CounterIndex>> involved;
            for (const Event& e : *decided) {
                involved.push_back(counterOfEvent(day.state, e));
                day.state.apply(e);
                ids.push_back(++day.eventId);
            }
            const RenderInput input{*decided, ids, involved};
            const auto written = renderEvents(day.state, input, now);
            const auto trees = oracle::renderEvents(day.state, input, now);
            REQUIRE(written.size() == trees.size());
            for (std::size_t i = 0; i < written.size(); ++i) {
                INFO("event " << trees[i].type);
                CHECK(written[i].id == trees[i].id);
                CHECK(written[i].type == trees[i].type);
                CHECK(written[i].published == trees[i].published);
                CHECK(written[i].data == trees[i].data);
                kinds.insert(trees[i].type);
                ++compared;
            }
            for (const auto& ticket : day.state.tickets()) statuses.insert(ticketStatusName(ticket.status));
            if (step % 10 == 0) checkTicketsAndCounters(day.state, rng, now);
        }
        checkTicketsAndCounters(day.state, rng, Now{t, kOffset});
    }
    eventKinds = kinds.size();
    INFO("kinds: " << Json(kinds).dump() << " statuses: " << Json(statuses).dump());
    // The random days reach every kind of event and every state of a ticket that matter here.
    for (const char* kind : {"ticket.issued", "ticket.called", "ticket.recalled", "ticket.started", "ticket.completed",
                             "ticket.no_show", "ticket.transferred", "ticket.cancelled", "counter.updated",
                             "appointment.booked", "configuration.changed", "ticket.needs_set", "feedback.given"})
        CHECK(kinds.count(kind) == 1);
    for (const char* status : {"waiting", "called", "serving", "done", "no_show", "cancelled"}) CHECK(statuses.count(status) == 1);
    CHECK(compared > 600);
    CHECK(eventKinds >= 10);
}

TEST_CASE("render: a text that is not UTF-8 fails as nlohmann's dump did (type_error 316), on both paths") {
    std::mt19937 rng(7);
    HallConfig config = awkwardHall(rng);
    config.counters[0].name = "Balie \xC3(";
    HallState state(config);
    const Now now = at(9, 0);
    auto run = [&](const Command& c) { return must(state, c, now); };
    run(OpenCounter{"b1", std::nullopt});
    run(IssueWalkIn{"paspoort", "nl", "p1"});
    const auto called = run(CallNext{"b1"});
    std::vector<std::int64_t> ids(called.size(), 1);
    std::vector<std::optional<CounterIndex>> involved(called.size(), CounterIndex{0});
    const RenderInput input{called, ids, involved};
    auto errorId = [](auto&& render) {
        try {
            render();
        } catch (const nlohmann::json::type_error& e) {
            return e.id;
        }
        return 0;
    };
    CHECK(errorId([&] { oracle::renderEvents(state, input, now); }) == 316);
    CHECK(errorId([&] { renderEvents(state, input, now); }) == 316);
}
