#include "configuration.hpp"

#include "hall_state.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace loket::core {
namespace {
template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>; // clang 16 (the fuzz tree) has no aggregate CTAD

using Events = std::vector<Event>;

Error fieldError(ErrorCode code, std::string field, std::string message) {
    Error error = makeError(code, std::move(message));
    error.details.field = std::move(field);
    return error;
}

Error needsConfirmation(std::string message) {
    return makeError(ErrorCode::ConfirmationNeeded, std::move(message) + " Confirm to go ahead.");
}

constexpr std::array<std::string_view, 8> kLocations = {"left", "right", "up", "down",
                                                        "up-left", "up-right", "down-left", "down-right"};

bool isSlug(const std::string& id) {
    return !id.empty() && id.size() <= 32 &&
           id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
}

bool isLanguageCode(const std::string& code) {
    return code.size() >= 2 && code.size() <= 3 &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// One line of text: valid UTF-8, no control characters, at most `maxChars` characters.
std::optional<Error> checkLine(const std::string& text, const std::string& field, std::size_t maxChars) {
    auto points = decodeUtf8(text);
    if (!points) return fieldError(ErrorCode::InvalidValue, field, field + " is not valid UTF-8 text.");
    if (points->size() > maxChars)
        return fieldError(ErrorCode::InvalidValue, field,
                          field + " is " + std::to_string(points->size()) + " characters; at most " + std::to_string(maxChars) + ".");
    for (char32_t c : *points)
        if (c < 0x20 || c == 0x7f) return fieldError(ErrorCode::InvalidValue, field, field + " must be one line without control characters.");
    return std::nullopt;
}

std::optional<Error> checkText(const LocalText& text, const std::string& field, std::size_t maxChars, bool dutchRequired) {
    for (const auto& [code, value] : text) {
        if (!isLanguageCode(code))
            return fieldError(ErrorCode::InvalidValue, field, field + ": '" + code + "' is not a language code like nl or en.");
        if (auto bad = checkLine(value, field + "." + code, maxChars)) return bad;
    }
    if (dutchRequired) {
        auto nl = text.find("nl");
        if (nl == text.end() || nl->second.empty())
            return fieldError(ErrorCode::MissingField, field + ".nl", field + " needs a Dutch text.");
    }
    return std::nullopt;
}

std::optional<Error> checkPeriods(const OpenPeriods& periods, const std::string& field) {
    std::int32_t previousClose = -1;
    for (auto [open, close] : periods) {
        if (open < 0 || close > 86400 || open >= close)
            return fieldError(ErrorCode::InvalidValue, field, field + ": a period opens before it closes, within the day (" +
                                                                  formatClock(std::clamp(open, 0, 86399)) + "–" +
                                                                  formatClock(std::clamp(close, 0, 86399)) + ").");
        if (open < previousClose)
            return fieldError(ErrorCode::InvalidValue, field, field + ": periods are in order and do not overlap.");
        previousClose = close;
    }
    return std::nullopt;
}

std::size_t offeredCount(const HallConfig& config) {
    return static_cast<std::size_t>(std::count_if(config.services.begin(), config.services.end(),
                                                   [](const ServiceConfig& s) { return !s.retired; }));
}

std::size_t activeCounterCount(const HallConfig& config) {
    return static_cast<std::size_t>(std::count_if(config.counters.begin(), config.counters.end(),
                                                  [](const CounterConfig& c) { return !c.retired; }));
}

bool liveTicket(const Ticket& t) {
    return t.status == TicketStatus::Waiting || t.status == TicketStatus::Called || t.status == TicketStatus::Serving;
}

std::string visitors(std::size_t n) { return n == 1 ? "1 visitor" : std::to_string(n) + " visitors"; }

class Validator {
public:
    explicit Validator(const HallConfig& config) : m_config(config) {}

    std::optional<Error> operator()(const SetService& c) const {
        const ServiceConfig& s = c.service;
        if (!isSlug(s.id)) return fieldError(ErrorCode::InvalidValue, "id", "id: use 1-32 lower-case letters, digits, - and _.");
        if (!m_config.serviceIndex(s.id) && m_config.services.size() >= kMaxServices)
            return fieldError(ErrorCode::InvalidValue, "id", "A hall has at most 64 services (removed ones count too).");
        if (auto bad = checkText(s.name, "name", kMaxNameChars, true)) return bad;
        if (auto bad = checkText(s.description, "description", kMaxLineChars, false)) return bad;
        if (auto bad = checkText(s.bring, "bring", kMaxLineChars, false)) return bad;
        if (s.publicLabel)
            if (auto bad = checkText(*s.publicLabel, "public_label", kMaxNameChars, true)) return bad;
        if (s.prefix < 'A' || s.prefix > 'Z') return fieldError(ErrorCode::InvalidValue, "prefix", "prefix must be one capital letter A-Z.");
        if (!s.walkIn && !s.appointment)
            return fieldError(ErrorCode::InvalidValue, "walk_in", "A service takes walk-ins, appointments or both.");
        if (s.expectedDurationS < kMinDurationS || s.expectedDurationS > kMaxDurationS)
            return fieldError(ErrorCode::InvalidValue, "expected_duration_s", "The expected duration is between 30 seconds and 4 hours.");
        if (s.walkInTargetS < 60 || s.walkInTargetS > kMaxDurationS)
            return fieldError(ErrorCode::InvalidValue, "walk_in_target_s", "The walk-in target is between 1 minute and 4 hours.");
        return std::nullopt;
    }

    std::optional<Error> operator()(const RemoveService& c) const {
        if (!m_config.offeredServiceIndex(c.id))
            return fieldError(ErrorCode::UnknownService, "id", "There is no service '" + c.id + "'.");
        if (offeredCount(m_config) <= 1)
            return fieldError(ErrorCode::InvalidValue, "id", "The hall needs at least one service; add another one first.");
        return std::nullopt;
    }

    std::optional<Error> operator()(const SetCounter& c) const {
        if (!isSlug(c.id)) return fieldError(ErrorCode::InvalidValue, "id", "id: use 1-32 lower-case letters, digits, - and _.");
        if (c.name.empty()) return fieldError(ErrorCode::MissingField, "name", "A counter needs a name (what follows \"Balie\").");
        if (auto bad = checkLine(c.name, "name", kMaxCounterNameChars)) return bad;
        if (c.skills.empty()) return fieldError(ErrorCode::MissingField, "skills", "A counter serves at least one service.");
        for (const auto& id : c.skills)
            if (!m_config.offeredServiceIndex(id))
                return fieldError(ErrorCode::UnknownService, "skills", "There is no service '" + id + "'.");
        if (!validCounterLocation(c.location))
            return fieldError(ErrorCode::InvalidValue, "location",
                              "location is one of left, right, up, down, up-left, up-right, down-left, down-right (or empty).");
        return std::nullopt;
    }

    std::optional<Error> operator()(const RemoveCounter& c) const {
        if (!m_config.activeCounterIndex(c.id))
            return fieldError(ErrorCode::UnknownCounter, "id", "There is no counter '" + c.id + "'.");
        if (activeCounterCount(m_config) <= 1)
            return fieldError(ErrorCode::InvalidValue, "id", "The hall needs at least one counter; add another one first.");
        return std::nullopt;
    }

    std::optional<Error> operator()(const SetWeekHours& c) const {
        if (c.weekday < 0 || c.weekday > 6) return fieldError(ErrorCode::InvalidValue, "weekday", "weekday is 0 (Monday) to 6 (Sunday).");
        if (auto bad = checkPeriods(c.periods, "periods")) return bad;
        return checkPeriods(c.walkInPeriods, "walk_in_periods");
    }

    std::optional<Error> operator()(const SetDayException& c) const {
        const DayException& e = c.exception;
        if (e.kind == DayExceptionKind::Closed && !e.periods.empty())
            return fieldError(ErrorCode::InvalidValue, "periods", "A closed day has no opening hours.");
        if (e.kind != DayExceptionKind::Closed && e.periods.empty())
            return fieldError(ErrorCode::MissingField, "periods", "A short day or an evening opening needs its opening hours.");
        if (auto bad = checkPeriods(e.periods, "periods")) return bad;
        return checkText(e.note, "note", kMaxLineChars, false);
    }

    std::optional<Error> operator()(const ClearDayException& c) const {
        if (!m_config.dayExceptions.count(c.day))
            return fieldError(ErrorCode::NotFound, "date", "There is no exception on " + formatDate(c.day) + ".");
        return std::nullopt;
    }

    std::optional<Error> operator()(const SetBanner& c) const { return checkText(c.text, "text", kMaxLineChars, false); }

private:
    const HallConfig& m_config;
};

// The refusals that protect today's visitors, and the events that keep the day whole.
class DayGuard {
public:
    DayGuard(const HallState& state, Now now, bool confirmed) : m_state(state), m_now(now), m_confirmed(confirmed) {}

    Result<Events> operator()(const RemoveService& c) const {
        const ServiceIndex service = *m_state.config().serviceIndex(c.id);
        std::size_t waiting = 0, booked = 0;
        for (const Ticket& t : m_state.tickets())
            if (liveTicket(t) && std::find(t.services.begin(), t.services.end(), service) != t.services.end()) ++waiting;
        for (const auto& [code, a] : m_state.appointments())
            if (a.status == AppointmentStatus::Booked && std::find(a.services.begin(), a.services.end(), service) != a.services.end())
                ++booked;
        if ((waiting || booked) && !m_confirmed) {
            std::string what;
            if (waiting) what = visitors(waiting) + " of today still need '" + c.id + "'";
            if (booked) what += std::string(what.empty() ? "" : " and ") + std::to_string(booked) + " booked appointments are for it";
            return needsConfirmation(what + ". Removing it stops new tickets and bookings; visitors already waiting are still served.");
        }
        return Events{};
    }

    Result<Events> operator()(const SetCounter& c) const {
        const HallConfig& config = m_state.config();
        auto index = config.activeCounterIndex(c.id);
        if (!index) return Events{};
        ServiceMask skills = 0;
        for (const auto& id : c.skills) skills |= bit(*config.serviceIndex(id));
        const CounterStatus& st = m_state.counters()[*index];
        if (st.ticket && !m_confirmed) {
            const Ticket* t = m_state.ticket(*st.ticket);
            for (ServiceIndex s : t->services)
                if (!(skills & bit(s)))
                    return needsConfirmation("Counter '" + c.id + "' has ticket " + t->number + " for '" + config.services[s].id +
                                             "', which it would no longer serve. The visitor there is still helped.");
        }
        if (st.state == CounterState::Closed) return Events{};
        ServiceMask now = st.services & skills;
        if (now == 0) now = skills;
        if (now == st.services) return Events{};
        return Events{CounterUpdated{*index, st.state, now, m_now.t}};
    }

    Result<Events> operator()(const RemoveCounter& c) const {
        const CounterIndex index = *m_state.config().activeCounterIndex(c.id);
        const CounterStatus& st = m_state.counters()[index];
        Events events;
        if (st.ticket) {
            const Ticket* t = m_state.ticket(*st.ticket);
            if (!m_confirmed)
                return needsConfirmation("Counter '" + c.id + "' has called ticket " + t->number +
                                         ". Removing it sends that visitor back to the queue, in the same place.");
            events.push_back(TicketTransferred{t->id, m_now.t, t->services, std::nullopt});
        }
        if (st.state != CounterState::Closed) events.push_back(CounterUpdated{index, CounterState::Closed, 0, m_now.t});
        return events;
    }

    Result<Events> operator()(const SetDayException& c) const {
        const LocalDay today = localDay(m_now);
        if (c.day < today)
            return fieldError(ErrorCode::InvalidValue, "date", formatDate(c.day) + " is in the past.");
        if (c.day != today || m_confirmed) return Events{};
        OpeningHours hours = m_state.config().hours;
        hours.alwaysOpen = false;
        hours.exceptions[c.day] = c.exception.periods;
        if (hours.isOpen(m_now)) return Events{};
        const auto waiting = static_cast<std::size_t>(std::count_if(m_state.tickets().begin(), m_state.tickets().end(), liveTicket));
        if (waiting == 0) return Events{};
        return needsConfirmation("With these hours the hall is closed now, and " + visitors(waiting) +
                                 " of today are still in the hall. They are still served; new visitors are refused.");
    }

    Result<Events> operator()(const auto&) const { return Events{}; }

private:
    const HallState& m_state;
    Now m_now;
    bool m_confirmed;
};

ServiceMask skillMask(const HallConfig& config, const std::vector<std::string>& ids) {
    ServiceMask mask = 0;
    for (const auto& id : ids)
        if (auto s = config.serviceIndex(id)) mask |= bit(*s);
    return mask;
}

std::vector<std::string> skillIds(const HallConfig& config, ServiceMask mask) {
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < config.services.size(); ++i)
        if (mask & bit(static_cast<ServiceIndex>(i))) ids.push_back(config.services[i].id);
    return ids;
}

} // namespace

