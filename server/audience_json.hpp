// What the public audiences see: displays and kiosks (in the hall, read by anyone passing) and
// the visitor page (anyone with its link). Built from the wire JSON of shared/proto and cut to
// a fixed list of fields per audience, so a field added for staff never reaches a screen by
// accident. A service with a neutral label (a sensitive matter) appears under that label and an
// opaque id; its real id and name stay with staff. Staff JSON is shared/proto's, unchanged.
#pragma once

#include "shared/proto/wire_json.hpp"

#include <optional>
#include <string>

namespace loket::server {

using Json = nlohmann::json;

enum class PublicAudience { Display, Kiosk };

// The id a display, kiosk or visitor page knows a service by: its own id, or an opaque one
// ("s6") when the service has a neutral label.
std::string publicServiceId(const core::HallConfig& config, core::ServiceIndex service);
// A service id as a kiosk sends it back (a public id or a real one) → the real id; unknown ids
// are returned unchanged, for the core to refuse.
std::string serviceIdFromPublic(const core::HallConfig& config, const std::string& id);

Json publicServiceJson(const proto::WireContext& ctx, core::ServiceIndex service,
                       const std::optional<core::WaitEstimate>& newWalkInWait, PublicAudience audience);
Json publicTicketJson(const proto::WireContext& ctx, const core::Ticket& ticket, PublicAudience audience);
// A display's ticket cut from `rendered`, the ticket as proto::ticketJson rendered it for any
// audience: the few fields a display sees are the same in each, so an event that renders the
// ticket for staff renders it once (EventRenderer).
Json displayTicketJson(const core::HallConfig& config, const core::Ticket& ticket, const Json& rendered);
Json publicCounterJson(const proto::WireContext& ctx, core::CounterIndex counter);
Json publicRecentCallJson(const proto::WireContext& ctx, const core::RecentCall& call);
Json visitorPageJson(const proto::WireContext& ctx, const core::Ticket& ticket);

} // namespace loket::server
