// Offline kiosks (issue 13): the commands and events by which the hall server leases a kiosk
// blocks of ticket numbers, measures the kiosk's clock, and takes back the tickets the kiosk
// issued while the server was away. Plain data; the rules are in offline_lease.cpp, the fold in
// OfflineLedger (offline_lease.hpp). Included by commands.hpp and events.hpp.
// Standard library only.
#pragma once

#include "ticket.hpp"

#include <optional>
#include <string>

namespace loket::core {

using LeaseId = std::int64_t;

// A block of numbers `first … first+count-1` (with the service's prefix) that one kiosk may issue
// on its own, for one service, on one day. Numbers never wrap inside a block.
struct NumberLease {
    LeaseId id = 0;
    std::string kiosk;           // device id
    ServiceIndex service = 0;
    char prefix = 'A';
    LocalDay day = 0;
    int first = 1;
    int count = 0;
    Seconds grantedAt = 0;
    Seconds expiresAt = 0;       // renewals move it on; past it the kiosk issues no more from it
};

enum class LeaseEndReason { Returned, Revoked };
const char* leaseEndReasonName(LeaseEndReason reason);

// --- commands -------------------------------------------------------------------------------

// A kiosk asks for a block for `service`. `size` comes from leaseBlockSize (the server counts
// the walk-ins); `kioskClock` is the kiosk's own clock when it asked (for the clock offset);
// `bookKey` is a fresh random key (hex) used only if the day has no offline-book key yet;
// `uploadKey` likewise for the day's upload key. The book key goes to every kiosk (it hashes the
// book's codes); the upload key never leaves the server: each lease's upload secret is derived
// from it, so one kiosk cannot work out another's.
struct LeaseNumbers {
    std::string kiosk;
    std::string service;
    int size = 10;
    Seconds kioskClock = 0;
    std::string bookKey;
    std::string uploadKey;
};
// Contact with a kiosk that holds leases: measures its clock again and moves every lease's expiry on.
struct RenewLeases { std::string kiosk; Seconds kioskClock = 0; };
// The kiosk gives a lease back; it issued the first `used` numbers of it (the rest are free again).
struct ReturnLease { std::string kiosk; LeaseId lease = 0; int used = 0; };
// The kiosk was revoked: its leases end now and keep all their numbers reserved for the day.
struct EndKioskLeases { std::string kiosk; };
// One ticket a kiosk issued offline, uploaded from its journal. `appointmentCode` is the plain
// code the server found for the kiosk's keyed hash (none: the kiosk served a walk-in, or the hash
// matched nothing). The ticket is placed at `kioskCheckedInAt` corrected by the kiosk's offset.
struct AcceptOfflineTicket {
    std::string kiosk;
    LeaseId lease = 0;
    std::string number;
    std::string service;
    std::optional<std::string> appointmentCode;
    Seconds kioskCheckedInAt = 0;
    std::string language = "nl";
    std::string publicCode;
};

// --- events ---------------------------------------------------------------------------------

// `offsetS`: server time minus kiosk time at the grant. `bookKey`: the day's offline-book key;
// `uploadKey`: the day's server-only key for the leases' upload secrets (empty in events written
// before it existed: those leases then have no upload secret).
struct NumbersLeased { NumberLease lease; Seconds offsetS = 0; std::string bookKey; std::string uploadKey; };
struct LeasesRenewed { std::string kiosk; Seconds at = 0; Seconds offsetS = 0; Seconds expiresAt = 0; };
// `used`: how many numbers from the start stay reserved (all of them when the usage is unknown).
struct LeaseEnded { LeaseId lease = 0; Seconds at = 0; int used = 0; LeaseEndReason reason = LeaseEndReason::Returned; };
// Follows the TicketIssued of an uploaded offline ticket. `demoted`: an appointment ticket checked
// in later than this one with the same code, now a walk-in; `codeConflict`: the code was checked
// in twice (this ticket or `demoted` became a walk-in) — staff see it.
struct OfflineTicketPlaced {
    TicketId ticket = 0;
    std::string kiosk;
    LeaseId lease = 0;
    std::string number;
    Seconds kioskCheckedInAt = 0;
    std::optional<TicketId> demoted;
    bool codeConflict = false;
};

} // namespace loket::core
