#include "booking_sync.hpp"

#include "shared/core/command_handler.hpp"

#include <chrono>
#include <cstdio>
#include <sstream>

namespace loket::server::booking {

using loket::booking::ForeignAppointment;

namespace {

constexpr std::size_t kMaxAlerts = 50;

std::string label(const std::string& value) {
    std::string out;
    for (char ch : value) {
        if (ch == '"' || ch == '\\') out += '\\';
        if (ch != '\n') out += ch;
    }
    return out;
}

// "HTTP 503 from …" as the connectors write it (connector.cpp, describe()); 0 when absent.
int httpStatusIn(const std::string& message) {
    const auto at = message.find("HTTP ");
    if (at == std::string::npos || at + 8 > message.size()) return 0;
    int status = 0;
    for (std::size_t i = at + 5; i < at + 8; ++i) {
        if (message[i] < '0' || message[i] > '9') return 0;
        status = status * 10 + (message[i] - '0');
    }
    return status;
}

} // namespace

std::string pullErrorKind(const Error& error, int& status) {
    status = httpStatusIn(error.message);
    switch (error.code) {
    case ErrorCode::Timeout: return "timeout";
    case ErrorCode::Unauthorized:
    case ErrorCode::Forbidden: return "login";
    case ErrorCode::InvalidJson:
    case ErrorCode::InvalidValue:
    case ErrorCode::MissingField: return "malformed";
    default: break;
    }
    if (status == 401 || status == 403) return "login";
    if (status > 0) return "http_error";
    if (error.message.find("SOAP fault") != std::string::npos) return "fault";
    return "unreachable";
}

BookingSync::BookingSync(std::vector<ConnectorConfig> configs, BookPort port, loket::booking::HallZone zone,
                         std::string hallTimeZone, std::string instance)
    : m_port(std::move(port)), m_instance(std::move(instance)) {
    for (auto& c : configs) {
        auto connector = makeConnector(c, zone, hallTimeZone);
        m_slots.push_back(Slot{std::move(c), std::move(connector), {}, false});
    }
    for (const auto& s : m_slots) {
        ConnectorHealth& h = m_health[s.config.name];
        h.name = s.config.name;
        h.system = loket::booking::systemName(s.config.system);
    }
}

BookingSync::BookingSync(std::vector<ConnectorConfig> configs, std::vector<std::unique_ptr<Connector>> connectors,
                         BookPort port, std::string instance)
    : m_port(std::move(port)), m_instance(std::move(instance)) {
    for (std::size_t i = 0; i < configs.size() && i < connectors.size(); ++i)
        m_slots.push_back(Slot{std::move(configs[i]), std::move(connectors[i]), {}, false});
    for (const auto& s : m_slots) {
        ConnectorHealth& h = m_health[s.config.name];
        h.name = s.config.name;
        h.system = loket::booking::systemName(s.config.system);
    }
}

BookingSync::~BookingSync() { stop(); }

void BookingSync::start() {
    if (m_slots.empty() || m_thread.joinable()) return;
    {
        std::lock_guard lock(m_threadMutex);
        m_stop = false;
    }
    m_thread = std::thread([this] { run(); });
}

void BookingSync::stop() {
    {
        std::lock_guard lock(m_threadMutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void BookingSync::run() {
    using Clock = std::chrono::steady_clock;
    std::vector<Clock::time_point> due(m_slots.size(), Clock::now());
    std::unique_lock lock(m_threadMutex);
    while (!m_stop) {
        lock.unlock();
        for (std::size_t i = 0; i < m_slots.size(); ++i) {
            if (Clock::now() < due[i]) continue;
            {
                std::lock_guard pull(m_pullMutex);
                pullOne(m_slots[i]);
            }
            due[i] = Clock::now() + m_slots[i].config.pullInterval;
        }
        lock.lock();
        auto next = *std::min_element(due.begin(), due.end());
        m_wake.wait_until(lock, next, [this] { return m_stop; });
    }
}

void BookingSync::pullNow() {
    std::lock_guard pull(m_pullMutex);
    for (auto& slot : m_slots) pullOne(slot);
}

ConnectorHealth& BookingSync::healthOf(const std::string& name) { return m_health[name]; }

void BookingSync::raise(const std::string& connector, const std::string& message) {
    const core::Seconds at = m_port.now ? m_port.now().t : 0;
    {
        std::lock_guard lock(m_mutex);
        m_alerts.push_back(BookingAlert{at, connector, message});
        while (m_alerts.size() > kMaxAlerts) m_alerts.pop_front();
    }
    if (m_port.alert) m_port.alert(connector, message);
}

bool BookingSync::soleSourceOf(const Slot& slot) const {
    const auto source = loket::booking::codeSourceOf(slot.config.system);
    int same = 0;
    for (const auto& s : m_slots) same += loket::booking::codeSourceOf(s.config.system) == source;
    return same == 1;
}

void BookingSync::pullOne(Slot& slot) {
    const core::Now now = m_port.now();
    const core::LocalDay today = core::localDay(now);
    std::vector<core::LocalDay> days{today};
    if (core::localSecondOfDay(now) >= slot.config.tomorrowFromS) days.push_back(today + 1);
    {
        std::lock_guard lock(m_mutex);
        for (auto it = slot.known.begin(); it != slot.known.end();) it = it->first < today ? slot.known.erase(it) : std::next(it);
        if (m_aliasDay != today) {
            m_qrAlias.clear(); // yesterday's codes go with yesterday's book
            m_aliasDay = today;
            for (auto& [name, h] : m_health) h.unknownProducts.clear();
        }
    }
    // Fetch every day first: a failure or a malformed answer leaves the book as it was.
    std::vector<std::vector<ForeignAppointment>> lists;
    for (core::LocalDay day : days) {
        auto list = slot.connector->pull(day);
        if (!list) {
            bool changed = false;
            {
                std::lock_guard lock(m_mutex);
                ConnectorHealth& h = healthOf(slot.config.name);
                ++h.pullsFailed;
                changed = h.lastError != list.error().message;
                h.lastError = list.error().message;
                h.lastErrorKind = pullErrorKind(list.error(), h.lastErrorStatus);
                if (changed) h.lastErrorAt = now.t; // since when it fails this way
                h.nextPull = now.t + slot.config.pullInterval.count();
            }
            if (changed) raise(slot.config.name, "The booking system cannot be read: " + list.error().message +
                                                     ". Appointments pulled earlier still work.");
            return;
        }
        lists.push_back(std::move(*list));
    }
    int count = 0;
    for (std::size_t i = 0; i < days.size(); ++i) {
        applyDay(slot, days[i], lists[i]);
        count += static_cast<int>(lists[i].size());
    }
    slot.seeded = true;
    std::lock_guard lock(m_mutex);
    ConnectorHealth& h = healthOf(slot.config.name);
    ++h.pullsOk;
    h.lastSuccess = now.t;
    h.lastError.clear();
    h.lastErrorKind.clear();
    h.lastErrorStatus = 0;
    h.nextPull = now.t + slot.config.pullInterval.count();
    h.appointments = count;
}

void BookingSync::applyDay(Slot& slot, core::LocalDay day, const std::vector<ForeignAppointment>& list) {
    const ConnectorConfig& c = slot.config;
    const auto source = loket::booking::codeSourceOf(c.system);
    std::set<std::string> known;
    {
        std::lock_guard lock(m_mutex);
        known = slot.known[day];
    }
    // After a restart this connector's earlier bookings are found in the book by their code rule
    // (only when no other connector shares the rule, and never Loket's own codes).
    if (!slot.seeded && soleSourceOf(slot) && m_port.bookedCodes) {
        for (const auto& code : m_port.bookedCodes(day))
            if (core::validBookingCode(code, source) && !core::validBookingCode(code)) known.insert(code);
    }
    std::set<std::string> listed;
    std::uint64_t booked = 0, withdrawn = 0;
    for (const auto& a : list) {
        if (a.day != day) continue;
        if (!a.qrText.empty()) {
            std::lock_guard lock(m_mutex);
            m_qrAlias[a.qrText] = a.code;
        }
        if (a.cancelled) continue; // not listed: withdrawn below if it is in the book
        auto mapped = loket::booking::toBookCommand(a, c.products, c.system, c.keepNames);
        for (const auto& product : mapped.unknownProducts) {
            bool fresh = false;
            {
                std::lock_guard lock(m_mutex);
                fresh = healthOf(c.name).unknownProducts.insert(product).second;
            }
            if (fresh)
                raise(c.name, "Product '" + product + "' is not mapped to a Loket service (appointment " + a.code +
                                  "). Add it under [booking.products].");
        }
        if (!mapped.command) continue;
        auto done = m_port.execute(*mapped.command);
        if (done) {
            listed.insert(mapped.command->code);
            booked += *done ? 1 : 0;
        } else if (done.error().code == ErrorCode::InvalidTransition) {
            listed.insert(mapped.command->code); // already checked in: the hall has moved on
        } else {
            raise(c.name, "Appointment " + a.code + " could not be booked: " + done.error().message);
        }
    }
    for (const auto& code : known) {
        if (listed.count(code)) continue;
        auto done = m_port.execute(core::RemoveAppointment{code});
        if (done && *done) ++withdrawn;
    }
    std::lock_guard lock(m_mutex);
    slot.known[day].insert(listed.begin(), listed.end()); // keeps a code a lookup booked meanwhile
    for (auto it = slot.known[day].begin(); it != slot.known[day].end();)
        it = listed.count(*it) || !known.count(*it) ? std::next(it) : slot.known[day].erase(it);
    ConnectorHealth& h = healthOf(c.name);
    h.booked += booked;
    h.withdrawn += withdrawn;
}

Result<std::optional<std::string>> BookingSync::resolve(const std::string& typed) {
    const std::string code = core::normaliseBookingCode(typed);
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_qrAlias.find(code); it != m_qrAlias.end()) return std::optional<std::string>{it->second};
    }
    const core::Now now = m_port.now();
    const core::LocalDay today = core::localDay(now);
    std::vector<std::string> failures;
    int asked = 0;
    for (auto& slot : m_slots) {
        const ConnectorConfig& c = slot.config;
        if (!core::validBookingCode(code, loket::booking::codeSourceOf(c.system))) continue;
        ++asked;
        auto found = slot.connector->lookup(code, today);
        if (!found) {
            {
                std::lock_guard lock(m_mutex);
                ++healthOf(c.name).lookupsFailed;
            }
            failures.push_back(found.error().message);
            raise(c.name, "A visitor's code could not be checked: " + found.error().message);
            continue;
        }
        auto elsewhere = [&](const ForeignAppointment& a) { return !a.location.empty() && !c.location.empty() && a.location != c.location; };
        if (!*found || (*found)->cancelled || (*found)->day != today || elsewhere(**found)) {
            std::lock_guard lock(m_mutex);
            ++healthOf(c.name).lookupsNotFound;
            continue;
        }
        auto mapped = loket::booking::toBookCommand(**found, c.products, c.system, c.keepNames);
        for (const auto& product : mapped.unknownProducts)
            raise(c.name, "Product '" + product + "' is not mapped to a Loket service (appointment " + (*found)->code + ").");
        if (!mapped.command) {
            std::lock_guard lock(m_mutex);
            ++healthOf(c.name).lookupsNotFound;
            continue;
        }
        auto done = m_port.execute(*mapped.command);
        if (!done) return done.error();
        {
            std::lock_guard lock(m_mutex);
            ConnectorHealth& h = healthOf(c.name);
            ++h.lookupsFound;
            h.booked += *done ? 1 : 0;
            slot.known[today].insert(mapped.command->code);
        }
        return std::optional<std::string>{mapped.command->code};
    }
    if (asked > 0 && failures.size() == static_cast<std::size_t>(asked))
        return makeError(ErrorCode::BookingUnavailable,
                         "We cannot check this booking right now. Please take a number for your appointment at the desk.");
    return std::optional<std::string>{};
}

std::vector<ConnectorHealth> BookingSync::health() const {
    std::lock_guard lock(m_mutex);
    std::vector<ConnectorHealth> out;
    for (const auto& s : m_slots) out.push_back(m_health.at(s.config.name));
    return out;
}

std::vector<BookingAlert> BookingSync::alerts() const {
    std::lock_guard lock(m_mutex);
    return {m_alerts.begin(), m_alerts.end()};
}

std::string BookingSync::metricsText() const { return bookingMetricsText({this}); }

std::string bookingMetricsText(const std::vector<const BookingSync*>& syncs) {
    struct Series {
        const BookingSync* sync;
        ConnectorHealth health;
    };
    std::vector<Series> all;
    for (const BookingSync* sync : syncs)
        if (sync)
            for (auto& h : sync->health()) all.push_back({sync, std::move(h)});
    if (all.empty()) return "";
    std::ostringstream out;
    auto head = [&](const char* name, const char* type, const char* help) {
        out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
    };
    auto labels = [&](const Series& s) {
        const ConnectorHealth& h = s.health;
        return "connector=\"" + label(h.name) + "\",system=\"" + label(h.system) + "\",instance=\"" + label(s.sync->instance()) + "\"" +
               (s.sync->location().empty() ? std::string() : ",location=\"" + label(s.sync->location()) + "\"");
    };
    head("loket_booking_up", "gauge", "1 when the last pull of the booking system succeeded");
    for (const auto& s : all) out << "loket_booking_up{" << labels(s) << "} " << (s.health.lastSuccess && s.health.lastError.empty() ? 1 : 0) << '\n';
    head("loket_booking_last_success_timestamp_seconds", "gauge", "Unix time of the last successful pull (0: none yet)");
    for (const auto& s : all) out << "loket_booking_last_success_timestamp_seconds{" << labels(s) << "} " << s.health.lastSuccess.value_or(0) << '\n';
    head("loket_booking_appointments", "gauge", "Appointments the booking system listed in the last successful pull");
    for (const auto& s : all) out << "loket_booking_appointments{" << labels(s) << "} " << s.health.appointments << '\n';
    head("loket_booking_unknown_products", "gauge", "Products seen today that map to no Loket service");
    for (const auto& s : all) out << "loket_booking_unknown_products{" << labels(s) << "} " << s.health.unknownProducts.size() << '\n';
    head("loket_booking_pulls_total", "counter", "Pulls by result");
    for (const auto& s : all) {
        out << "loket_booking_pulls_total{" << labels(s) << ",result=\"ok\"} " << s.health.pullsOk << '\n';
        out << "loket_booking_pulls_total{" << labels(s) << ",result=\"error\"} " << s.health.pullsFailed << '\n';
    }
    head("loket_booking_lookups_total", "counter", "Check-in lookups by result");
    for (const auto& s : all) {
        out << "loket_booking_lookups_total{" << labels(s) << ",result=\"found\"} " << s.health.lookupsFound << '\n';
        out << "loket_booking_lookups_total{" << labels(s) << ",result=\"not_found\"} " << s.health.lookupsNotFound << '\n';
        out << "loket_booking_lookups_total{" << labels(s) << ",result=\"error\"} " << s.health.lookupsFailed << '\n';
    }
    head("loket_booking_changes_total", "counter", "Appointments booked into or withdrawn from the book");
    for (const auto& s : all) {
        out << "loket_booking_changes_total{" << labels(s) << ",change=\"booked\"} " << s.health.booked << '\n';
        out << "loket_booking_changes_total{" << labels(s) << ",change=\"withdrawn\"} " << s.health.withdrawn << '\n';
    }
    return out.str();
}

nlohmann::json BookingSync::statusJson(const std::function<nlohmann::json(core::Seconds)>& when) const {
    auto at = [&](core::Seconds t) { return when ? when(t) : nlohmann::json(t); };
    nlohmann::json connectors = nlohmann::json::array();
    for (const auto& h : health()) {
        connectors.push_back({{"name", h.name},
                              {"system", h.system},
                              {"ok", h.lastSuccess.has_value() && h.lastError.empty()},
                              {"last_success", h.lastSuccess ? at(*h.lastSuccess) : nlohmann::json()},
                              {"last_error", h.lastError.empty() ? nlohmann::json() : nlohmann::json(h.lastError)},
                              {"last_error_kind", h.lastErrorKind.empty() ? nlohmann::json() : nlohmann::json(h.lastErrorKind)},
                              {"last_error_status", h.lastErrorStatus > 0 ? nlohmann::json(h.lastErrorStatus) : nlohmann::json()},
                              {"last_error_at", h.lastError.empty() ? nlohmann::json() : at(h.lastErrorAt)},
                              {"next_pull", h.nextPull ? at(*h.nextPull) : nlohmann::json()},
                              {"pulls_failed", h.pullsFailed},
                              {"appointments", h.appointments},
                              {"booked", h.booked},
                              {"withdrawn", h.withdrawn},
                              {"unknown_products", std::vector<std::string>(h.unknownProducts.begin(), h.unknownProducts.end())}});
    }
    nlohmann::json alerts = nlohmann::json::array();
    for (const auto& a : this->alerts()) alerts.push_back({{"at", at(a.at)}, {"connector", a.connector}, {"message", a.message}});
    return {{"instance", m_instance}, {"connectors", connectors}, {"alerts", alerts}};
}

} // namespace loket::server::booking
