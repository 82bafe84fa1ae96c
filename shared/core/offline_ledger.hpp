// OfflineLedger: the fold of the offline kiosks' events (offline_types.hpp) — number leases,
// kiosk clock offsets, the uploads already placed — kept inside HallState so the command handler
// decides on it like on everything else. The rules are in offline_lease.hpp.
// Standard library only.
#pragma once

#include "events.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace loket::core {

struct LeaseRecord {
    NumberLease lease;
    bool ended = false;
    Seconds endedAt = 0;
    LeaseEndReason endReason = LeaseEndReason::Returned;
    int reserved = 0;                          // numbers from `first` kept out of other use
    std::map<std::string, TicketId> placed;    // number → ticket, for uploads already accepted
};

// The fold of the offline events, kept inside HallState. Cleared at each new day (lease ids continue).
class OfflineLedger {
public:
    void apply(const NumbersLeased& e);
    void apply(const LeasesRenewed& e);
    void apply(const LeaseEnded& e);
    void apply(const OfflineTicketPlaced& e);
    void startDay();

    const std::map<LeaseId, LeaseRecord>& leases() const { return m_leases; }
    const LeaseRecord* lease(LeaseId id) const;
    // The kiosk's active lease for a service at `now` (not ended, not expired), if any.
    const LeaseRecord* activeLease(const std::string& kiosk, ServiceIndex service, Seconds now) const;
    std::vector<const LeaseRecord*> activeLeases(const std::string& kiosk, Seconds now) const;
    // Server time minus kiosk time at the last contact with the kiosk.
    std::optional<Seconds> clockOffset(const std::string& kiosk) const;
    const std::string& bookKey() const { return m_bookKey; }
    const std::string& uploadKey() const { return m_uploadKey; }
    LeaseId nextLeaseId() const { return m_nextLeaseId; }

    // Whether number `seq` with `prefix` is held by a lease today (the server must not issue it).
    bool reserved(char prefix, int seq) const;
    // Whether it lies in any lease of today (issued or not): such a ticket does not move the
    // server's own counter.
    bool inAnyLease(char prefix, int seq) const;
    // The highest number any lease of today holds for the prefix (0: none).
    int highestLeased(char prefix) const;

private:
    std::map<LeaseId, LeaseRecord> m_leases;
    std::map<std::string, Seconds> m_offsets;
    std::string m_bookKey;
    std::string m_uploadKey;
    LeaseId m_nextLeaseId = 1;
};

} // namespace loket::core
