// EventStore: the hall's durable memory, as an interface. The event log is the source of truth:
// a command's events, its idempotency record and (at day rollover) the finished day's anonymous
// visit records are written in one transaction, and the server answers only after that commit.
// After a crash the server replays today's events. When a new day starts, older events — and
// with them every name and booking code — are deleted.
//
// Implementations: SqliteEventStore (sqlite_event_store.hpp), one hall server's file, and
// PostgresEventStore (store/postgres_event_store.hpp), one database that several hall servers
// share (the write-turn methods below). Every method may be called from any
// thread: an implementation serialises its own access (callers hold no lock for it).
// Depends on the core's types only — no SQL here.
#pragma once

#include "shared/core/result.hpp"
#include "shared/core/stats.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace loket::server {

struct StoredEvent {
    std::int64_t id = 0;
    std::string type;
    std::string body; // JSON (proto/event_codec)
};

struct IdempotencyRecord {
    std::string key;
    std::string requestHash;
    int status = 200;
    std::string response;
    core::LocalDay day = 0;
};

// Everything one command writes, committed atomically. Group commit writes several batches
// (the commands of one group, in order) in one transaction: commitGroup.
struct CommitBatch {
    std::vector<std::pair<std::string, std::string>> events; // type, body
    std::optional<IdempotencyRecord> idempotency;
    std::vector<core::VisitRecord> finishedDay; // written when a day ends
    std::vector<core::DoorAnswerDay> finishedDoorAnswers; // the ending day's door answers, counts only
    bool purgeBeforeFirstEvent = false;         // the batch starts a new day
    core::LocalDay today = 0;
    core::Seconds at = 0;                       // when the command ran (sessions expired before go)
    // The hall's live configuration after this batch (proto/configuration_json's document), when
    // the batch changed it: stored in the same transaction, and kept by the daily purge.
    std::optional<std::string> configuration;
};

struct StoredSession {
    std::string username;
    std::int64_t expiresAt = 0;
    std::string location = {}; // the location chosen at log-in ("" in a one-location hall)
};

// One staff or admin action for the audit trail (audit_log.hpp). Never a visitor's name or code:
// tickets appear by number.
struct AuditEntry {
    std::int64_t id = 0;
    std::int64_t at = 0;     // hall timeline seconds
    core::LocalDay day = 0;  // the hall's local day of `at`
    std::string actor;       // user name or device id
    std::string role;
    std::string action;      // "counter.open", "ticket.no_show", "login", …
    std::string target;      // counter id, ticket number, device id, …
    std::string detail;      // short, free of personal data
};

// A kiosk or display enrolled by pairing (enrolment.hpp), with the hashes of its valid tokens.
struct DeviceTokenRecord {
    std::string tokenHash; // SHA-256 hex; the token itself is never stored
    std::int64_t expiresAt = 0;
};
struct EnrolledDeviceRecord {
    std::string id, name, role;
    std::int64_t enrolledAt = 0;
    std::optional<std::int64_t> revokedAt;
    std::vector<DeviceTokenRecord> tokens;
    std::string location = {}; // the location it was enrolled at ("" in a one-location hall)
};

// A pairing code waiting for a manager's approval (enrolment.hpp), in the shared store so a
// manager may approve it on any instance. Only the secret's hash is kept.
struct PairingRecord {
    std::string code, role, address, secretHash;
    std::int64_t createdAt = 0, expiresAt = 0;
    std::optional<std::string> approvedDevice; // the device's id once approved
};

// One ticket the host asked a kiosk to print (print_queue.hpp), in the location's store so any
// instance's kiosk poll finds it. state: queued | taken | printed | failed.
struct PrintJobRecord {
    std::int64_t id = 0;
    std::string kiosk;
    std::string ticket; // JSON: the kiosk's check-in reply (no personal data)
    std::int64_t createdAt = 0;
    std::string state = "queued";
    std::string reason;
};

// A kiosk's or display's last heartbeat (device_registry.hpp), in the location's store so every
// instance knows the device is there whichever instance it reports to. detail: JSON.
struct DeviceStatusRecord {
    std::string id, status, detail;
    std::int64_t lastSeen = 0;
};

// A staff account made on the admin page (staff_accounts.hpp); the file's [[staff]] and the
// directory's accounts are not stored here. Only the password's PBKDF2 hash is kept.
struct StaffAccountRecord {
    std::string username, passwordHash, role;
    std::vector<std::string> counters; // counter ids; "*" = all
    std::int64_t createdAt = 0;
    std::optional<std::int64_t> disabledAt;
    // The locations it works at (docs/locations.md); empty = every location (always empty in a
    // one-location hall). The table is the city's, in the shared store.
    std::vector<std::string> locations = {};
};

