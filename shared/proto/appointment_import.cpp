#include "appointment_import.hpp"

#include "shared/core/booking_code.hpp"
#include "shared/core/utf8.hpp"

#include <libical/ical.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <cstdio>
#include <memory>
#include <sstream>

namespace loket::proto {
using namespace loket::core;

namespace {

std::string trim(std::string_view s) {
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return std::string(s.substr(a, b - a));
}

std::string lower(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

// Splits CSV text into records of fields, remembering the line each record starts on.
struct CsvRecord { int line; std::vector<std::string> fields; };
std::vector<CsvRecord> splitCsv(std::string_view text, char sep, std::string& error, int& errorLine) {
    std::vector<CsvRecord> out;
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false, fieldStarted = false;
    int line = 1, recordLine = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char ch = text[i];
        if (quoted) {
            if (ch == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; }
                else quoted = false;
            } else {
                if (ch == '\n') ++line;
                field += ch;
            }
            continue;
        }
        if (ch == '"' && !fieldStarted) { quoted = true; fieldStarted = true; continue; }
        if (ch == sep) { fields.push_back(field); field.clear(); fieldStarted = false; continue; }
        if (ch == '\r') continue;
        if (ch == '\n') {
            fields.push_back(field);
            out.push_back({recordLine, fields});
            fields.clear(); field.clear(); fieldStarted = false;
            recordLine = ++line;
            continue;
        }
        field += ch;
        fieldStarted = true;
    }
    if (quoted) { error = "a quoted field is not closed"; errorLine = recordLine; }
    if (!field.empty() || !fields.empty()) {
        fields.push_back(field);
        out.push_back({recordLine, fields});
    }
    return out;
}

bool parseClock(const std::string& text, std::int32_t& out) {
    int h = 0, m = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59) return false;
    out = h * 3600 + m * 60;
    return true;
}

bool parseInt(const std::string& text, long lo, long hi, long& out) {
    if (text.empty()) return false;
    char* end = nullptr;
    long v = std::strtol(text.c_str(), &end, 10);
    if (*end != '\0' || v < lo || v > hi) return false;
    out = v;
    return true;
}

std::vector<std::string> splitServices(const std::string& text, char sep) {
    std::vector<std::string> out;
    std::string part;
    std::stringstream ss(text);
    while (std::getline(ss, part, sep))
        if (auto t = trim(part); !t.empty()) out.push_back(lower(t));
    return out;
}

} // namespace

std::vector<ImportLineError> encodingErrors(std::string_view text) {
    std::vector<ImportLineError> errors;
    int line = 1;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string_view content = text.substr(start, end - start);
        if (auto bad = core::invalidUtf8At(content)) {
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(content[*bad]));
            errors.push_back({line, std::string("not UTF-8 (byte ") + byte + " at column " + std::to_string(*bad + 1) +
                                        ", after \"" + std::string(content.substr(0, *bad)) +
                                        "\"): save the file as UTF-8 (in Excel: \"CSV UTF-8\")"});
        }
        if (end == text.size()) break;
        start = end + 1;
        ++line;
    }
    return errors;
}