bool validCounterLocation(const std::string& location) {
    return location.empty() || std::find(kLocations.begin(), kLocations.end(), location) != kLocations.end();
}

const char* configChangeName(const ConfigChange& change) {
    return std::visit(Overloaded{
        [](const SetService&) { return "service.set"; },
        [](const RemoveService&) { return "service.remove"; },
        [](const SetCounter&) { return "counter.set"; },
        [](const RemoveCounter&) { return "counter.remove"; },
        [](const SetWeekHours&) { return "hours.set"; },
        [](const SetDayException&) { return "exception.set"; },
        [](const ClearDayException&) { return "exception.clear"; },
        [](const SetBanner&) { return "banner.set"; },
    }, change);
}

std::string configChangeTarget(const ConfigChange& change) {
    return std::visit(Overloaded{
        [](const SetService& c) { return c.service.id; },
        [](const RemoveService& c) { return c.id; },
        [](const SetCounter& c) { return c.id; },
        [](const RemoveCounter& c) { return c.id; },
        [](const SetWeekHours& c) { return std::to_string(c.weekday); },
        [](const SetDayException& c) { return formatDate(c.day); },
        [](const ClearDayException& c) { return formatDate(c.day); },
        [](const SetBanner&) { return std::string(); },
    }, change);
}

