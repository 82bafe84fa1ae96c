// Client-side view of the hall server's wire JSON (api.md): plain structs for the hall snapshot,
// services, counters, tickets, calls and event-stream payloads, as the display and kiosk read them.
// Only the fields a client needs are kept; personal fields (names, notes, booking codes, visitor
// codes) have no member here, so they cannot reach a screen by accident.
// Depends on the standard library only; parsing lives in client_parse.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace loket::proto {

// A text in several languages, by language code ("nl", "en").
using LocalizedText = std::map<std::string, std::string>;

struct ClientService {
    std::string id;
    LocalizedText name;
    std::optional<LocalizedText> publicLabel; // neutral label that replaces a sensitive name
    std::string prefix;
    int waiting = 0;
    std::int64_t estimatedWaitS = 0;
};

struct ClientTicket {
    std::string id;
    std::string number;  // "A012"
    std::string service; // first service id
    std::string status;  // waiting | called | serving | done | no_show | cancelled
    std::optional<std::string> counter; // counter id when called or serving
    std::string language; // visitor's language code, "nl" when unknown
    std::optional<std::string> calledAt; // RFC 3339
};

struct ClientCounter {
    std::string id;
    std::string name; // short label after "Balie": "3"
    std::vector<std::string> services;
    std::string state; // closed | open | paused
    std::optional<ClientTicket> ticket;
};

// One call of a number to a counter, as on the screen ("A012 → Balie 3").
struct ClientCall {
    std::string number;
    std::string counter;     // counter id
    std::string counterName; // "3"
    std::string calledAt;    // RFC 3339
    std::string language;    // visitor's language; "nl" when absent
};

struct ClientHall {
    std::string name;
    std::int64_t normS = 0;
    bool openNow = true;
};

// GET /api/v1/hall.
struct HallSnapshot {
    std::int64_t eventId = 0;
    ClientHall hall;
    std::vector<ClientService> services;
    std::vector<ClientCounter> counters;
    std::vector<ClientCall> recentCalls; // newest first, as the server sends them
};

// One event of /api/v1/events with its JSON payload parsed.
struct HallEvent {
    std::int64_t id = 0;
    std::string type; // "ticket.called", "counter.updated", "reset", …
    std::optional<ClientTicket> ticket;
    std::optional<ClientCounter> counter;
    std::optional<ClientCall> call; // on ticket.called / ticket.recalled
};

// POST /api/v1/tickets reply (the kiosk's view).
struct IssuedTicket {
    ClientTicket ticket;
    std::string visitorUrl;
    std::optional<std::string> publicCode;
    std::int64_t position = 0;
    std::int64_t estimatedWaitS = 0;
    std::int64_t waitLowS = 0;
    std::int64_t waitHighS = 0;
};

// One row of GET /api/v1/devices.
struct ClientDevice {
    std::string id;
    std::string kind;
    std::string name;
    std::string status;
    std::string lastSeen;
};

} // namespace loket::proto
