#include "ics_feed.hpp"

#include "shared/core/booking_code.hpp"
#include "shared/core/command_handler.hpp"

#include <libical/ical.h>

#include <memory>
#include <mutex>
#include <sstream>

namespace loket::booking::ics {
namespace {

// libical loads its built-in time zones lazily into shared tables without a lock of its own.
std::mutex g_builtinZones;

struct ComponentDeleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

bool endsWith(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

Result<core::Seconds> instantOf(icalproperty* p, const HallZone& zone, const std::string& hallTimeZone) {
    icaltimetype t = icalvalue_get_datetime(icalproperty_get_value(p));
    if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t) || t.is_date)
        return makeError(ErrorCode::InvalidValue, "needs a date and a time of day");
    core::LocalDay day = 0;
    char date[11];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", t.year, t.month, t.day);
    if (!core::parseDate(date, day)) return makeError(ErrorCode::InvalidValue, std::string("has no real date ") + date);
    const std::int32_t second = t.hour * 3600 + t.minute * 60 + t.second;
    if (icaltime_is_utc(t)) return core::instantOf(day, second, 0);
    icalparameter* tzid = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    const std::string zoneName = tzid ? icalparameter_get_tzid(tzid) : "";
    if (zoneName.empty() || zoneName == hallTimeZone || endsWith(zoneName, "/" + hallTimeZone))
        return zone.toInstant(day, second); // floating or the hall's own zone
    std::lock_guard lock(g_builtinZones);
    icaltimezone* other = icaltimezone_get_builtin_timezone(zoneName.c_str());
    if (!other) return makeError(ErrorCode::InvalidValue, "names an unknown time zone '" + zoneName + "'");
    return static_cast<core::Seconds>(icaltime_as_timet_with_zone(t, other));
}

std::string xProperty(icalcomponent* event, std::string_view name) {
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(event, ICAL_X_PROPERTY))
        if (const char* x = icalproperty_get_x_name(p); x && name == x) return icalproperty_get_x(p) ? icalproperty_get_x(p) : "";
    return "";
}

Result<ForeignAppointment> readEvent(icalcomponent* event, const HallZone& zone, const std::string& hallTimeZone) {
    ForeignAppointment a;
    const std::string uid = icalcomponent_get_uid(event) ? icalcomponent_get_uid(event) : "";
    std::string code = xProperty(event, "X-LOKET-CODE");
    if (code.empty()) code = uid.substr(0, uid.find('@'));
    a.code = core::normaliseBookingCode(code);
    const std::string where = "event '" + (uid.empty() ? a.code : uid) + "'";
    if (!core::validBookingCode(a.code, core::CodeSource::Calendar))
        return makeError(ErrorCode::InvalidValue, where + ": the code '" + a.code + "' is not " +
                                                      core::bookingCodeRuleText(core::CodeSource::Calendar));
    a.cancelled = icalcomponent_get_status(event) == ICAL_STATUS_CANCELLED;
    icalproperty* start = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
    if (!start) return makeError(ErrorCode::InvalidValue, where + " has no DTSTART");
    auto s = instantOf(start, zone, hallTimeZone);
    if (!s) return makeError(ErrorCode::InvalidValue, where + ": DTSTART " + s.error().message);
    a.startsAt = *s;
    a.day = zone.dayOf(a.startsAt);
    if (icalproperty* end = icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY)) {
        auto e = instantOf(end, zone, hallTimeZone);
        if (!e) return makeError(ErrorCode::InvalidValue, where + ": DTEND " + e.error().message);
        a.endsAt = *e;
    } else if (icalproperty* d = icalcomponent_get_first_property(event, ICAL_DURATION_PROPERTY)) {
        a.endsAt = a.startsAt + icaldurationtype_as_int(icalproperty_get_duration(d));
    }
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_CATEGORIES_PROPERTY); p;
         p = icalcomponent_get_next_property(event, ICAL_CATEGORIES_PROPERTY)) {
        std::istringstream list(icalproperty_get_categories(p) ? icalproperty_get_categories(p) : "");
        for (std::string item; std::getline(list, item, ',');)
            if (auto b = item.find_first_not_of(' '); b != std::string::npos)
                a.products.push_back(item.substr(b, item.find_last_not_of(' ') - b + 1));
    }
    if (a.products.empty() && !a.cancelled) return makeError(ErrorCode::InvalidValue, where + " has no CATEGORIES (products)");
    int attendees = 0;
    std::string firstCn;
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_ATTENDEE_PROPERTY); p;
         p = icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY)) {
        ++attendees;
        if (icalparameter* cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER); cn && firstCn.empty())
            firstCn = icalparameter_get_cn(cn) ? icalparameter_get_cn(cn) : "";
    }
    const std::string persons = xProperty(event, "X-LOKET-PERSONS");
    if (!persons.empty()) {
        if (persons.find_first_not_of("0123456789") != std::string::npos || persons.size() > 2 || std::stoi(persons) < 1)
            return makeError(ErrorCode::InvalidValue, where + ": X-LOKET-PERSONS must be a number from 1 to 20");
        a.persons = std::stoi(persons);
    } else {
        a.persons = std::max(1, attendees);
    }
    const std::string name = xProperty(event, "X-LOKET-NAME");
    a.name = staffName({name.empty() ? firstCn : name});
    return a;
}

} // namespace

Result<std::vector<ForeignAppointment>> parseFeed(std::string_view text, const HallZone& zone, const std::string& hallTimeZone) {
    const std::string copy(text);
    std::unique_ptr<icalcomponent, ComponentDeleter> root(icalparser_parse_string(copy.c_str()));
    if (!root || icalcomponent_isa(root.get()) != ICAL_VCALENDAR_COMPONENT)
        return makeError(ErrorCode::InvalidValue, "the feed is not an iCalendar object (BEGIN:VCALENDAR … END:VCALENDAR)");
    if (icalcomponent_count_errors(root.get()) > 0)
        return makeError(ErrorCode::InvalidValue, "the iCalendar feed has lines libical cannot read");
    std::vector<ForeignAppointment> out;
    for (icalcomponent* ev = icalcomponent_get_first_component(root.get(), ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(root.get(), ICAL_VEVENT_COMPONENT)) {
        auto a = readEvent(ev, zone, hallTimeZone);
        if (!a) return makeError(ErrorCode::InvalidValue, "iCalendar feed: " + a.error().message);
        out.push_back(std::move(*a));
    }
    return out;
}

} // namespace loket::booking::ics
