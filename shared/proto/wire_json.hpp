// Server-side JSON of the API (../shared/api.md): the hall's records as the wire shows them, for
// each audience. Personal data (appointment names, booking codes, notes, visitor codes) appear
// only for staff; displays and visitors see numbers. Used by the server; clients read these
// shapes with client_parse.hpp. Depends on the core and nlohmann-json.
// Tickets and counters are rendered once, as text (writeTicket, writeCounter with JsonWriter):
// the event stream and the check-in answer write them straight into their payload; the Json
// forms (ticketJson, counterJson) are that text parsed, for the routes that build a tree.
#pragma once

#include "shared/core/result.hpp"
#include "shared/core/stats.hpp"
#include "shared/proto/json_writer.hpp"
#include "shared/proto/rfc3339.hpp"
#include "shared/core/wait_prediction.hpp"

#include <nlohmann/json.hpp>

namespace loket::proto {

using Json = nlohmann::json;

// Who reads: staff (counter, admin) see everything; a kiosk sees its own ticket with the visitor
// code (it prints it); displays and the public visitor page see no personal data at all.
// For tickets and counters the public audiences get a fixed list of fields (written out in
// writeTicket and writeCounter, so a field added for staff never reaches a screen by accident),
// and a service with a neutral label appears there under publicServiceId, never its real id.
enum class Audience { Staff, Kiosk, Display, Visitor };


struct WireContext {
    const core::HallState& state;
    std::int32_t utcOffsetS = 0;
    const core::WaitPrediction* prediction = nullptr; // waits for waiting tickets, when computed
    // Per service, what a walk-in checking in now would wait: shown for a ticket newer than the
    // last prediction run (the server throttles that run when the hall is overloaded).
    const std::vector<std::optional<core::WaitEstimate>>* newWalkInWaits = nullptr;
};

Json localText(const core::LocalText& text);
// The id a display, kiosk or visitor page knows a service by: its own id, or an opaque one
// ("s6") when the service has a neutral label.
std::string publicServiceId(const core::HallConfig& config, core::ServiceIndex service);
// A ticket: Staff every field; Kiosk its ticket as a kiosk shows and prints it (no staff fields,
// the appointment's start only); Display and Visitor the few fields a hall display shows.
void writeTicket(JsonWriter& w, const WireContext& ctx, const core::Ticket& ticket, Audience audience);
// A counter with its ticket: Staff every field; any other audience id, name, services, state
// and the ticket as a display shows it.
void writeCounter(JsonWriter& w, const WireContext& ctx, core::CounterIndex counter, Audience audience);
Json ticketJson(const WireContext& ctx, const core::Ticket& ticket, Audience audience);
Json counterJson(const WireContext& ctx, core::CounterIndex counter, Audience audience);
Json serviceJson(const WireContext& ctx, core::ServiceIndex service,
                 const std::optional<core::WaitEstimate>& newWalkInWait);
Json appointmentJson(const WireContext& ctx, const core::Appointment& appointment);
Json recentCallJson(const WireContext& ctx, const core::RecentCall& call);
Json statsJson(const core::DayStats& stats);
// A visit's needs (core::VisitNeeds), staff only: {"kinds": ["sitting_desk", …], "language": ""}.
Json needsJson(const core::VisitNeeds& needs);
void writeNeeds(JsonWriter& w, const core::VisitNeeds& needs);
// Reads that shape back; a clear error for an unknown kind or a language that is too long.
Result<core::VisitNeeds> needsFromJson(const Json& j);
Json visitJson(const WireContext& ctx, const core::Ticket& ticket); // the public visitor page

} // namespace loket::proto
