// The kiosk's reading of the hall server's JSON: the service list (with the B1 line, what to
// bring and whether it can be done online, which the display's client types leave out) and the
// check-in reply. The booking code and names the server may echo are not kept: no field here
// can carry them to a screen, a speaker or paper.
// Used by the kiosk flow and its worker. Depends on nlohmann-json (hidden in the .cpp).
#pragma once

#include "shared/core/result.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loket::kiosk {

// A text in several languages, by language code.
using Localized = std::map<std::string, std::string>;

// The text in `language`, else Dutch, else English, else any; empty when there is none.
std::string pick(const Localized& text, const std::string& language);

struct KioskService {
    std::string id;
    std::string prefix;
    Localized name;
    Localized description;                // one B1 line
    Localized bring;                      // what to bring; may be empty
    std::optional<Localized> publicLabel; // neutral label for sensitive services
    bool walkIn = true;
    bool appointment = true;
    bool online = false;                  // can also be done online
    std::int64_t estimatedWaitS = 0;
};

// POST /api/v1/tickets → {"ticket": …, "visitor_url": …}, as far as the kiosk uses it.
struct KioskTicket {
    std::string id;
    std::string number;   // "A012"
    std::string serviceId;
    bool appointment = false;
    std::string issuedAt; // RFC 3339 in the hall's offset
    std::optional<std::string> appointmentStartsAt;
    std::optional<std::int64_t> waitLowS;
    std::optional<std::int64_t> waitHighS;
    std::string visitorUrl;
    std::string language;
};

Result<std::vector<KioskService>> parseKioskServices(std::string_view body);
Result<KioskTicket> parseKioskTicket(std::string_view body);

// The body of a check-in request (api.md): walk-in or appointment, with the visitor's language.
std::string walkInRequestBody(const std::string& serviceId, const std::string& language);
std::string appointmentRequestBody(const std::string& code, const std::string& language);

} // namespace loket::kiosk
