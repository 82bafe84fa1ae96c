// Client-side view of the hall server's wire JSON (api.md): plain structs for the hall snapshot,
// services, counters, tickets, calls and event-stream payloads, as the display and kiosk read them.
// Only the fields a client needs are kept; personal fields (names, notes, booking codes, visitor
// codes) have no member here, so they cannot reach a screen by accident.
// Depends on the standard library only; parsing lives in client_parse.hpp.
#pragma once

#include "shared/core/hall_config.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace loket::proto {

// Texts by language are the core's LocalText; pick one with core::textIn.
using core::LocalText;

struct ClientService {
    std::string id;
    LocalText name;
    std::optional<LocalText> publicLabel; // neutral label that replaces a sensitive name
    LocalText description;                // one B1 line for the kiosk tile; may be empty
    LocalText bring;                      // what to bring; may be empty
    std::string prefix;
    bool walkIn = true;
    bool appointment = true;
    bool online = false;                  // can also be done online
    int waiting = 0;
    std::int64_t estimatedWaitS = 0;
    bool operator==(const ClientService&) const = default;
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
    LocalText banner; // the admin page's line for kiosk and display ("Vandaag zijn wij om 12:00 gesloten"); empty: none
};

// GET /api/v1/hall.
struct HallSnapshot {
    std::int64_t eventId = 0;
    ClientHall hall;
    std::vector<ClientService> services;
    std::vector<ClientCounter> counters;
    std::vector<ClientCall> recentCalls; // newest first, as the server sends them
};

// A `configuration.changed` event as kiosks and displays see it: the banner as it is now, and
// whether the services (names, what to bring, walk-in on/off, counters) or the hours changed —
// then the client fetches them again.
struct ClientConfigurationChange {
    std::string change; // "service.set", "banner.set", …
    std::string target;
    LocalText banner;
    bool servicesChanged = false;
    bool hoursChanged = false;
};

// One event of /api/v1/events with its JSON payload parsed.
struct HallEvent {
    std::int64_t id = 0;
    std::string type; // "ticket.called", "counter.updated", "reset", …
    std::optional<ClientTicket> ticket;
    std::optional<ClientCounter> counter;
    std::optional<ClientCall> call; // on ticket.called / ticket.recalled
    std::optional<ClientConfigurationChange> configuration; // on configuration.changed
};

// POST /api/v1/tickets reply (the kiosk's view). The booking code and the name the server
// echoes to a kiosk have no member: nothing here can carry them to a screen, speaker or paper.
struct IssuedTicket {
    ClientTicket ticket;
    bool appointment = false;                       // kind: appointment or walk_in
    std::string issuedAt;                           // RFC 3339 in the hall's offset
    std::optional<std::string> appointmentStartsAt; // RFC 3339, for an appointment
    std::optional<std::int64_t> waitLowS;           // the predicted range, when there is one
    std::optional<std::int64_t> waitHighS;
    std::string visitorUrl;
    std::int64_t position = 0;
    std::int64_t estimatedWaitS = 0;
    // Issued by the kiosk itself while the server was away (issue 13): no wait estimate exists.
    bool offline = false;
    // The offline kiosk's last resort (its numbers ran out): no number, no visitor page.
    bool noNumber = false;
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
