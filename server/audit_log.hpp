// AuditLog: who did what among staff and hall managers (opened a counter, called, transferred,
// marked a no-show, changed appointments, enrolled or revoked a device, logged in or out), for
// the hall manager to read back (GET /api/v1/audit). Entries name tickets by number and people
// by user name or device id — never a visitor's name or booking code. The host's marking of needs
// (host.needs) names the service and how many needs, never which (health data) nor the ticket:
// needs go with the day's purge, and this trail outlives it. A door answer (host.door_answer)
// names the service only. They are kept for the
// hall's `audit_days` (configuration), independently of the daily purge of visitor events; the
// first entry of a new day removes the ones that are too old.
// Used by the API routes; writes through the EventStore (its own table).
#pragma once

#include "event_store.hpp"

#include "shared/core/hall_time.hpp"

#include <mutex>

namespace loket::server {

struct Principal;

class AuditLog {
public:
    AuditLog(EventStore& store, int keepDays) : m_store(store), m_keepDays(keepDays) {}

    // Records an action. A failed write is logged (log.hpp) and does not fail the action itself:
    // the hall keeps serving when only the audit trail cannot be written.
    void record(const Principal& who, core::Now now, std::string action, std::string target, std::string detail = {});
    // The same for an actor that is not a Principal (a login by user name).
    void record(const std::string& actor, const std::string& role, core::Now now, std::string action, std::string target,
                std::string detail = {});

    Result<std::vector<AuditEntry>> day(core::LocalDay day) { return m_store.auditEntries(day); }
    int keepDays() const { return m_keepDays; }

private:
    EventStore& m_store;
    const int m_keepDays;
    std::mutex m_mutex;           // m_purgedFor
    core::LocalDay m_purgedFor = 0; // the day of the last retention purge
};

} // namespace loket::server
