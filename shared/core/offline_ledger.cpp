#include "offline_ledger.hpp"

#include <algorithm>

namespace loket::core {

const char* leaseEndReasonName(LeaseEndReason reason) {
    switch (reason) {
    case LeaseEndReason::Returned: return "returned";
    case LeaseEndReason::Revoked: return "revoked";
    }
    return "returned";
}

void OfflineLedger::apply(const NumbersLeased& e) {
    LeaseRecord record;
    record.lease = e.lease;
    record.reserved = e.lease.count;
    m_leases[e.lease.id] = record;
    m_offsets[e.lease.kiosk] = e.offsetS;
    if (m_bookKey.empty()) m_bookKey = e.bookKey;
    if (m_uploadKey.empty()) m_uploadKey = e.uploadKey;
    m_nextLeaseId = std::max(m_nextLeaseId, e.lease.id + 1);
}

void OfflineLedger::apply(const LeasesRenewed& e) {
    m_offsets[e.kiosk] = e.offsetS;
    for (auto& [id, record] : m_leases)
        if (record.lease.kiosk == e.kiosk && !record.ended && e.at < record.lease.expiresAt)
            record.lease.expiresAt = std::max(record.lease.expiresAt, e.expiresAt);
}

void OfflineLedger::apply(const LeaseEnded& e) {
    auto it = m_leases.find(e.lease);
    if (it == m_leases.end()) return;
    it->second.ended = true;
    it->second.endedAt = e.at;
    it->second.endReason = e.reason;
    it->second.reserved = std::clamp(e.used, 0, it->second.lease.count);
}

void OfflineLedger::apply(const OfflineTicketPlaced& e) {
    auto it = m_leases.find(e.lease);
    if (it != m_leases.end()) it->second.placed[e.number] = e.ticket;
}

void OfflineLedger::startDay() {
    m_leases.clear();
    m_offsets.clear();
    m_bookKey.clear();
    m_uploadKey.clear();
}

const LeaseRecord* OfflineLedger::lease(LeaseId id) const {
    auto it = m_leases.find(id);
    return it == m_leases.end() ? nullptr : &it->second;
}

const LeaseRecord* OfflineLedger::activeLease(const std::string& kiosk, ServiceIndex service, Seconds now) const {
    for (const auto& [id, record] : m_leases)
        if (record.lease.kiosk == kiosk && record.lease.service == service && !record.ended && now < record.lease.expiresAt)
            return &record;
    return nullptr;
}

std::vector<const LeaseRecord*> OfflineLedger::activeLeases(const std::string& kiosk, Seconds now) const {
    std::vector<const LeaseRecord*> out;
    for (const auto& [id, record] : m_leases)
        if (record.lease.kiosk == kiosk && !record.ended && now < record.lease.expiresAt) out.push_back(&record);
    return out;
}

std::optional<Seconds> OfflineLedger::clockOffset(const std::string& kiosk) const {
    auto it = m_offsets.find(kiosk);
    if (it == m_offsets.end()) return std::nullopt;
    return it->second;
}

bool OfflineLedger::reserved(char prefix, int seq) const {
    for (const auto& [id, record] : m_leases) {
        const NumberLease& l = record.lease;
        if (l.prefix == prefix && seq >= l.first && seq < l.first + record.reserved) return true;
    }
    return false;
}

bool OfflineLedger::inAnyLease(char prefix, int seq) const {
    for (const auto& [id, record] : m_leases) {
        const NumberLease& l = record.lease;
        if (l.prefix == prefix && seq >= l.first && seq < l.first + l.count) return true;
    }
    return false;
}

int OfflineLedger::highestLeased(char prefix) const {
    int high = 0;
    for (const auto& [id, record] : m_leases)
        if (record.lease.prefix == prefix) high = std::max(high, record.lease.first + record.lease.count - 1);
    return high;
}

} // namespace loket::core
