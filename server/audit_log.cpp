#include "audit_log.hpp"

#include "auth.hpp"
#include "log.hpp"

namespace loket::server {

void AuditLog::record(const Principal& who, core::Now now, std::string action, std::string target, std::string detail) {
    record(who.id, roleName(who.role), now, std::move(action), std::move(target), std::move(detail));
}

void AuditLog::record(const std::string& actor, const std::string& role, core::Now now, std::string action, std::string target,
                      std::string detail) {
    const core::LocalDay today = core::localDay(now);
    {
        std::lock_guard lock(m_mutex);
        if (m_purgedFor != today) {
            if (auto st = m_store.purgeAudit(today - m_keepDays + 1); st) m_purgedFor = today;
            else logLine("audit.purge_failed", {{"error", st.error().message}});
        }
    }
    AuditEntry e{0, now.t, today, actor, role, std::move(action), std::move(target), std::move(detail)};
    if (auto st = m_store.appendAudit(e); !st)
        logLine("audit.write_failed", {{"action", e.action}, {"error", st.error().message}});
}

} // namespace loket::server
