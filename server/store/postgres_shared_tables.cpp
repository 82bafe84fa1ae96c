// PostgresEventStore's pairing codes, print jobs, devices' heartbeats and the shared tables' announcements: the parts
// of the store that several instances share beside the event log (docs/postgresql.md). Kept apart
// from postgres_event_store.cpp, whose subject is the event log's write path.
#include "postgres_event_store.hpp"

#include <algorithm>

namespace loket::server {
using pg::param;

namespace {
constexpr const char* kSharedChannel = "loket_shared";

PrintJobRecord printJobOf(const pg::Rows& r, int i) {
    return PrintJobRecord{r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.integer(i, 3), r.text(i, 4), r.text(i, 5)};
}
} // namespace

Result<bool> PostgresEventStore::addPairing(const PairingRecord& p) {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("storing a pairing",
                           "INSERT INTO pairings(code, role, address, secret_hash, created_at, expires_at, approved_device) "
                           "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING code",
                           {p.code, p.role, p.address, p.secretHash, param(p.createdAt), param(p.expiresAt), p.approvedDevice});
    if (!r) return r.error();
    return r->size() == 1;
}

Result<std::vector<PairingRecord>> PostgresEventStore::pairings(std::int64_t now) {
    std::lock_guard lock(m_otherMutex);
    if (auto gone = m_other->exec("deleting expired pairings", "DELETE FROM pairings WHERE expires_at <= $1", {param(now)}); !gone)
        return gone.error();
    auto q = m_other->exec("reading pairings",
                           "SELECT code, role, address, secret_hash, created_at, expires_at, approved_device FROM pairings ORDER BY created_at, code");
    if (!q) return q.error();
    std::vector<PairingRecord> out;
    for (int i = 0; i < q->size(); ++i) {
        PairingRecord p{q->text(i, 0), q->text(i, 1), q->text(i, 2), q->text(i, 3), q->integer(i, 4), q->integer(i, 5), std::nullopt};
        if (!q->text(i, 6).empty()) p.approvedDevice = q->text(i, 6); // NULL reads as ""; a device id is never empty
        out.push_back(std::move(p));
    }
    return out;
}

Status PostgresEventStore::deleteExpiredPairings(std::int64_t now) {
    std::lock_guard lock(m_otherMutex);
    if (auto r = m_other->exec("deleting expired pairings", "DELETE FROM pairings WHERE expires_at <= $1", {param(now)}); !r) return r.error();
    return Ok{};
}

Result<bool> PostgresEventStore::approvePairing(const std::string& code, const std::string& deviceId, std::int64_t now) {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("approving a pairing",
                           "UPDATE pairings SET approved_device = $1 WHERE code = $2 AND approved_device IS NULL AND expires_at > $3 RETURNING code",
                           {deviceId, code, param(now)});
    if (!r) return r.error();
    return r->size() == 1;
}

Result<bool> PostgresEventStore::takePairing(const std::string& code) {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("deleting a pairing", "DELETE FROM pairings WHERE code = $1 RETURNING code", {code});
    if (!r) return r.error();
    return r->size() == 1;
}

Result<std::int64_t> PostgresEventStore::addPrintJob(const PrintJobRecord& job, std::int64_t keep) {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("storing a print job",
                           "INSERT INTO print_jobs(kiosk, ticket, created_at, state, reason) VALUES($1, $2, $3, $4, $5) RETURNING id",
                           {job.kiosk, job.ticket, param(job.createdAt), job.state, job.reason});
    if (!r) return r.error();
    const std::int64_t id = r->integer(0, 0);
    if (auto old = m_other->exec("deleting old print jobs", "DELETE FROM print_jobs WHERE id <= $1", {param(id - keep)}); !old)
        return old.error();
    return id;
}

Result<std::vector<PrintJobRecord>> PostgresEventStore::takePrintJobs(const std::string& kiosk, std::int64_t notBefore) {
    std::lock_guard lock(m_otherMutex);
    // One statement: a job another instance's poll took first is no longer 'queued' here (the
    // row lock makes the second UPDATE re-check it).
    auto r = m_other->exec("taking print jobs",
                           "UPDATE print_jobs SET state = 'taken' WHERE kiosk = $1 AND state = 'queued' AND created_at >= $2 "
                           "RETURNING id, kiosk, ticket, created_at, state, reason",
                           {kiosk, param(notBefore)});
    if (!r) return r.error();
    std::vector<PrintJobRecord> out;
    for (int i = 0; i < r->size(); ++i) out.push_back(printJobOf(*r, i));
    std::sort(out.begin(), out.end(), [](const PrintJobRecord& a, const PrintJobRecord& b) { return a.id < b.id; });
    return out;
}

Status PostgresEventStore::setPrintJob(std::int64_t id, const std::string& state, const std::string& reason) {
    std::lock_guard lock(m_otherMutex);
    if (auto r = m_other->exec("writing a print job", "UPDATE print_jobs SET state = $1, reason = $2 WHERE id = $3", {state, reason, param(id)}); !r)
        return r.error();
    return Ok{};
}

Result<std::optional<PrintJobRecord>> PostgresEventStore::printJob(std::int64_t id) {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("reading a print job", "SELECT id, kiosk, ticket, created_at, state, reason FROM print_jobs WHERE id = $1", {param(id)});
    if (!r) return r.error();
    if (r->size() == 0) return std::optional<PrintJobRecord>{};
    return std::optional<PrintJobRecord>{printJobOf(*r, 0)};
}

Status PostgresEventStore::putDeviceStatus(const DeviceStatusRecord& d) {
    std::lock_guard lock(m_otherMutex);
    auto r = m_other->exec("storing a device's heartbeat",
                           "INSERT INTO device_status(id, status, detail, last_seen) VALUES($1, $2, $3, $4) ON CONFLICT(id) DO UPDATE "
                           "SET status = excluded.status, detail = excluded.detail, last_seen = excluded.last_seen",
                           {d.id, d.status, d.detail, param(d.lastSeen)});
    if (!r) return r.error();
    return Ok{};
}

Result<std::vector<DeviceStatusRecord>> PostgresEventStore::deviceStatuses() {
    std::lock_guard lock(m_otherMutex);
    auto q = m_other->exec("reading devices' heartbeats", "SELECT id, status, detail, last_seen FROM device_status ORDER BY id");
    if (!q) return q.error();
    std::vector<DeviceStatusRecord> out;
    for (int i = 0; i < q->size(); ++i) out.push_back({q->text(i, 0), q->text(i, 1), q->text(i, 2), q->integer(i, 3)});
    return out;
}

void PostgresEventStore::announceSharedChange(const std::string& topic) {
    std::lock_guard lock(m_otherMutex);
    // After the change's own commit: another instance that re-reads finds it. An announcement
    // that fails is logged by nobody here; the change itself is stored, and an instance whose
    // listener reconnects re-reads everything.
    (void)m_other->exec("announcing a change", "SELECT pg_notify($1, $2)", {std::string(kSharedChannel), topic});
}

void PostgresEventStore::watchSharedChanges(std::function<void(const std::string&)> changed) {
    m_sharedListener.reset();
    if (changed) m_sharedListener = std::make_unique<pg::Listener>(m_listenUrl, kSharedChannel, std::move(changed));
}

} // namespace loket::server
