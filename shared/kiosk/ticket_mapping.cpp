#include "ticket_mapping.hpp"

#include "server_messages.hpp"

namespace loket::kiosk {

std::string serviceLabel(const KioskService& service, const std::string& language) {
    if (service.publicLabel) {
        std::string label = pick(*service.publicLabel, language);
        if (!label.empty()) return label;
    }
    std::string name = pick(service.name, language);
    return name.empty() ? service.id : name;
}

std::optional<std::pair<int, int>> waitMinutes(const KioskTicket& ticket) {
    if (!ticket.waitLowS || !ticket.waitHighS) return std::nullopt;
    const int low = static_cast<int>(*ticket.waitLowS / 60);
    const int high = static_cast<int>((*ticket.waitHighS + 59) / 60);
    return std::make_pair(low, std::max(low, high));
}

Result<ticket::TicketContent> toTicketContent(const KioskTicket& t, const KioskService* service,
                                              const std::string& language, const std::string& hallName) {
    ticket::TicketContent c;
    c.hallName = hallName;
    c.number = t.number;
    c.serviceLabel = service ? serviceLabel(*service, language) : t.serviceId;
    auto date = localDate(t.issuedAt);
    auto clock = localClock(t.issuedAt);
    if (!date || !clock) return makeError(ErrorCode::InvalidValue, "ticket.issued_at is not an RFC 3339 time: " + t.issuedAt);
    c.issuedAtLocal = *date + " " + *clock;
    if (auto wait = waitMinutes(t)) {
        c.waitLowMin = wait->first;
        c.waitHighMin = wait->second;
    }
    if (service) c.bring = pick(service->bring, language);
    c.visitorUrl = t.visitorUrl;
    if (t.appointmentStartsAt) {
        auto at = localClock(*t.appointmentStartsAt);
        if (!at)
            return makeError(ErrorCode::InvalidValue,
                             "ticket.appointment.starts_at is not an RFC 3339 time: " + *t.appointmentStartsAt);
        c.appointmentTimeLocal = *at;
    }
    c.language = language;
    return c;
}

} // namespace loket::kiosk
