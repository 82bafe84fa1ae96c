#include "offline_lease.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace loket::core {
namespace {

using Events = std::vector<Event>;

bool hexKey(const std::string& key) {
    return key.size() == 64 && key.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// "A012" → 12 when the prefix matches; 0 otherwise.
int parseLeasedNumber(const std::string& number, char prefix) {
    if (number.size() != 4 || number[0] != prefix) return 0;
    int seq = 0;
    for (std::size_t i = 1; i < 4; ++i) {
        if (number[i] < '0' || number[i] > '9') return 0;
        seq = seq * 10 + (number[i] - '0');
    }
    return seq;
}

// The first run of `size` numbers for the prefix that no live ticket and no lease holds, searched
// from just after the server's own counter and the last lease, wrapping once past 999.
std::optional<int> findBlock(const HallState& state, char prefix, int size) {
    std::vector<bool> taken(1000, false);
    for (const auto& t : state.tickets())
        if (t.live() && !t.number.empty() && t.number[0] == prefix) {
            const int seq = parseLeasedNumber(t.number, prefix);
            if (seq > 0) taken[static_cast<std::size_t>(seq)] = true;
        }
    for (int seq = 1; seq <= 999; ++seq)
        if (state.offline().reserved(prefix, seq)) taken[static_cast<std::size_t>(seq)] = true;
    const int from = std::max(state.lastSeq(prefix), state.offline().highestLeased(prefix)) + 1;
    for (int tries = 0; tries < 999; ++tries) {
        const int start = (from - 1 + tries) % 999 + 1;
        if (start + size - 1 > 999) continue;
        bool free = true;
        for (int seq = start; seq < start + size && free; ++seq) free = !taken[static_cast<std::size_t>(seq)];
        if (free) return start;
    }
    return std::nullopt;
}

} // namespace

int leaseBlockSize(double busiestHourWalkIns) {
    const double halfHour = std::ceil(std::max(0.0, busiestHourWalkIns) / 2.0);
    return std::clamp(static_cast<int>(halfHour), kMinLeaseBlock, kMaxLeaseBlock);
}

bool leaseNeedsRefill(const NumberLease& lease, int used) { return used * 2 >= lease.count; }

bool leaseUsable(const NumberLease& lease, int used, Seconds kioskNow, Seconds offsetS, LocalDay kioskDay) {
    return used < lease.count && lease.day == kioskDay && kioskNow + offsetS < lease.expiresAt;
}

std::string leaseNumber(char prefix, int seq) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%03d", prefix, seq);
    return buf;
}

Seconds placeOfflineCheckIn(Seconds kioskCheckedInAt, Seconds offsetS, Seconds grantedAt, Seconds serverNow) {
    return std::clamp(kioskCheckedInAt + offsetS, grantedAt, std::max(grantedAt, serverNow));
}

Result<std::vector<Event>> decideLeaseNumbers(const HallState& state, const LeaseNumbers& cmd, Now now) {
    const HallConfig& config = state.config();
    if (cmd.kiosk.empty()) return makeError(ErrorCode::MissingField, "A lease is for one kiosk: its device id is missing.");
    auto service = config.serviceIndex(cmd.service);
    if (!service) return makeError(ErrorCode::UnknownService, "There is no service '" + cmd.service + "'.");
    // A retried request gets the lease it already has: no second block.
    if (state.offline().activeLease(cmd.kiosk, *service, now.t)) return Events{};
    const std::string& key = state.offline().bookKey().empty() ? cmd.bookKey : state.offline().bookKey();
    if (!hexKey(key)) return makeError(ErrorCode::InvalidValue, "The offline book key must be 64 lower-case hex digits.");
    const std::string& uploadKey = state.offline().uploadKey().empty() ? cmd.uploadKey : state.offline().uploadKey();
    if (!hexKey(uploadKey)) return makeError(ErrorCode::InvalidValue, "The offline upload key must be 64 lower-case hex digits.");
    const char prefix = config.services[*service].prefix;
    const int size = std::clamp(cmd.size, kMinLeaseBlock, kMaxLeaseBlock);
    auto first = findBlock(state, prefix, size);
    if (!first)
        return makeError(ErrorCode::NumbersExhausted, std::string("No ") + std::to_string(size) + " free numbers with " + prefix +
                                                     " are left today to lease.");
    NumberLease lease;
    lease.id = state.offline().nextLeaseId();
    lease.kiosk = cmd.kiosk;
    lease.service = *service;
    lease.prefix = prefix;
    lease.day = state.day();
    lease.first = *first;
    lease.count = size;
    lease.grantedAt = now.t;
    lease.expiresAt = now.t + kLeaseTtlS;
    return Events{NumbersLeased{lease, now.t - cmd.kioskClock, key, uploadKey}};
}

Result<std::vector<Event>> decideRenewLeases(const HallState& state, const RenewLeases& cmd, Now now) {
    if (cmd.kiosk.empty()) return makeError(ErrorCode::MissingField, "A renewal is for one kiosk: its device id is missing.");
    (void)state;
    return Events{LeasesRenewed{cmd.kiosk, now.t, now.t - cmd.kioskClock, now.t + kLeaseTtlS}};
}

