// A small hall for the core's tests: three services, three counters with different skills,
// open around the clock, the day 2026-11-23 (UTC offset +1 h).
#pragma once

#include "shared/core/command_handler.hpp"

#include <catch2/catch.hpp>

namespace loket::core::test {

inline HallConfig smallHall(PolicyKind policy = PolicyKind::Norm) {
    HallConfig c;
    c.name = "Testgemeente";
    auto service = [](std::string id, char prefix, bool walkIn, Seconds duration) {
        ServiceConfig s;
        s.id = id;
        s.name = {{"nl", id}};
        s.prefix = prefix;
        s.walkIn = walkIn;
        s.expectedDurationS = duration;
        s.walkInTargetS = 600;
        return s;
    };
    c.services = {service("paspoort", 'A', true, 600), service("ophalen", 'B', true, 200),
                  service("huwelijk", 'H', false, 1500)};
    c.counters = {{"b1", "1", bit(0) | bit(1)}, {"b2", "2", bit(1)}, {"b3", "3", bit(0) | bit(1) | bit(2)}};
    c.hours.alwaysOpen = true;
    c.walkInHours.alwaysOpen = true;
    c.normS = 300;
    c.earlyCheckInS = 1800;
    c.policy = policy;
    return c;
}

constexpr std::int32_t kOffset = 3600;
inline LocalDay testDay() {
    LocalDay d = 0;
    parseDate("2026-11-23", d);
    return d;
}
// 2026-11-23 at hh:mm local time.
inline Now at(int hh, int mm, int ss = 0) { return Now{instantOf(testDay(), hh * 3600 + mm * 60 + ss, kOffset), kOffset}; }

// Runs a command that must succeed and returns its events.
inline std::vector<Event> must(HallState& state, const Command& command, Now now) {
    auto r = execute(state, command, now);
    if (!r) FAIL("command " << commandName(command) << " failed: " << r.error().message);
    return r.value();
}

inline ErrorCode mustFail(HallState& state, const Command& command, Now now) {
    auto r = execute(state, command, now);
    REQUIRE_FALSE(r.has_value());
    return r.error().code;
}

inline TicketId issuedId(const std::vector<Event>& events) {
    for (const auto& e : events)
        if (auto* i = std::get_if<TicketIssued>(&e)) return i->ticket.id;
    FAIL("no ticket was issued");
    return 0;
}

inline std::optional<TicketId> calledId(const std::vector<Event>& events) {
    for (const auto& e : events)
        if (auto* c = std::get_if<TicketCalled>(&e)) return c->ticket;
    return std::nullopt;
}

inline BookAppointment booking(std::string code, std::vector<std::string> services, Now startsAt) {
    BookAppointment b;
    b.code = std::move(code);
    b.services = std::move(services);
    b.startsAt = startsAt.t;
    b.day = localDay(startsAt);
    return b;
}

} // namespace loket::core::test
