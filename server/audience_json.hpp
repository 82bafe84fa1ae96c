// What the public audiences see: displays and kiosks (in the hall, read by anyone passing) and
// the visitor page (anyone with its link). Built from the wire JSON of shared/proto and cut to
// a fixed list of fields per audience, so a field added for staff never reaches a screen by
// accident. A service with a neutral label (a sensitive matter) appears under that label and an
// opaque id; its real id and name stay with staff. Staff JSON is shared/proto's, unchanged.
// Tickets and counters are cut in shared/proto (writeTicket, writeCounter: one renderer, also
// for the event stream's text); the functions here give their Json form.
#pragma once

#include "shared/proto/wire_json.hpp"

#include <optional>
#include <string>

namespace loket::server {

using Json = nlohmann::json;

enum class PublicAudience { Display, Kiosk };

// The id a display, kiosk or visitor page knows a service by (shared/proto).
using proto::publicServiceId;
// A service id as a kiosk sends it back (a public id or a real one) → the real id; unknown ids
// are returned unchanged, for the core to refuse.
std::string serviceIdFromPublic(const core::HallConfig& config, const std::string& id);

Json publicServiceJson(const proto::WireContext& ctx, core::ServiceIndex service,
                       const std::optional<core::WaitEstimate>& newWalkInWait, PublicAudience audience);
Json publicTicketJson(const proto::WireContext& ctx, const core::Ticket& ticket, PublicAudience audience);
Json publicCounterJson(const proto::WireContext& ctx, core::CounterIndex counter);
Json publicRecentCallJson(const proto::WireContext& ctx, const core::RecentCall& call);
// The kiosk's check-in answer (docs/api.md "Check-in answer"), as JSON text: the check-in's hot
// path writes it without building a tree. `estimate`: how the ticket's wait was estimated,
// "ticket" or "walk_in", and the time of that run (RFC 3339); none when it has no estimate.
struct AnswerEstimate {
    const char* basis;
    std::string asOf;
};
std::string checkInAnswerText(const proto::WireContext& ctx, const core::Ticket& ticket, const std::string& visitorUrl,
                              const std::optional<AnswerEstimate>& estimate);
Json visitorPageJson(const proto::WireContext& ctx, const core::Ticket& ticket);

} // namespace loket::server
