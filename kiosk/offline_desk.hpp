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
    // Uploads the journal in order, in batches, clearing each entry the server answered for.
    Result<OfflineUploadResult> upload(net::HttpClient& http);

    // Whether the desk can issue tickets now (it has had leases; also after a restart).
    bool ready();
    // A check-in while the server is away: `body` is the check-in's JSON (api.md POST /tickets).
    // The ticket is in the journal before this returns. An appointment code the book does not
    // hold (or any code after a kiosk restart: the key is gone) is unknown_appointment.
    Result<proto::IssuedTicket> checkIn(const std::string& body, core::Seconds kioskNow);

    // Leases, key and book came from the server since the kiosk started.
    bool synced() const { return m_synced; }
    std::size_t unsent();
    std::size_t withoutNumber();

private:
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
};

} // namespace loket::kiosk