// The counters (and locations) column of a stored staff account: "b1,b2" (counter ids have no comma).
inline std::string joinCounters(const std::vector<std::string>& counters) {
    std::string out;
    for (const auto& c : counters) out += (out.empty() ? "" : ",") + c;
    return out;
}
inline std::vector<std::string> splitCounters(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) out.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

class EventStore {
public:
    virtual ~EventStore() = default;

    // Every stored event (today's, after the last purge), in id order.
    virtual Result<std::vector<StoredEvent>> loadEvents() = 0;
    // Writes every batch, in order, in ONE transaction (one sync). Returns, per batch, the ids
    // given to its events. On an error nothing of any batch was written.
    virtual Result<std::vector<std::vector<std::int64_t>>> commitGroup(std::span<const CommitBatch> batches) = 0;
    // One batch alone: its event ids, in order. On an error nothing was written.
    Result<std::vector<std::int64_t>> commit(const CommitBatch& batch) {
        auto ids = commitGroup(std::span<const CommitBatch>(&batch, 1));
        if (!ids) return ids.error();
        return std::move(ids.value().front());
    }
    virtual Result<std::optional<IdempotencyRecord>> findIdempotency(const std::string& key) = 0;
    // The stored records of those of `keys` that exist (any order): a group's keys at once, so
    // a store across the network looks them up in one round trip.
    virtual Result<std::vector<IdempotencyRecord>> findIdempotencies(const std::vector<std::string>& keys) {
        std::vector<IdempotencyRecord> out;
        for (const std::string& key : keys) {
            auto found = findIdempotency(key);
            if (!found) return found.error();
            if (found.value()) out.push_back(std::move(*found.value()));
        }
        return out;
    }
    virtual Result<std::vector<core::VisitRecord>> visits(core::LocalDay day) = 0;
    // A finished day's questions answered at the door, by service (kept like the visits).
    virtual Result<core::DoorAnswerCounts> doorAnswers(core::LocalDay day) = 0;
    // The highest event id ever given (ids never go back, also across purges).
    virtual std::int64_t lastEventId() const = 0;

    // Staff sessions survive a restart, so a crash does not log the whole hall out.
    virtual Status putSession(const std::string& tokenHash, const StoredSession& session) = 0;
    virtual Result<std::optional<StoredSession>> findSession(const std::string& tokenHash) = 0;
    virtual Status deleteSession(const std::string& tokenHash) = 0;
    // Ends every session of one user (a disabled account).
    virtual Status deleteSessionsOf(const std::string& username) = 0;
    // Deletes the sessions that expired before `now`. A one-location hall's day start does it in
    // its batch; a city's shared store, which has no day of its own, is purged this way
    // (housekeeping.hpp). A store that cannot answers an error, so the purge is never silently skipped.
    virtual Status deleteExpiredSessions(core::Seconds now) {
        (void)now;
        return makeError(ErrorCode::StoreFailed, "this store cannot delete expired sessions on their own");
    }

    // The audit trail: kept apart from the event log, so the daily purge of visitor events leaves
    // it; it has its own retention (purgeAudit).
    virtual Status appendAudit(const AuditEntry& entry) = 0;
    virtual Result<std::vector<AuditEntry>> auditEntries(core::LocalDay day) = 0;
    virtual Status purgeAudit(core::LocalDay before) = 0;

    // Enrolled devices: put replaces the device's row and its token list in one transaction.
    virtual Status putEnrolledDevice(const EnrolledDeviceRecord& device) = 0;
    virtual Result<std::vector<EnrolledDeviceRecord>> enrolledDevices() = 0;

    // Staff accounts made on the admin page: put adds or replaces the account with that name (a
    // change of an existing account). addStaffAccount inserts only if the name is free, decided by
    // the table's key in one statement: false when the name is taken, and the row there is left as
    // it is — so two instances making one name at the same instant get one account, not the last write.
    virtual Status putStaffAccount(const StaffAccountRecord& account) = 0;
    virtual Result<bool> addStaffAccount(const StaffAccountRecord& account) = 0;
    virtual Result<std::vector<StaffAccountRecord>> staffAccounts() = 0;

    // Pairing codes (enrolment.hpp). addPairing: false when the code is taken. pairings: the
    // ones not expired at `now` (the expired ones are deleted). approvePairing: false when no
    // unapproved, unexpired pairing has that code. takePairing deletes the code: true for the one
    // caller that deleted it (a secret works once, whichever instance it reaches).
    virtual Result<bool> addPairing(const PairingRecord& pairing) = 0;
    virtual Result<std::vector<PairingRecord>> pairings(std::int64_t now) = 0;
    virtual Result<bool> approvePairing(const std::string& code, const std::string& deviceId, std::int64_t now) = 0;
    virtual Result<bool> takePairing(const std::string& code) = 0;
    // Deletes the pairing codes that expired at or before `now` (housekeeping.hpp), so a code
    // nobody lists again does not stay in the store. A store that cannot answers an error.
    virtual Status deleteExpiredPairings(std::int64_t now) {
        (void)now;
        return makeError(ErrorCode::StoreFailed, "this store cannot delete expired pairing codes");
    }