ParsedImport parseAppointmentsCsv(std::string_view text, const LocalToInstant& toInstant) {
    ParsedImport result;
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3); // UTF-8 BOM
    result.errors = encodingErrors(text);
    if (!result.errors.empty()) return result; // nothing of a file in another encoding is read
    const auto firstLineEnd = text.find('\n');
    const std::string header(text.substr(0, firstLineEnd));
    const char sep = std::count(header.begin(), header.end(), ';') > std::count(header.begin(), header.end(), ',') ? ';' : ',';
    std::string error;
    int errorLine = 0;
    auto records = splitCsv(text, sep, error, errorLine);
    if (!error.empty()) result.errors.push_back({errorLine, error});
    if (records.empty()) {
        result.errors.push_back({1, "the file is empty; expected a header line: code,date,time,services,duration_min,persons,name"});
        return result;
    }
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < records[0].fields.size(); ++i) col[lower(trim(records[0].fields[i]))] = i;
    for (const char* required : {"code", "date", "time", "services"})
        if (!col.count(required) && !(std::string(required) == "services" && col.count("service"))) {
            result.errors.push_back({records[0].line, std::string("the header has no column '") + required +
                                     "' (expected: code,date,time,services,duration_min,persons,name)"});
            return result;
        }
    const std::size_t servicesCol = col.count("services") ? col["services"] : col["service"];
    for (std::size_t r = 1; r < records.size(); ++r) {
        const CsvRecord& rec = records[r];
        if (rec.fields.size() == 1 && trim(rec.fields[0]).empty()) continue; // blank line
        auto field = [&](const std::string& name) -> std::string {
            auto it = col.find(name);
            return it != col.end() && it->second < rec.fields.size() ? trim(rec.fields[it->second]) : std::string();
        };
        ImportRow row;
        row.line = rec.line;
        auto& cmd = row.command;
        cmd.code = field("code");
        LocalDay day;
        std::int32_t clock;
        long duration = 0, persons = 1;
        const std::string date = field("date"), time = field("time");
        if (cmd.code.empty()) { result.errors.push_back({rec.line, "code is empty"}); continue; }
        if (!parseDate(date, day)) { result.errors.push_back({rec.line, "date '" + date + "' is not a date like 2026-11-23"}); continue; }
        if (!parseClock(time, clock)) { result.errors.push_back({rec.line, "time '" + time + "' is not a time like 09:30"}); continue; }
        std::string servicesText = servicesCol < rec.fields.size() ? trim(rec.fields[servicesCol]) : "";
        cmd.services = splitServices(servicesText, '+');
        if (cmd.services.empty()) { result.errors.push_back({rec.line, "services is empty"}); continue; }
        if (auto d = field("duration_min"); !d.empty() && !parseInt(d, 1, 480, duration)) {
            result.errors.push_back({rec.line, "duration_min '" + d + "' is not a number of minutes from 1 to 480"});
            continue;
        }
        if (auto p = field("persons"); !p.empty() && !parseInt(p, 1, 20, persons)) {
            result.errors.push_back({rec.line, "persons '" + p + "' is not a number from 1 to 20"});
            continue;
        }
        cmd.day = day;
        cmd.startsAt = toInstant(day, clock);
        cmd.durationS = duration * 60;
        cmd.persons = static_cast<int>(persons);
        cmd.name = field("name");
        result.rows.push_back(std::move(row));
    }
    return result;
}

namespace {

// Where each event and each of its properties starts in the file: libical keeps no line numbers,
// and a report a person can act on names the line. Events are matched to libical's components
// in file order.
struct EventLines {
    int begin = 0;
    std::map<std::string, int> properties; // first line of each property name
};

std::vector<EventLines> eventLines(std::string_view text) {
    std::vector<EventLines> events;
    bool inEvent = false;
    int line = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        std::string_view l = text.substr(pos, end - pos);
        pos = end + 1;
        ++line;
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (l.empty() || l[0] == ' ' || l[0] == '\t') continue; // folded continuation
        std::string name(l.substr(0, l.find_first_of(";:")));
        for (auto& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        const std::string value = trim(l.substr(std::min(l.size(), l.find(':') + 1)));
        if (name == "BEGIN" && value == "VEVENT") {
            events.push_back({line, {}});
            inEvent = true;
        } else if (name == "END" && value == "VEVENT") {
            inEvent = false;
        } else if (inEvent) {
            events.back().properties.emplace(name, line);
        }
    }
    return events;
}

struct CalendarDeleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

// A parameter value as Outlook writes it (`CN="Jansen\, P."`): RFC 5545 has no escapes in
// parameters, but calendar programs put TEXT escapes there; a person's name keeps none of them.
std::string unescapeText(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            const char next = text[++i];
            out += next == 'n' || next == 'N' ? ' ' : next;
        } else {
            out += text[i];
        }
    }
    return trim(out);
}

const char* xProperty(icalcomponent* event, const char* name) {
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(event, ICAL_X_PROPERTY))
        if (const char* x = icalproperty_get_x_name(p); x && std::string_view(x) == name) return icalproperty_get_x(p);
    return nullptr;
}

