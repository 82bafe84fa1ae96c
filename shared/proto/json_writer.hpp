// JSON text written straight into a string, for the server's hot outputs (the event stream's
// payloads and the check-in answer, wire_json.hpp): no nlohmann tree is built and dumped.
// The text is byte for byte what nlohmann::json::dump() gives for the same values: compact, no
// spaces; strings with `"` and `\` escaped, \b \f \n \r \t short, the other control characters
// as \u00xx (lower-case hex), everything else — valid UTF-8, DEL included — passed through.
// A string that is not valid UTF-8 goes to nlohmann's dump itself, so it fails exactly as before
// (nlohmann::json::type_error 316). Object keys are written in the order the caller gives: a
// caller that replaces a nlohmann object (std::map, keys sorted) writes its keys sorted.
// Depends on the core (its strict UTF-8 check) and on nlohmann-json only for that error path.
#pragma once

#include <charconv>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace loket::proto {

// `s` as a JSON string, quotes included, appended to `out`.
void appendJsonString(std::string& out, std::string_view s);

class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : m_out(out) {}

    JsonWriter& beginObject() { return open('{'); }
    JsonWriter& endObject() { return close('}'); }
    JsonWriter& beginArray() { return open('['); }
    JsonWriter& endArray() { return close(']'); }
    // The next member's name; its value follows with one of the calls below.
    JsonWriter& key(std::string_view name) {
        comma();
        appendJsonString(m_out, name);
        m_out += ':';
        return *this;
    }
    JsonWriter& string(std::string_view s) {
        comma();
        appendJsonString(m_out, s);
        m_needComma = true;
        return *this;
    }
    template <std::integral T>
        requires(!std::same_as<T, bool>)
    JsonWriter& number(T n) {
        comma();
        char buffer[24];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, n).ptr;
        m_out.append(buffer, end);
        m_needComma = true;
        return *this;
    }
    JsonWriter& boolean(bool b) { return literal(b ? "true" : "false"); }
    JsonWriter& null() { return literal("null"); }
    // A value that is JSON text already (rendered by its own one renderer).
    JsonWriter& raw(std::string_view json) { return literal(json); }

private:
    void comma() {
        if (m_needComma) m_out += ',';
        m_needComma = false;
    }
    JsonWriter& open(char c) {
        comma();
        m_out += c;
        return *this;
    }
    JsonWriter& close(char c) {
        m_out += c;
        m_needComma = true;
        return *this;
    }
    JsonWriter& literal(std::string_view text) {
        comma();
        m_out += text;
        m_needComma = true;
        return *this;
    }

    std::string& m_out;
    bool m_needComma = false; // a value was written at this level: the next one needs a ','
};

} // namespace loket::proto
