// Offline kiosks, the rules (issue 13). The server leases each kiosk small blocks of numbers per
// service and day, so a kiosk that loses the server keeps issuing tickets; when the server is back
// the kiosk uploads them and the command handler places each at its real check-in time.
// The leases live in the event log like every other change (offline_types.hpp), and the
// OfflineLedger is their fold inside HallState. Pure: time comes in as arguments.
// Used by the command handler, the server (lease endpoints) and the kiosk (when to refill,
// when a lease may no longer be used). Standard library only.
//
// Invariants:
// - Numbering: a leased number is never issued by the server itself nor leased again that day,
//   except the unused tail of a lease its kiosk returned. So a number is issued once per day.
// - A lease ends at day rollover (the ledger starts empty), when returned, or when its kiosk is
//   revoked; it expires kLeaseTtlS after the last contact with its kiosk (the kiosk stops using it).
// - An uploaded ticket is accepted once (per lease and number); a second upload answers with the
//   first one's ticket, so a kiosk that resumes an upload never doubles a ticket.
#pragma once

#include "command_handler.hpp"
#include "offline_ledger.hpp"

#include <string>
#include <vector>

namespace loket::core {

// A lease lives this long after the last contact with its kiosk (grant or renewal).
constexpr Seconds kLeaseTtlS = 2 * 3600;
constexpr int kMinLeaseBlock = 10;
constexpr int kMaxLeaseBlock = 99;

// Block size: about 30 minutes of the kiosk's walk-ins for the service at the busiest hour, at
// least kMinLeaseBlock, at most kMaxLeaseBlock.
int leaseBlockSize(double busiestHourWalkIns);
// The kiosk refills (returns this lease and asks a new one) once half of it is used.
bool leaseNeedsRefill(const NumberLease& lease, int used);
// Whether the kiosk may still issue from the lease at `kioskNow` (its own clock; the expiry is
// converted with the offset measured at the grant or renewal).
bool leaseUsable(const NumberLease& lease, int used, Seconds kioskNow, Seconds offsetS, LocalDay kioskDay);
// "A012" for prefix 'A', sequence 12.
std::string leaseNumber(char prefix, int seq);
// Where an offline ticket goes in the queue: the kiosk's clock corrected by its offset, never
// before the lease was granted nor after `serverNow`.
Seconds placeOfflineCheckIn(Seconds kioskCheckedInAt, Seconds offsetS, Seconds grantedAt, Seconds serverNow);

// The command handler's decisions for the offline commands (called from command_handler.cpp).
Result<std::vector<Event>> decideLeaseNumbers(const HallState& state, const LeaseNumbers& cmd, Now now);
Result<std::vector<Event>> decideRenewLeases(const HallState& state, const RenewLeases& cmd, Now now);
Result<std::vector<Event>> decideReturnLease(const HallState& state, const ReturnLease& cmd, Now now);
Result<std::vector<Event>> decideEndKioskLeases(const HallState& state, const EndKioskLeases& cmd, Now now);
Result<std::vector<Event>> decideAcceptOfflineTicket(const HallState& state, const AcceptOfflineTicket& cmd, Now now);

} // namespace loket::core
