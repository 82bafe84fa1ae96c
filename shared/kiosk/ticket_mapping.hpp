// From the server's check-in reply to what the ticket printer prints (shared/ticket's
// TicketContent): the number, the service's public label (never a sensitive name), the local
// issue time, the wait as whole minutes, what to bring, the visitor URL for the QR code and, for
// an appointment, its time. No booking code and no name can pass: proto::IssuedTicket holds neither.
// Used by the kiosk flow. Depends on loket::proto's client types and loket::ticket's TicketContent.
#pragma once

#include "shared/core/result.hpp"
#include "shared/proto/client_types.hpp"
#include "shared/ticket/ticket_content.hpp"

#include <optional>
#include <string>
#include <utility>

namespace loket::kiosk {

// The label a visitor may see for a service in `language`: its public label when it has one.
std::string serviceLabel(const proto::ClientService& service, const std::string& language);

// The wait in whole minutes, rounded outward (low down, high up), so "8–14 minuten" never
// promises less than the server predicted. nullopt when the ticket has no range.
std::optional<std::pair<int, int>> waitMinutes(const proto::IssuedTicket& ticket);

// `service` is the ticket's service as the kiosk knows it (nullopt: the list was stale; the
// number still prints, with the service id as label). Fails with `invalid_value` when the
// reply's times are not RFC 3339.
Result<ticket::TicketContent> toTicketContent(const proto::IssuedTicket& ticket, const proto::ClientService* service,
                                              const std::string& language, const std::string& hallName);

} // namespace loket::kiosk