    // The host's print jobs (print_queue.hpp). addPrintJob: the job's id (the ids of jobs older
    // than the last `keep` go). takePrintJobs marks the kiosk's queued jobs made at or after
    // `notBefore` taken and returns them: atomically, so two polls never both get one job.
    // setPrintJob writes a job's state and reason; printJob reads one.
    virtual Result<std::int64_t> addPrintJob(const PrintJobRecord& job, std::int64_t keep) = 0;
    virtual Result<std::vector<PrintJobRecord>> takePrintJobs(const std::string& kiosk, std::int64_t notBefore) = 0;
    virtual Status setPrintJob(std::int64_t id, const std::string& state, const std::string& reason) = 0;
    virtual Result<std::optional<PrintJobRecord>> printJob(std::int64_t id) = 0;

    // Devices' last heartbeats (device_registry.hpp): put replaces the device's row.
    virtual Status putDeviceStatus(const DeviceStatusRecord& status) = 0;
    virtual Result<std::vector<DeviceStatusRecord>> deviceStatuses() = 0;

    // The live configuration as the last batch that changed it stored it; nullopt in a new store
    // (the server then seeds it from the configuration file).
    virtual Result<std::optional<std::string>> loadConfiguration() = 0;

    // Whether a write can be committed now (for /healthz): commits a one-row probe.
    virtual Status probeWrite() = 0;

    // One process writes this store and nobody else (SQLite): the executor may decide the next
    // group while a commitGroup runs, so findIdempotencies must answer (from what is committed)
    // without waiting for that commit. A shared store (false) runs one group at a time, inside
    // its write turn.
    virtual bool singleWriter() const { return false; }

    // Several server instances on one store (PostgreSQL). The hall's commands are serialised in
    // the store: the executor opens a write turn before it decides a group, and gets back the
    // events other instances committed after `knownEventId`, to apply first; the turn ends with
    // commitGroup (or endWriteTurn when the group wrote nothing). One turn at a time per store
    // object (the executor's writer lock). A store with one writer (SQLite) has nothing to
    // catch up on: these defaults.
    virtual Result<std::vector<StoredEvent>> beginWriteTurn(std::int64_t /*knownEventId*/) { return std::vector<StoredEvent>{}; }
    // A write turn and, inside it, the stored records of those of `retryKeys` that exist: a store
    // across the network does both in one round trip. On an error no turn is open; when only the
    // look-up failed, `storedKeys` holds that error and the turn is open.
    struct WriteTurn {
        std::vector<StoredEvent> missed;
        Result<std::vector<IdempotencyRecord>> storedKeys = std::vector<IdempotencyRecord>{};
    };
    virtual Result<WriteTurn> beginWriteTurn(std::int64_t knownEventId, const std::vector<std::string>& retryKeys) {
        auto missed = beginWriteTurn(knownEventId);
        if (!missed) return missed.error();
        return WriteTurn{std::move(missed.value()), findIdempotencies(retryKeys)};
    }
    virtual void endWriteTurn() {}
    // Events committed after `knownEventId`, in id order, outside a write turn (catching up). A
    // store that announces commits may answer none when no announcement above `knownEventId` has
    // arrived yet; watchCommits calls again when it does.
    virtual Result<std::vector<StoredEvent>> eventsAfter(std::int64_t /*knownEventId*/) { return std::vector<StoredEvent>{}; }
    // Calls `committed` (on a thread of the store's) whenever another instance may have committed
    // events; an empty function stops the calls (before the receiver goes). Never called by a
    // single-writer store.
    virtual void watchCommits(std::function<void()> /*committed*/) {}

    // The shared tables (staff accounts, sessions, enrolled devices) changed: tells the other
    // instances on this store, which re-read what they keep of it. `topic`: "staff", "sessions"
    // or "devices". watchSharedChanges calls `changed` (on a thread of the store's) with the
    // topic of each announcement, also this instance's own, and with "*" when announcements may
    // have been missed (the listening connection was lost): re-read everything. An empty function
    // stops the calls. A store with one instance (SQLite) announces nothing: these defaults.
    virtual void announceSharedChange(const std::string& /*topic*/) {}
    virtual void watchSharedChanges(std::function<void(const std::string&)> /*changed*/) {}
};

} // namespace loket::server