Status validateConfigChange(const HallConfig& config, const ConfigChange& change) {
    if (auto bad = std::visit(Validator(config), change)) return *bad;
    return Ok{};
}

Result<std::vector<Event>> decideConfiguration(const HallState& state, const Configure& command, Now now) {
    if (auto valid = validateConfigChange(state.config(), command.change); !valid) return valid.error();
    if (command.by.empty()) return makeError(ErrorCode::MissingField, "A configuration change names who made it.");
    auto events = std::visit(DayGuard(state, now, command.confirmed), command.change);
    if (!events) return events.error();
    Events out;
    // A counter that goes keeps the day whole first (its visitor back in the queue, then closed).
    const bool before = std::holds_alternative<RemoveCounter>(command.change);
    if (before) out = std::move(events.value());
    out.push_back(ConfigurationChanged{command.change, command.by, now.t});
    if (!before)
        for (auto& e : events.value()) out.push_back(std::move(e));
    return out;
}

void applyConfigurationChange(HallConfig& config, const ConfigChange& change) {
    std::visit(Overloaded{
        [&](const SetService& c) {
            ServiceConfig s = c.service;
            s.retired = false;
            if (auto i = config.serviceIndex(s.id)) config.services[*i] = std::move(s);
            else config.services.push_back(std::move(s));
        },
        [&](const RemoveService& c) {
            if (auto i = config.serviceIndex(c.id)) config.services[*i].retired = true;
        },
        [&](const SetCounter& c) {
            CounterConfig counter{c.id, c.name, skillMask(config, c.skills), c.location, c.sittingDesk, false};
            if (auto i = config.counterIndex(c.id)) config.counters[*i] = std::move(counter);
            else config.counters.push_back(std::move(counter));
        },
        [&](const RemoveCounter& c) {
            if (auto i = config.counterIndex(c.id)) config.counters[*i].retired = true;
        },
        [&](const SetWeekHours& c) {
            const auto day = static_cast<std::size_t>(c.weekday);
            // A week set on the page replaces "always open" with the hours it shows.
            if (config.hours.alwaysOpen)
                for (auto& p : config.hours.periods) p = {{0, 86400}};
            if (config.walkInHours.alwaysOpen)
                for (auto& p : config.walkInHours.periods) p = {{0, 86400}};
            config.hours.alwaysOpen = config.walkInHours.alwaysOpen = false;
            config.hours.periods[day] = c.periods;
            config.walkInHours.periods[day] = c.walkInPeriods;
        },
        [&](const SetDayException& c) {
            config.dayExceptions[c.day] = c.exception;
            config.hours.exceptions[c.day] = c.exception.periods;
            config.walkInHours.exceptions[c.day] = c.exception.periods;
        },
        [&](const ClearDayException& c) {
            config.dayExceptions.erase(c.day);
            config.hours.exceptions.erase(c.day);
            config.walkInHours.exceptions.erase(c.day);
        },
        [&](const SetBanner& c) {
            config.banner.clear();
            for (const auto& [code, text] : c.text)
                if (!text.empty()) config.banner[code] = text;
        },
    }, change);
}

