// The payload of a commit's announcement (NOTIFY on a location's channel): the last event id the
// commit stored, then, when they fit, the commit's events themselves, so an instance that follows
// the location applies them without reading the event log (PostgresEventStore::watchCommits).
// Format: "<last id>" followed, for each event in order, by "\n<type>\n<byte length>\n<body>".
// The events of one announcement have consecutive ids ending at the last id (the store checks
// this in the statement that announces, and announces the id alone otherwise). A payload of the
// id alone is what earlier servers sent and still read (std::atoll of the payload).
// Used by postgres_event_store.cpp; depends on the EventStore types only.
#pragma once

#include "server/event_store.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace loket::server::pg {

// PostgreSQL refuses a payload of 8000 bytes or more; the id before the events takes up to 20.
constexpr std::size_t kMaxCarriedEvents = 7900;

// What follows the last id in the payload for `batches`' events; "" (the id alone) when there are
// none or they do not fit in kMaxCarriedEvents bytes.
std::string carriedEvents(std::span<const CommitBatch> batches);

struct Announcement {
    std::int64_t lastId = 0;
    std::vector<StoredEvent> events; // empty: the id alone (or a payload not understood)
};
// The last id alone (cheap: an instance skips the events of its own commits); nullopt: no id.
std::optional<std::int64_t> announcedLastId(const std::string& payload);
// nullopt: not even an id (nothing can be concluded from it).
std::optional<Announcement> parseAnnouncement(const std::string& payload);

} // namespace loket::server::pg
