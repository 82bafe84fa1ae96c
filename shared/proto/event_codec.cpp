#include "event_codec.hpp"

#include "shared/core/overloaded.hpp"

#include "configuration_json.hpp"
#include "wire_json.hpp"

namespace loket::proto {
using namespace loket::core;
using Json = nlohmann::json;

namespace {

struct DecodeError { std::string message; };

Json servicesJson(const HallConfig& c, const std::vector<ServiceIndex>& services) {
    Json j = Json::array();
    for (auto s : services) j.push_back(c.services[s].id);
    return j;
}
std::vector<ServiceIndex> servicesFrom(const HallConfig& c, const Json& j) {
    std::vector<ServiceIndex> out;
    for (const auto& id : j) {
        auto s = c.serviceIndex(id.get<std::string>());
        if (!s) throw DecodeError{"unknown service '" + id.get<std::string>() + "'"};
        out.push_back(*s);
    }
    return out;
}
ServiceMask maskFrom(const HallConfig& c, const Json& j) {
    ServiceMask m = 0;
    for (auto s : servicesFrom(c, j)) m |= bit(s);
    return m;
}
Json maskJson(const HallConfig& c, ServiceMask mask) {
    std::vector<ServiceIndex> list;
    for (std::size_t i = 0; i < c.services.size(); ++i)
        if (mask & bit(static_cast<ServiceIndex>(i))) list.push_back(static_cast<ServiceIndex>(i));
    return servicesJson(c, list);
}
VisitNeeds needsFrom(const Json& j) {
    auto needs = needsFromJson(j);
    if (!needs) throw DecodeError{"needs: " + needs.error().message};
    return *needs;
}
Json counterId(const HallConfig& c, const std::optional<CounterIndex>& i) { return i ? Json(c.counters[*i].id) : Json(nullptr); }
std::optional<CounterIndex> counterFrom(const HallConfig& c, const Json& j) {
    if (j.is_null()) return std::nullopt;
    auto i = c.counterIndex(j.get<std::string>());
    if (!i) throw DecodeError{"unknown counter '" + j.get<std::string>() + "'"};
    return i;
}
template <typename T> Json opt(const std::optional<T>& v) { return v ? Json(*v) : Json(nullptr); }
template <typename T> std::optional<T> optFrom(const Json& j) { return j.is_null() ? std::nullopt : std::optional<T>(j.get<T>()); }

Json ticketToJson(const HallConfig& c, const Ticket& t) {
    return {{"id", t.id}, {"number", t.number}, {"services", servicesJson(c, t.services)},
            {"kind", ticketKindName(t.kind)}, {"status", ticketStatusName(t.status)}, {"issued_at", t.issuedAt},
            {"appointment_code", opt(t.appointmentCode)}, {"appointment_at", t.appointmentAt},
            {"counter", counterId(c, t.counter)}, {"only_counter", counterId(c, t.onlyCounter)},
            {"first_called_at", opt(t.firstCalledAt)}, {"last_called_at", opt(t.lastCalledAt)},
            {"started_at", opt(t.startedAt)}, {"ended_at", opt(t.endedAt)}, {"calls", t.calls},
            {"not_before", t.notBefore}, {"language", t.language}, {"public_code", t.publicCode},
            {"outcome", outcomeName(t.outcome)}, {"note", t.note}, {"feedback", opt(t.feedbackScore)},
            {"feedback_comment", t.feedbackComment}, {"needs", needsJson(t.needs)}};
}
Ticket ticketFrom(const HallConfig& c, const Json& j) {
    Ticket t;
    t.id = j.at("id");
    t.number = j.at("number");
    t.services = servicesFrom(c, j.at("services"));
    t.kind = j.at("kind") == "appointment" ? TicketKind::Appointment : TicketKind::WalkIn;
    t.status = parseTicketStatus(j.at("status")).value_or(TicketStatus::Waiting);
    t.issuedAt = j.at("issued_at");
    t.appointmentCode = optFrom<std::string>(j.at("appointment_code"));
    t.appointmentAt = j.at("appointment_at");
    t.counter = counterFrom(c, j.at("counter"));
    t.onlyCounter = counterFrom(c, j.at("only_counter"));
    t.firstCalledAt = optFrom<Seconds>(j.at("first_called_at"));
    t.lastCalledAt = optFrom<Seconds>(j.at("last_called_at"));
    t.startedAt = optFrom<Seconds>(j.at("started_at"));
    t.endedAt = optFrom<Seconds>(j.at("ended_at"));
    t.calls = j.at("calls");
    t.notBefore = j.at("not_before");
    t.language = j.at("language");
    t.publicCode = j.at("public_code");
    t.outcome = parseOutcome(j.at("outcome")).value_or(Outcome::None);
    t.note = j.at("note");
    t.feedbackScore = optFrom<int>(j.at("feedback"));
    t.feedbackComment = j.value("feedback_comment", std::string());
    if (j.contains("needs")) t.needs = needsFrom(j.at("needs")); // logs before needs existed have none
    return t;
}

Json appointmentToJson(const HallConfig& c, const Appointment& a) {
    return {{"code", a.code}, {"services", servicesJson(c, a.services)}, {"starts_at", a.startsAt}, {"day", a.day},
            {"duration_s", a.durationS}, {"persons", a.persons}, {"name", a.name},
            {"status", appointmentStatusName(a.status)}, {"ticket", opt(a.ticket)}};
}
Appointment appointmentFrom(const HallConfig& c, const Json& j) {
    Appointment a;
    a.code = j.at("code");
    a.services = servicesFrom(c, j.at("services"));
    a.startsAt = j.at("starts_at");
    a.day = j.at("day");
    a.durationS = j.at("duration_s");
    a.persons = j.at("persons");
    a.name = j.at("name");
    const std::string status = j.at("status");
    for (auto s : {AppointmentStatus::Booked, AppointmentStatus::CheckedIn, AppointmentStatus::Done,
                   AppointmentStatus::NoShow, AppointmentStatus::Cancelled})
        if (status == appointmentStatusName(s)) a.status = s;
    a.ticket = optFrom<TicketId>(j.at("ticket"));
    return a;
}
CounterState counterStateFrom(const std::string& s) {
    if (s == "open") return CounterState::Open;
    if (s == "paused") return CounterState::Paused;
    return CounterState::Closed;
}
} // namespace

Json eventToJson(const HallConfig& c, const Event& event) {
    return std::visit(Overloaded{
        [&](const TicketIssued& e) -> Json { return {{"ticket", ticketToJson(c, e.ticket)}}; },
        [&](const TicketCalled& e) -> Json { return {{"ticket", e.ticket}, {"counter", c.counters[e.counter].id}, {"at", e.at}}; },
        [&](const TicketRecalled& e) -> Json { return {{"ticket", e.ticket}, {"at", e.at}}; },
        [&](const TicketStarted& e) -> Json { return {{"ticket", e.ticket}, {"at", e.at}}; },
        [&](const TicketCompleted& e) -> Json {
            return {{"ticket", e.ticket}, {"at", e.at}, {"outcome", outcomeName(e.outcome)}, {"note", e.note}};
        },
        [&](const TicketNoShow& e) -> Json {
            return {{"ticket", e.ticket}, {"at", e.at}, {"requeue", e.requeue}, {"not_before", e.notBefore}};
        },
        [&](const TicketTransferred& e) -> Json {
            return {{"ticket", e.ticket}, {"at", e.at}, {"services", servicesJson(c, e.services)},
                    {"only_counter", counterId(c, e.onlyCounter)}};
        },
        [&](const TicketCancelled& e) -> Json { return {{"ticket", e.ticket}, {"at", e.at}}; },
        [&](const CounterUpdated& e) -> Json {
            return {{"counter", c.counters[e.counter].id}, {"state", counterStateName(e.state)},
                    {"services", maskJson(c, e.services)}, {"at", e.at}};
        },
        [&](const AppointmentBooked& e) -> Json { return {{"appointment", appointmentToJson(c, e.appointment)}}; },
        [&](const AppointmentRemoved& e) -> Json { return {{"code", e.code}}; },
        [&](const FeedbackGiven& e) -> Json { return {{"ticket", e.ticket}, {"score", e.score}, {"comment", e.comment}}; },
        [&](const DayStarted& e) -> Json {
            Json carried = Json::array();
            for (const auto& a : e.carried) carried.push_back(appointmentToJson(c, a));
            return {{"day", e.day}, {"next_ticket_id", e.nextTicketId}, {"carried", carried}};
        },
        [&](const NumbersLeased& e) -> Json {
            const NumberLease& l = e.lease;
            return {{"lease", l.id}, {"kiosk", l.kiosk}, {"service", c.services[l.service].id}, {"day", l.day},
                    {"first", l.first}, {"count", l.count}, {"granted_at", l.grantedAt}, {"expires_at", l.expiresAt},
                    {"offset_s", e.offsetS}, {"book_key", e.bookKey}, {"upload_key", e.uploadKey}};
        },
        [&](const LeasesRenewed& e) -> Json {
            return {{"kiosk", e.kiosk}, {"at", e.at}, {"offset_s", e.offsetS}, {"expires_at", e.expiresAt}};
        },
        [&](const LeaseEnded& e) -> Json {
            return {{"lease", e.lease}, {"at", e.at}, {"used", e.used}, {"reason", leaseEndReasonName(e.reason)}};
        },
        [&](const OfflineTicketPlaced& e) -> Json {
            return {{"ticket", e.ticket}, {"kiosk", e.kiosk}, {"lease", e.lease}, {"number", e.number},
                    {"kiosk_checked_in_at", e.kioskCheckedInAt}, {"demoted", opt(e.demoted)}, {"code_conflict", e.codeConflict}};
        },
        [&](const ConfigurationChanged& e) -> Json { return {{"change", configChangeToJson(e.change)}, {"by", e.by}, {"at", e.at}}; },
        [&](const NeedsSet& e) -> Json { return {{"ticket", e.ticket}, {"needs", needsJson(e.needs)}, {"at", e.at}}; },
        [&](const AnsweredAtDoor& e) -> Json { return {{"service", c.services[e.service].id}, {"at", e.at}}; },
    }, event);
}

Result<Event> eventFromJson(const HallConfig& c, const std::string& type, const Json& j) {
    try {
        if (type == "ticket.issued") return Event{TicketIssued{ticketFrom(c, j.at("ticket"))}};
        if (type == "ticket.called") return Event{TicketCalled{j.at("ticket"), *counterFrom(c, j.at("counter")), j.at("at")}};
        if (type == "ticket.recalled") return Event{TicketRecalled{j.at("ticket"), j.at("at")}};
        if (type == "ticket.started") return Event{TicketStarted{j.at("ticket"), j.at("at")}};
        if (type == "ticket.completed")
            return Event{TicketCompleted{j.at("ticket"), j.at("at"), parseOutcome(j.at("outcome")).value_or(Outcome::Other), j.at("note")}};
        if (type == "ticket.no_show") return Event{TicketNoShow{j.at("ticket"), j.at("at"), j.at("requeue"), j.at("not_before")}};
        if (type == "ticket.transferred")
            return Event{TicketTransferred{j.at("ticket"), j.at("at"), servicesFrom(c, j.at("services")), counterFrom(c, j.at("only_counter"))}};
        if (type == "ticket.cancelled") return Event{TicketCancelled{j.at("ticket"), j.at("at")}};
        if (type == "counter.updated")
            return Event{CounterUpdated{*counterFrom(c, j.at("counter")), counterStateFrom(j.at("state")), maskFrom(c, j.at("services")), j.at("at")}};
        if (type == "appointment.booked") return Event{AppointmentBooked{appointmentFrom(c, j.at("appointment"))}};
        if (type == "appointment.removed") return Event{AppointmentRemoved{j.at("code")}};
        if (type == "ticket.needs_set") return Event{NeedsSet{j.at("ticket"), needsFrom(j.at("needs")), j.at("at")}};
        if (type == "door.answered")
            return Event{AnsweredAtDoor{servicesFrom(c, Json::array({j.at("service")})).front(), j.at("at")}};
        if (type == "feedback.given") return Event{FeedbackGiven{j.at("ticket"), j.at("score"), j.value("comment", std::string())}};
        if (type == "day.started") {
            DayStarted e{j.at("day"), j.at("next_ticket_id"), {}};
            for (const auto& a : j.at("carried")) e.carried.push_back(appointmentFrom(c, a));
            return Event{e};
        }
        if (type == "offline.lease_granted") {
            NumberLease l;
            l.id = j.at("lease");
            l.kiosk = j.at("kiosk");
            l.service = servicesFrom(c, Json::array({j.at("service")})).front();
            l.prefix = c.services[l.service].prefix;
            l.day = j.at("day");
            l.first = j.at("first");
            l.count = j.at("count");
            l.grantedAt = j.at("granted_at");
            l.expiresAt = j.at("expires_at");
            return Event{NumbersLeased{l, j.at("offset_s"), j.at("book_key"), j.value("upload_key", std::string())}};
        }
        if (type == "offline.leases_renewed")
            return Event{LeasesRenewed{j.at("kiosk"), j.at("at"), j.at("offset_s"), j.at("expires_at")}};
        if (type == "offline.lease_ended")
            return Event{LeaseEnded{j.at("lease"), j.at("at"), j.at("used"),
                                    j.at("reason") == "revoked" ? LeaseEndReason::Revoked : LeaseEndReason::Returned}};
        if (type == "offline.ticket_placed")
            return Event{OfflineTicketPlaced{j.at("ticket"), j.at("kiosk"), j.at("lease"), j.at("number"),
                                             j.at("kiosk_checked_in_at"), optFrom<TicketId>(j.at("demoted")), j.at("code_conflict")}};
        if (type == "configuration.changed") {
            auto change = configChangeFromJson(j.at("change"), c);
            if (!change) throw DecodeError{change.error().message};
            return Event{ConfigurationChanged{change.value(), j.at("by"), j.at("at")}};
        }
        return makeError(ErrorCode::InvalidValue, "unknown event type '" + type + "'");
    } catch (const DecodeError& e) {
        return makeError(ErrorCode::ConfigError, "stored " + type + " event: " + e.message + " (was the hall configuration changed?)");
    } catch (const nlohmann::json::exception& e) {
        return makeError(ErrorCode::InvalidJson, "stored " + type + " event is malformed: " + e.what());
    }
}

} // namespace loket::proto