std::vector<ConfigChange> configurationDiff(const HallConfig& from, const HallConfig& to) {
    std::vector<ConfigChange> changes;
    for (const ServiceConfig& s : to.services) {
        if (s.retired) continue;
        auto i = from.serviceIndex(s.id);
        if (!i || !(from.services[*i] == s)) changes.push_back(SetService{s});
    }
    for (const ServiceConfig& s : from.services)
        if (!s.retired && !to.offeredServiceIndex(s.id)) changes.push_back(RemoveService{s.id});
    for (const CounterConfig& c : to.counters) {
        if (c.retired) continue;
        const std::vector<std::string> skills = skillIds(to, c.skills);
        auto i = from.counterIndex(c.id);
        const bool same = i && from.counters[*i].name == c.name && !from.counters[*i].retired &&
                          skillIds(from, from.counters[*i].skills) == skills && from.counters[*i].location == c.location &&
                          from.counters[*i].sittingDesk == c.sittingDesk;
        if (!same) changes.push_back(SetCounter{c.id, c.name, skills, c.location, c.sittingDesk});
    }
    for (const CounterConfig& c : from.counters)
        if (!c.retired && !to.activeCounterIndex(c.id)) changes.push_back(RemoveCounter{c.id});
    auto dayPeriods = [](const OpeningHours& h, std::size_t day) {
        return h.alwaysOpen ? OpenPeriods{{0, 86400}} : h.periods[day];
    };
    for (std::size_t day = 0; day < 7; ++day) {
        const OpenPeriods hours = dayPeriods(to.hours, day), walkIn = dayPeriods(to.walkInHours, day);
        if (hours != dayPeriods(from.hours, day) || walkIn != dayPeriods(from.walkInHours, day))
            changes.push_back(SetWeekHours{static_cast<int>(day), hours, walkIn});
    }
    for (const auto& [day, exception] : to.dayExceptions) {
        auto it = from.dayExceptions.find(day);
        if (it == from.dayExceptions.end() || !(it->second == exception)) changes.push_back(SetDayException{day, exception});
    }
    for (const auto& [day, exception] : from.dayExceptions)
        if (!to.dayExceptions.count(day)) changes.push_back(ClearDayException{day});
    if (from.banner != to.banner) changes.push_back(SetBanner{to.banner});
    return changes;
}

} // namespace loket::core