// The booking code: X-LOKET-CODE; else the UID before '@' when it is a booking code (booking
// systems use the code as UID); else the last word of SUMMARY when it is one ("Paspoort K7Q2MX":
// calendar programs export no fields of their own, and Outlook's UIDs are long hex strings).
std::string bookingCodeOf(icalcomponent* event) {
    if (const char* code = xProperty(event, "X-LOKET-CODE")) return trim(code);
    if (const char* uid = icalcomponent_get_uid(event)) {
        const std::string_view u(uid);
        std::string code = core::normaliseBookingCode(u.substr(0, u.find('@')));
        if (core::validBookingCode(code)) return code;
    }
    if (const char* summary = icalcomponent_get_summary(event)) {
        const std::string s = trim(summary);
        std::string code = core::normaliseBookingCode(s.substr(s.find_last_of(" \t") == std::string::npos ? 0 : s.find_last_of(" \t") + 1));
        if (core::validBookingCode(code)) return code;
    }
    return {};
}

// Services: every CATEGORIES value (service ids); else the SUMMARY's first word, services joined
// with '+' ("paspoort+ophalen K7Q2MX"), for calendars that export no categories (Google).
std::vector<std::string> servicesOf(icalcomponent* event) {
    std::vector<std::string> services;
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_CATEGORIES_PROPERTY); p;
         p = icalcomponent_get_next_property(event, ICAL_CATEGORIES_PROPERTY))
        for (auto& s : splitServices(icalproperty_get_categories(p) ? icalproperty_get_categories(p) : "", ','))
            services.push_back(std::move(s));
    if (!services.empty()) return services;
    if (const char* summary = icalcomponent_get_summary(event)) {
        const std::string s = trim(summary);
        const std::string first = s.substr(0, s.find_first_of(" \t"));
        if (first.size() < s.size()) return splitServices(first, '+'); // a code follows the services
    }
    return services;
}

// The instant of DTSTART/DTEND: UTC, a zone the file defines (VTIMEZONE, such as Outlook's
// "W. Europe Standard Time"), a zone libical knows by its tz name, or floating (hall time).
bool icalInstantOf(icalcomponent* event, icalproperty_kind kind, icaltimetype time, const LocalToInstant& toInstant,
                   const std::string& hallTz, Seconds& out, LocalDay& day, std::string& error) {
    const char* name = kind == ICAL_DTSTART_PROPERTY ? "DTSTART" : "DTEND";
    if (time.is_date) {
        error = std::string(name) + " is a whole day; an appointment needs a time";
        return false;
    }
    LocalDay localDate = 0;
    char iso[32];
    std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", time.year, time.month, time.day);
    if (!parseDate(iso, localDate)) {
        error = std::string(name) + " is not a real date";
        return false;
    }
    const std::int32_t clock = time.hour * 3600 + time.minute * 60 + time.second;
    icalproperty* prop = icalcomponent_get_first_property(event, kind);
    icalparameter* tzid = prop ? icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER) : nullptr;
    const bool utc = icaltime_is_utc(time);
    if (!utc && !time.zone) {
        if (tzid && hallTz != icalparameter_get_tzid(tzid)) {
            error = std::string(name) + " uses time zone '" + icalparameter_get_tzid(tzid) +
                    "', which the file does not define (no VTIMEZONE) and which is not a known zone";
            return false;
        }
        out = toInstant(localDate, clock); // floating, or the hall's own zone: hall time
        day = localDate;
        return true;
    }
    const icaltimetype inUtc = icaltime_convert_to_zone(time, icaltimezone_get_utc_timezone());
    out = static_cast<Seconds>(icaltime_as_timet(inUtc));
    // The hall's calendar day of that instant, from the hall's offset on that date.
    const std::int32_t offset = static_cast<std::int32_t>(core::instantOf(localDate, 12 * 3600, 0) - toInstant(localDate, 12 * 3600));
    day = localDay(Now{out, offset});
    return true;
}

} // namespace

