// A hall for the booking tests: the real command handler over an in-memory HallState, wired to a
// BookingSync the way the server wires it (BookPort), with a test clock on 2026-12-01 and the
// Europe/Amsterdam offsets of 2026 as a fixed rule (no dependence on the machine's zone or hour).
#pragma once

#include "server/booking/booking_sync.hpp"
#include "shared/core/command_handler.hpp"
#include "shared/core/hall_state.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace loket::test {

// Amsterdam in 2026: CEST (+2) from 29 March 01:00 UTC to 25 October 01:00 UTC, else CET (+1).
std::int32_t amsterdamOffset(core::Seconds t);
loket::booking::HallZone amsterdam();
core::LocalDay date(const char* text);
// An instant at a local date and time in Amsterdam.
core::Seconds local(const char* date, int hour, int minute);

core::HallConfig bookingHall(); // services paspoort, rijbewijs, huwelijk; always open

class TestHall {
public:
    TestHall();
    core::Now now() const;
    void setNow(const char* date, int hour, int minute);

    server::booking::BookPort port();
    // What the server does at check-in: the code as sent; unknown → ask the sync and try again.
    Result<std::vector<core::Event>> checkIn(const std::string& code, server::booking::BookingSync* sync);

    const core::Appointment* appointment(const std::string& code) const;
    // Taken out of the book (the core forgets a removed appointment).
    bool withdrawn(const std::string& code) const;
    std::size_t bookedCount(core::LocalDay day) const;
    std::vector<std::string> alerts() const;

private:
    mutable std::mutex m_mutex;
    core::HallConfig m_config; // HallState keeps a reference to it
    core::HallState m_state;
    core::Now m_now;
    std::vector<std::string> m_alerts;
    int m_visitor = 0;
};

// True when a check-in's events hold an issued ticket.
bool hasTicket(const Result<std::vector<core::Event>>& r);

server::booking::ConnectorConfig jccConfig(const std::string& endpoint);
server::booking::ConnectorConfig jccRestConfig(const std::string& endpoint);
server::booking::ConnectorConfig qmaticConfig(const std::string& endpoint);
server::booking::ConnectorConfig icsConfig(const std::string& endpoint);

// A BookingSync over real connectors for these configs.
std::unique_ptr<server::booking::BookingSync> makeSync(TestHall& hall, std::vector<server::booking::ConnectorConfig> configs);

} // namespace loket::test
