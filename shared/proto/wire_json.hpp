// Server-side JSON of the API (../shared/api.md): the hall's records as the wire shows them, for
// each audience. Personal data (appointment names, booking codes, notes, visitor codes) appear
// only for staff; displays and visitors see numbers. Used by the server; clients read these
// shapes with client_parse.hpp. Depends on the core and nlohmann-json.
#pragma once

#include "shared/core/result.hpp"
#include "shared/core/stats.hpp"
#include "shared/proto/rfc3339.hpp"
#include "shared/core/wait_prediction.hpp"

#include <nlohmann/json.hpp>

namespace loket::proto {

using Json = nlohmann::json;

// Who reads: staff (counter, admin) see everything; a kiosk sees its own ticket with the visitor
// code (it prints it); displays and the public visitor page see no personal data at all.
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
Json ticketJson(const WireContext& ctx, const core::Ticket& ticket, Audience audience);
Json counterJson(const WireContext& ctx, core::CounterIndex counter, Audience audience);
Json serviceJson(const WireContext& ctx, core::ServiceIndex service,
                 const std::optional<core::WaitEstimate>& newWalkInWait);
Json appointmentJson(const WireContext& ctx, const core::Appointment& appointment);
Json recentCallJson(const WireContext& ctx, const core::RecentCall& call);
Json statsJson(const core::DayStats& stats);
// A visit's needs (core::VisitNeeds), staff only: {"kinds": ["sitting_desk", …], "language": ""}.
Json needsJson(const core::VisitNeeds& needs);
// Reads that shape back; a clear error for an unknown kind or a language that is too long.
Result<core::VisitNeeds> needsFromJson(const Json& j);
Json visitJson(const WireContext& ctx, const core::Ticket& ticket); // the public visitor page

} // namespace loket::proto
