#include "ticket_mapping.hpp"

#include "shared/proto/rfc3339.hpp"

namespace loket::kiosk {
namespace {

// "23-11-2026": the order Dutch readers expect on paper.
std::string dutchDate(core::LocalDay day) {
    const std::string iso = core::formatDate(day); // "2026-11-23"
    return iso.substr(8, 2) + "-" + iso.substr(5, 2) + "-" + iso.substr(0, 4);
}

} // namespace

std::string serviceLabel(const proto::ClientService& service, const std::string& language) {
    if (service.publicLabel) {
        const std::string& label = core::textIn(*service.publicLabel, language);
        if (!label.empty()) return label;
    }
    const std::string& name = core::textIn(service.name, language);
    return name.empty() ? service.id : name;
}

std::optional<std::pair<int, int>> waitMinutes(const proto::IssuedTicket& ticket) {
    if (!ticket.waitLowS || !ticket.waitHighS) return std::nullopt;
    const int low = static_cast<int>(*ticket.waitLowS / 60);
    const int high = static_cast<int>((*ticket.waitHighS + 59) / 60);
    return std::make_pair(low, std::max(low, high));
}

Result<ticket::TicketContent> toTicketContent(const proto::IssuedTicket& t, const proto::ClientService* service,
                                              const std::string& language, const std::string& hallName) {
    ticket::TicketContent c;
    c.hallName = hallName;
    c.number = t.ticket.number;
    c.serviceLabel = service ? serviceLabel(*service, language) : t.ticket.service;
    auto issued = proto::parseRfc3339(t.issuedAt);
    if (!issued) return makeError(ErrorCode::InvalidValue, "ticket.issued_at is not an RFC 3339 time: " + t.issuedAt);
    c.issuedAtLocal = dutchDate(core::localDay(*issued)) + " " + core::formatClock(core::localSecondOfDay(*issued));
    if (auto wait = waitMinutes(t)) {
        c.waitLowMin = wait->first;
        c.waitHighMin = wait->second;
    }
    if (service) c.bring = core::textIn(service->bring, language);
    c.visitorUrl = t.visitorUrl;
    if (t.appointmentStartsAt) {
        const std::string at = proto::localClockText(*t.appointmentStartsAt);
        if (at.empty())
            return makeError(ErrorCode::InvalidValue,
                             "ticket.appointment.starts_at is not an RFC 3339 time: " + *t.appointmentStartsAt);
        c.appointmentTimeLocal = at;
    }
    c.language = language;
    c.waitUnavailable = t.offline;
    if (t.noNumber) {
        c.noNumber = true;
        c.number.clear();
        c.visitorUrl.clear();
    }
    return c;
}

} // namespace loket::kiosk
