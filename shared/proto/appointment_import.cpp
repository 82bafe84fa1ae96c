#include "appointment_import.hpp"

#include <algorithm>
#include <cctype>
#include <map>
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

ParsedImport parseAppointmentsCsv(std::string_view text, const LocalToInstant& toInstant) {
    ParsedImport result;
    if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF) text.remove_prefix(3); // UTF-8 BOM
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

struct IcsLine { int line; std::string name; std::map<std::string, std::string> params; std::string value; };

// Unfolds RFC 5545 content lines (a line starting with a space or tab continues the previous one).
std::vector<IcsLine> icsLines(std::string_view text) {
    std::vector<std::pair<int, std::string>> raw;
    int line = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        std::string_view l = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        ++line;
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (!l.empty() && (l[0] == ' ' || l[0] == '\t') && !raw.empty()) raw.back().second += std::string(l.substr(1));
        else if (!l.empty()) raw.push_back({line, std::string(l)});
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    std::vector<IcsLine> out;
    for (auto& [n, l] : raw) {
        IcsLine il{n, {}, {}, {}};
        auto colon = l.find(':');
        std::string head = l.substr(0, colon);
        il.value = colon == std::string::npos ? "" : l.substr(colon + 1);
        std::stringstream hs(head);
        std::string part;
        bool first = true;
        while (std::getline(hs, part, ';')) {
            if (first) { il.name = part; first = false; continue; }
            auto eq = part.find('=');
            if (eq != std::string::npos) {
                std::string v = part.substr(eq + 1);
                if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
                il.params[part.substr(0, eq)] = v;
            }
        }
        for (auto& ch : il.name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        out.push_back(std::move(il));
    }
    return out;
}

// iCalendar DURATION such as PT15M, PT1H30M, P1D.
bool parseIcsDuration(const std::string& text, Seconds& out) {
    if (text.size() < 3 || text[0] != 'P') return false;
    Seconds total = 0, number = 0;
    bool inTime = false, any = false;
    for (std::size_t i = 1; i < text.size(); ++i) {
        char ch = text[i];
        if (ch == 'T') { inTime = true; continue; }
        if (std::isdigit(static_cast<unsigned char>(ch))) { number = number * 10 + (ch - '0'); continue; }
        Seconds unit = ch == 'W' ? 604800 : ch == 'D' ? 86400 : (inTime && ch == 'H') ? 3600 : (inTime && ch == 'M') ? 60 : (inTime && ch == 'S') ? 1 : 0;
        if (unit == 0) return false;
        total += number * unit;
        number = 0;
        any = true;
    }
    out = total;
    return any;
}

// DTSTART/DTEND value: 20261123T101500Z (UTC) or 20261123T101500 (hall time).
bool parseIcsTime(const IcsLine& l, const LocalToInstant& toInstant, const std::string& hallTz, Seconds& out,
                  LocalDay& day, std::string& error) {
    int y, mo, d, h = 0, mi = 0, s = 0;
    const std::string& v = l.value;
    if (v.size() < 15 || std::sscanf(v.c_str(), "%4d%2d%2dT%2d%2d%2d", &y, &mo, &d, &h, &mi, &s) != 6) {
        error = l.name + " '" + v + "' is not a date-time like 20261123T101500";
        return false;
    }
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", y, mo, d);
    if (!parseDate(date, day) || h > 23 || mi > 59 || s > 59) {
        error = l.name + " '" + v + "' is not a real date and time";
        return false;
    }
    const std::int32_t clock = h * 3600 + mi * 60 + s;
    if (v.size() == 16 && v[15] == 'Z') {
        out = instantOf(day, clock, 0);
        // The hall's calendar day of that instant.
        Seconds probe = toInstant(day, 12 * 3600);
        std::int32_t offset = static_cast<std::int32_t>(instantOf(day, 12 * 3600, 0) - probe);
        day = localDay(Now{out, offset});
        return true;
    }
    auto tz = l.params.find("TZID");
    if (tz != l.params.end() && tz->second != hallTz) {
        error = l.name + " uses time zone " + tz->second + "; use UTC (Z) or the hall's " + hallTz;
        return false;
    }
    out = toInstant(day, clock);
    return true;
}

} // namespace

ParsedImport parseAppointmentsIcs(std::string_view text, const LocalToInstant& toInstant, const std::string& hallTimeZone) {
    ParsedImport result;
    auto lines = icsLines(text);
    if (lines.empty() || lines.front().name != "BEGIN" || lines.front().value != "VCALENDAR") {
        result.errors.push_back({1, "not an iCalendar file: it must start with BEGIN:VCALENDAR"});
        return result;
    }
    const IcsLine* begin = nullptr;
    std::map<std::string, const IcsLine*> props;
    for (const IcsLine& l : lines) {
        if (l.name == "BEGIN" && l.value == "VEVENT") { begin = &l; props.clear(); continue; }
        if (!begin) continue;
        if (!(l.name == "END" && l.value == "VEVENT")) {
            if (!props.count(l.name)) props[l.name] = &l;
            continue;
        }
        const int line = begin->line;
        begin = nullptr;
        ImportRow row;
        row.line = line;
        auto& cmd = row.command;
        if (props.count("STATUS") && props["STATUS"]->value == "CANCELLED") continue;
        if (props.count("X-LOKET-CODE")) cmd.code = trim(props["X-LOKET-CODE"]->value);
        else if (props.count("UID")) cmd.code = trim(props["UID"]->value.substr(0, props["UID"]->value.find('@')));
        if (cmd.code.empty()) { result.errors.push_back({line, "the event has no X-LOKET-CODE or UID"}); continue; }
        if (!props.count("DTSTART")) { result.errors.push_back({line, "the event has no DTSTART"}); continue; }
        std::string error;
        Seconds start = 0;
        LocalDay day = 0;
        if (!parseIcsTime(*props["DTSTART"], toInstant, hallTimeZone, start, day, error)) {
            result.errors.push_back({props["DTSTART"]->line, error});
            continue;
        }
        Seconds duration = 0;
        if (props.count("DURATION")) {
            if (!parseIcsDuration(props["DURATION"]->value, duration)) {
                result.errors.push_back({props["DURATION"]->line, "DURATION '" + props["DURATION"]->value + "' is not like PT15M"});
                continue;
            }
        } else if (props.count("DTEND")) {
            Seconds end = 0;
            LocalDay endDay = 0;
            if (!parseIcsTime(*props["DTEND"], toInstant, hallTimeZone, end, endDay, error)) {
                result.errors.push_back({props["DTEND"]->line, error});
                continue;
            }
            duration = end - start;
            if (duration <= 0) { result.errors.push_back({props["DTEND"]->line, "DTEND is not after DTSTART"}); continue; }
        }
        if (!props.count("CATEGORIES")) { result.errors.push_back({line, "the event has no CATEGORIES with its services"}); continue; }
        cmd.services = splitServices(props["CATEGORIES"]->value, ',');
        if (cmd.services.empty()) { result.errors.push_back({props["CATEGORIES"]->line, "CATEGORIES is empty"}); continue; }
        cmd.startsAt = start;
        cmd.day = day;
        cmd.durationS = duration;
        if (props.count("X-LOKET-NAME")) cmd.name = trim(props["X-LOKET-NAME"]->value);
        else if (props.count("ATTENDEE") && props["ATTENDEE"]->params.count("CN")) cmd.name = props["ATTENDEE"]->params.at("CN");
        result.rows.push_back(std::move(row));
    }
    if (begin) result.errors.push_back({begin->line, "BEGIN:VEVENT has no END:VEVENT"});
    return result;
}

} // namespace loket::proto