ParsedImport parseAppointmentsIcs(std::string_view text, const LocalToInstant& toInstant, const std::string& hallTimeZone) {
    ParsedImport result;
    result.errors = encodingErrors(text);
    if (!result.errors.empty()) return result; // nothing of a file in another encoding is read
    const std::string body(text);
    std::unique_ptr<icalcomponent, CalendarDeleter> calendar(icalparser_parse_string(body.c_str()));
    if (!calendar || icalcomponent_isa(calendar.get()) != ICAL_VCALENDAR_COMPONENT) {
        return ParsedImport{{}, {ImportLineError{1, "not an iCalendar file: it must start with BEGIN:VCALENDAR"}}};
    }
    const std::vector<EventLines> lines = eventLines(text);
    std::size_t index = 0;
    for (icalcomponent* event = icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT); event;
         event = icalcomponent_get_next_component(calendar.get(), ICAL_VEVENT_COMPONENT), ++index) {
        const EventLines at = index < lines.size() ? lines[index] : EventLines{};
        auto lineOf = [&](const char* property) {
            auto it = at.properties.find(property);
            return it != at.properties.end() ? it->second : at.begin;
        };
        auto fail = [&](const char* property, std::string message) { result.errors.push_back({lineOf(property), std::move(message)}); };
        if (icalcomponent_get_status(event) == ICAL_STATUS_CANCELLED) continue;
        // What libical could not read it reports inside the event and drops. A dropped time makes
        // the appointment wrong: that is the line's error. Other dropped properties (an empty
        // LOCATION, as Google writes) do not matter to the hall.
        bool unreadable = false;
        for (icalproperty* bad = icalcomponent_get_first_property(event, ICAL_XLICERROR_PROPERTY); bad && !unreadable;
             bad = icalcomponent_get_next_property(event, ICAL_XLICERROR_PROPERTY)) {
            const std::string what = icalproperty_get_xlicerror(bad);
            for (const char* property : {"DTSTART", "DTEND", "DURATION"})
                if (!unreadable && what.find(property) != std::string::npos) {
                    fail(property, "cannot be read: " + what);
                    unreadable = true;
                }
        }
        if (unreadable) continue;
        ImportRow row;
        row.line = at.begin;
        auto& cmd = row.command;
        cmd.code = bookingCodeOf(event);
        if (cmd.code.empty()) {
            fail("UID", "the event has no booking code: put it in X-LOKET-CODE, the UID or at the end of SUMMARY");
            continue;
        }
        const icaltimetype start = icalcomponent_get_dtstart(event);
        if (icaltime_is_null_time(start)) { fail("BEGIN", "the event has no DTSTART"); continue; }
        std::string error;
        Seconds startsAt = 0;
        LocalDay day = 0;
        if (!icalInstantOf(event, ICAL_DTSTART_PROPERTY, start, toInstant, hallTimeZone, startsAt, day, error)) {
            fail("DTSTART", error);
            continue;
        }
        Seconds duration = 0;
        if (icalcomponent_get_first_property(event, ICAL_DURATION_PROPERTY)) {
            duration = icaldurationtype_as_int(icalcomponent_get_duration(event));
        } else if (icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY)) {
            Seconds end = 0;
            LocalDay endDay = 0;
            if (!icalInstantOf(event, ICAL_DTEND_PROPERTY, icalcomponent_get_dtend(event), toInstant, hallTimeZone, end, endDay, error)) {
                fail("DTEND", error);
                continue;
            }
            duration = end - startsAt;
        }
        if (duration < 0 || (duration == 0 && icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY))) {
            fail("DTEND", "the event ends before it starts");
            continue;
        }
        cmd.services = servicesOf(event);
        if (cmd.services.empty()) {
            fail("CATEGORIES", "the event names no services: put them in CATEGORIES or before the code in SUMMARY");
            continue;
        }
        cmd.startsAt = startsAt;
        cmd.day = day;
        cmd.durationS = duration;
        if (const char* name = xProperty(event, "X-LOKET-NAME")) {
            cmd.name = trim(name);
        } else if (icalproperty* attendee = icalcomponent_get_first_property(event, ICAL_ATTENDEE_PROPERTY)) {
            if (icalparameter* cn = icalproperty_get_first_parameter(attendee, ICAL_CN_PARAMETER))
                cmd.name = unescapeText(icalparameter_get_cn(cn));
        }
        result.rows.push_back(std::move(row));
    }
    return result;
}

} // namespace loket::proto