Result<std::vector<Event>> decideReturnLease(const HallState& state, const ReturnLease& cmd, Now now) {
    const LeaseRecord* record = state.offline().lease(cmd.lease);
    if (!record) return makeError(ErrorCode::NotFound, "There is no lease " + std::to_string(cmd.lease) + " today.");
    if (record->lease.kiosk != cmd.kiosk) return makeError(ErrorCode::Forbidden, "Lease " + std::to_string(cmd.lease) + " belongs to another kiosk.");
    if (record->ended) return Events{}; // returned twice: nothing changes
    if (cmd.used < 0 || cmd.used > record->lease.count)
        return makeError(ErrorCode::InvalidValue, "used must be between 0 and " + std::to_string(record->lease.count) + ".");
    // Numbers already uploaded stay reserved even if the kiosk miscounts.
    int used = cmd.used;
    for (const auto& [number, ticket] : record->placed)
        used = std::max(used, parseLeasedNumber(number, record->lease.prefix) - record->lease.first + 1);
    return Events{LeaseEnded{cmd.lease, now.t, used, LeaseEndReason::Returned}};
}

Result<std::vector<Event>> decideEndKioskLeases(const HallState& state, const EndKioskLeases& cmd, Now now) {
    Events events;
    for (const auto& [id, record] : state.offline().leases())
        if (record.lease.kiosk == cmd.kiosk && !record.ended)
            events.push_back(LeaseEnded{id, now.t, record.lease.count, LeaseEndReason::Revoked});
    return events;
}

Result<std::vector<Event>> decideAcceptOfflineTicket(const HallState& state, const AcceptOfflineTicket& cmd, Now now) {
    const HallConfig& config = state.config();
    const LeaseRecord* record = state.offline().lease(cmd.lease);
    if (!record)
        return makeError(ErrorCode::NotFound, "There is no lease " + std::to_string(cmd.lease) + " today (leases end at day rollover).");
    const NumberLease& lease = record->lease;
    if (lease.kiosk != cmd.kiosk) return makeError(ErrorCode::Forbidden, "Lease " + std::to_string(cmd.lease) + " belongs to another kiosk.");
    const int seq = parseLeasedNumber(cmd.number, lease.prefix);
    if (seq < lease.first || seq >= lease.first + lease.count)
        return makeError(ErrorCode::InvalidValue, "Number '" + cmd.number + "' is not in lease " + std::to_string(lease.id) + " (" +
                                                 leaseNumber(lease.prefix, lease.first) + "–" +
                                                 leaseNumber(lease.prefix, lease.first + lease.count - 1) + ").");
    if (auto placed = record->placed.find(cmd.number); placed != record->placed.end()) {
        // Exactly once: the same upload again answers with the ticket it made.
        Error error = makeError(ErrorCode::AlreadyCheckedIn, "Ticket " + cmd.number + " of this lease is already in the queue.");
        error.details.ticketNumber = cmd.number;
        return error;
    }
    auto service = config.serviceIndex(cmd.service);
    if (!service) return makeError(ErrorCode::UnknownService, "There is no service '" + cmd.service + "'.");
    if (*service != lease.service)
        return makeError(ErrorCode::InvalidValue, "Lease " + std::to_string(lease.id) + " is for '" + config.services[lease.service].id +
                                                 "', not '" + cmd.service + "'.");
    if (cmd.publicCode.empty()) return makeError(ErrorCode::MissingField, "An offline ticket carries the visitor code it printed.");
    if (state.ticketByPublicCode(cmd.publicCode))
        return makeError(ErrorCode::InvalidValue, "This visitor code belongs to another ticket; a kiosk makes a new one for each ticket.");

    const Seconds offset = state.offline().clockOffset(cmd.kiosk).value_or(0);
    const Seconds placedAt = placeOfflineCheckIn(cmd.kioskCheckedInAt, offset, lease.grantedAt, now.t);
    if (record->ended) {
        // A revoked kiosk's tickets from before the revocation count; nothing after it does.
        // By the kiosk's own (corrected) word, not clamped to now: a ticket dated after the revoke is refused.
        if (record->endReason == LeaseEndReason::Revoked && cmd.kioskCheckedInAt + offset > record->endedAt)
            return makeError(ErrorCode::Forbidden, "Ticket " + cmd.number + " was issued after the kiosk was revoked.");
        if (record->endReason == LeaseEndReason::Returned && seq >= lease.first + record->reserved)
            return makeError(ErrorCode::InvalidValue, "Number '" + cmd.number + "' lies in the part of lease " +
                                                     std::to_string(lease.id) + " the kiosk gave back unused.");
    }

    Ticket ticket;
    ticket.id = state.nextTicketId();
    ticket.number = cmd.number;
    ticket.services = {*service};
    ticket.kind = TicketKind::WalkIn;
    ticket.issuedAt = placedAt;
    ticket.language = cmd.language.empty() ? "nl" : cmd.language;
    ticket.publicCode = cmd.publicCode;
    OfflineTicketPlaced placed{ticket.id, cmd.kiosk, lease.id, cmd.number, cmd.kioskCheckedInAt, std::nullopt, false};

    const Appointment* a = cmd.appointmentCode ? state.appointment(*cmd.appointmentCode) : nullptr;
    if (a && a->day == state.day() && a->status != AppointmentStatus::Cancelled) {
        ticket.services = a->services;
        const Ticket* other = a->ticket ? state.ticket(*a->ticket) : nullptr;
        // The earliest check-in keeps the appointment; a later one still waiting becomes a walk-in
        // for the same services at its own check-in time. Staff see both through codeConflict.
        const bool takeOver = !other || (other->status == TicketStatus::Waiting && other->issuedAt > placedAt);
        if (other) placed.codeConflict = true;
        if (takeOver) {
            ticket.kind = TicketKind::Appointment;
            ticket.appointmentCode = a->code;
            ticket.appointmentAt = a->startsAt;
            if (other) placed.demoted = other->id;
        }
    }
    return Events{TicketIssued{ticket}, placed};
}

} // namespace loket::core
