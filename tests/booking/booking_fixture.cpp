#include "booking_fixture.hpp"

#include "server/booking/connector.hpp"

namespace loket::test {

using namespace loket::core;
using server::booking::ConnectorConfig;

std::int32_t amsterdamOffset(Seconds t) {
    const Seconds summerFrom = instantOf(date("2026-03-29"), 3600, 0);
    const Seconds summerTo = instantOf(date("2026-10-25"), 3600, 0);
    return t >= summerFrom && t < summerTo ? 7200 : 3600;
}

loket::booking::HallZone amsterdam() {
    loket::booking::HallZone z;
    z.offsetAt = amsterdamOffset;
    z.toInstant = [](LocalDay day, std::int32_t second) {
        const Seconds guess = instantOf(day, second, 3600);
        return instantOf(day, second, amsterdamOffset(guess - 3600));
    };
    return z;
}

LocalDay date(const char* text) {
    LocalDay d = 0;
    parseDate(text, d);
    return d;
}

Seconds local(const char* day, int hour, int minute) { return amsterdam().toInstant(date(day), hour * 3600 + minute * 60); }

HallConfig bookingHall() {
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
    c.services = {service("paspoort", 'A', true, 600), service("rijbewijs", 'R', true, 400), service("huwelijk", 'H', false, 1500)};
    c.counters = {{"b1", "1", bit(0) | bit(1) | bit(2)}};
    c.hours.alwaysOpen = true;
    c.walkInHours.alwaysOpen = true;
    c.normS = 300;
    c.earlyCheckInS = 1800;
    return c;
}

TestHall::TestHall() : m_config(bookingHall()), m_state(m_config) { setNow("2026-12-01", 8, 0); }

Now TestHall::now() const {
    std::lock_guard lock(m_mutex);
    return m_now;
}

void TestHall::setNow(const char* day, int hour, int minute) {
    std::lock_guard lock(m_mutex);
    const Seconds t = local(day, hour, minute);
    m_now = Now{t, amsterdamOffset(t)};
}

server::booking::BookPort TestHall::port() {
    server::booking::BookPort p;
    p.execute = [this](const Command& command) -> Result<bool> {
        std::lock_guard lock(m_mutex);
        auto events = core::execute(m_state, command, m_now);
        if (!events) return events.error();
        return !events->empty();
    };
    p.bookedCodes = [this](LocalDay day) {
        std::lock_guard lock(m_mutex);
        std::vector<std::string> codes;
        for (const auto& [code, a] : m_state.appointments())
            if (a.day == day && a.status == AppointmentStatus::Booked) codes.push_back(code);
        return codes;
    };
    p.now = [this] { return now(); };
    p.alert = [this](const std::string& connector, const std::string& message) {
        std::lock_guard lock(m_mutex);
        m_alerts.push_back(connector + ": " + message);
    };
    return p;
}

Result<std::vector<Event>> TestHall::checkIn(const std::string& code, server::booking::BookingSync* sync) {
    auto attempt = [&](const std::string& c) {
        std::lock_guard lock(m_mutex);
        return core::execute(m_state, CheckInAppointment{c, "nl", "visitor-" + std::to_string(++m_visitor)}, m_now);
    };
    auto first = attempt(code);
    if (first || first.error().code != ErrorCode::UnknownAppointment || !sync) return first;
    auto resolved = sync->resolve(code);
    if (!resolved) return resolved.error();
    if (!*resolved) return first;
    return attempt(**resolved);
}

const Appointment* TestHall::appointment(const std::string& code) const {
    std::lock_guard lock(m_mutex);
    return m_state.appointment(code);
}

bool TestHall::withdrawn(const std::string& code) const {
    std::lock_guard lock(m_mutex);
    const Appointment* a = m_state.appointment(code);
    return !a || a->status == AppointmentStatus::Cancelled;
}

std::size_t TestHall::bookedCount(LocalDay day) const {
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto& [code, a] : m_state.appointments()) n += a.day == day && a.status == AppointmentStatus::Booked;
    return n;
}

std::vector<std::string> TestHall::alerts() const {
    std::lock_guard lock(m_mutex);
    return m_alerts;
}

ConnectorConfig jccConfig(const std::string& endpoint) {
    ConnectorConfig c;
    c.system = loket::booking::System::JccSoap;
    c.name = "jcc";
    c.endpoint = endpoint;
    c.location = "1";
    c.username = "loket";
    c.secret = "geheim-jcc";
    c.products = {{"1", "paspoort"}, {"2", "rijbewijs"}, {"5", "huwelijk"}};
    c.pullTimeout = std::chrono::milliseconds(3000);
    c.lookupTimeout = std::chrono::milliseconds(2000);
    return c;
}

ConnectorConfig jccRestConfig(const std::string& endpoint) {
    ConnectorConfig c;
    c.system = loket::booking::System::JccRest;
    c.name = "jcc_rest";
    c.endpoint = endpoint;
    c.location = "f3b8864b";
    c.username = "loket-client";
    c.secret = "geheim-rest";
    c.products = {{"2e656741", "paspoort"}, {"7a1c9e02", "rijbewijs"}};
    c.pullTimeout = std::chrono::milliseconds(3000);
    return c;
}

ConnectorConfig qmaticConfig(const std::string& endpoint) {
    ConnectorConfig c;
    c.system = loket::booking::System::Qmatic;
    c.name = "qmatic";
    c.endpoint = endpoint;
    c.location = "f364d92b7fa07a48c4ecc862de30";
    c.secret = "qmatic-api-key";
    c.products = {{"1e0c3d34acb5a4ad0133b2927959e8", "paspoort"}, {"9b2f44e1c0d3a5b6c7d8e9f0a1b2c3", "rijbewijs"}};
    c.pullTimeout = std::chrono::milliseconds(3000);
    return c;
}

ConnectorConfig icsConfig(const std::string& endpoint) {
    ConnectorConfig c;
    c.system = loket::booking::System::Ics;
    c.name = "ics";
    c.endpoint = endpoint;
    c.products = {{"Paspoort", "paspoort"}, {"Rijbewijs", "rijbewijs"}};
    c.pullTimeout = std::chrono::milliseconds(3000);
    return c;
}

std::unique_ptr<server::booking::BookingSync> makeSync(TestHall& hall, std::vector<ConnectorConfig> configs) {
    return std::make_unique<server::booking::BookingSync>(std::move(configs), hall.port(), amsterdam(), "Europe/Amsterdam",
                                                          "test-instance");
}

bool hasTicket(const Result<std::vector<core::Event>>& r) {
    if (!r) return false;
    for (const auto& e : *r)
        if (std::holds_alternative<core::TicketIssued>(e)) return true;
    return false;
}

} // namespace loket::test
