// The kiosk's offline desk (issue 13): what lets a kiosk keep issuing tickets while the hall
// server is away. It keeps the number leases and the journal (offline_journal.hpp), the day's
// offline book of hashed booking codes and its key (in memory only), renews them while the server
// is there, issues tickets on its own when it is not, and uploads them when it is back.
// Runs on the kiosk's worker thread (worker.hpp); no UI, no locks of its own.
// Depends on the journal, shared/net (HTTP), shared/offline (the keyed hash, visitor codes) and
// shared/proto (RFC 3339, the issued-ticket type the flow already shows and prints).
#pragma once

#include "offline_journal.hpp"

#include "shared/net/http_client.hpp"
#include "shared/proto/client_types.hpp"

#include <map>
#include <optional>
#include <string>

namespace loket::kiosk {

struct OfflineUploadResult {
    std::size_t accepted = 0;
    std::size_t duplicates = 0;
    std::size_t refused = 0;
    bool complete = false; // nothing left to send
};

class OfflineDesk {
public:
    OfflineDesk(OfflineJournal journal, std::size_t uploadBatch) : m_journal(std::move(journal)), m_uploadBatch(uploadBatch) {}

    // With the server: renews the leases (refilling half-used ones), measures the clock, takes the
    // book key and the offline book. `kioskNow`: the kiosk's own clock (Unix seconds).
    Status sync(net::HttpClient& http, core::Seconds kioskNow);
    // Fetches the offline book again (the server's event stream said the book changed). Needs
    // the key from an earlier sync.
    Status refreshBook(net::HttpClient& http);
    // Uploads the journal in order, in batches, clearing each entry the server answered for.
    // With the device token; when the server refuses that token (the kiosk was revoked) or
    // `withToken` is false (no token any more), lease by lease with each lease's upload secret.
    Result<OfflineUploadResult> upload(net::HttpClient& http, bool withToken = true);

    // Whether the desk can issue tickets now (it has had leases; also after a restart).
    bool ready();
    // A check-in while the server is away: `body` is the check-in's JSON (api.md POST /tickets).
    // The ticket is in the journal before this returns. An appointment code the book does not
    // hold is unknown_appointment; any code while the kiosk has no book key (it restarted during
    // the outage: the key lived in memory only) is booking_unavailable — the kiosk cannot check
    // codes now, and the visitor is served as a walk-in for the service they choose.
    Result<proto::IssuedTicket> checkIn(const std::string& body, core::Seconds kioskNow);
    // Whether appointment codes can be checked offline (the book key is in memory).
    bool canCheckCodes() const { return !m_bookKey.empty(); }

    // The service list, kept in the journal for a restart during an outage.
    void keepServiceList(const std::string& json) { (void)m_journal.keep("services", json); }
    std::string serviceList() {
        auto kept = m_journal.kept("services");
        return kept ? *kept : std::string();
    }
    // Entries in the offline book now (for the heartbeat: staff see the copy is current).
    std::size_t bookEntries() const { return m_book.size(); }

    // Leases, key and book came from the server since the kiosk started.
    bool synced() const { return m_synced; }
    std::size_t unsent();
    std::size_t withoutNumber();

private:
    // One batch: with the token, or (lease set) with that lease's upload secret.
    Result<bool> uploadBatch(net::HttpClient& http, const std::vector<JournalEntry>& batch, std::size_t unsent,
                             const std::optional<JournalLease>& lease, OfflineUploadResult& out);
    Result<OfflineUploadResult> uploadByLease(net::HttpClient& http, OfflineUploadResult out);
    // After a restart without the server: the clock offset, UTC offset and visitor URL base of
    // the last contact, from the journal (a kiosk whose clock is off still issues in time).
    void loadContact();

    struct BookEntry {
        std::string service;
        std::string startsAt; // RFC 3339
    };

    OfflineJournal m_journal;
    std::size_t m_uploadBatch;
    std::string m_bookKey; // in memory only: never written to disk
    std::map<std::string, BookEntry> m_book; // code hash → entry
    std::string m_visitorUrlBase;
    core::Seconds m_offsetS = 0;   // server time minus kiosk time at the last contact
    std::int32_t m_utcOffsetS = 0; // the hall's offset from UTC
    bool m_synced = false;
    bool m_contactLoaded = false;
};

} // namespace loket::kiosk
