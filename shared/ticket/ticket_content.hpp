// TicketContent: everything printed on one ticket, already in the visitor's language and the
// hall's local time. The ticket library knows nothing of the server's JSON: the kiosk maps the
// server's `{"ticket": …, "visitor_url": …}` answer (and the chosen service's public label or
// name) to this struct, so the layout can change without touching the wire format and back.
// Standard library only.
#pragma once

#include <optional>
#include <string>

namespace loket::ticket {

struct TicketContent {
    std::string hallName;       // "Stadswinkel Katwijk"; may be empty (no line)
    std::string number;         // "A012": the service prefix and three digits
    std::string serviceLabel;   // public label if the service has one (never a sensitive name), else its name
    std::string issuedAtLocal;  // "23-11-2026 09:15", hall local time, printed as given
    // Estimated wait in whole minutes; both set or neither (neither: the server gave no estimate).
    std::optional<int> waitLowMin;
    std::optional<int> waitHighMin;
    std::string bring;          // what to bring; empty: no "Neem mee" section
    std::string visitorUrl;     // `<public_base_url>/v/<public_code>`, encoded in the QR code
    std::optional<std::string> appointmentTimeLocal; // "10:30" for an appointment ticket
    std::string language;       // "nl", "en": must be the language of the catalog passed along
    // Issued by an offline kiosk (issue 13): the wait estimate is unavailable, and the ticket says so.
    bool waitUnavailable = false;
    // The offline kiosk's last resort when its numbers ran out: no number, no QR code; the ticket
    // sends the visitor to the desk.
    bool noNumber = false;
};

} // namespace loket::ticket
