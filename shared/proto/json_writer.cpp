#include "json_writer.hpp"

#include "shared/core/utf8.hpp"

#include <nlohmann/json.hpp>

namespace loket::proto {

void appendJsonString(std::string& out, std::string_view s) {
    // Most strings (ids, numbers, times, names in ASCII) need no escaping: one scan, one append.
    bool plain = true, ascii = true;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80) ascii = false;
        else if (c < 0x20 || c == '"' || c == '\\') plain = false;
    }
    if (!ascii && core::invalidUtf8At(s)) {
        // nlohmann's own dump decides: today that throws type_error 316 ("invalid UTF-8 byte"),
        // and whatever a later version does, this output stays what it was.
        out += nlohmann::json(std::string(s)).dump();
        return;
    }
    out += '"';
    if (plain) {
        out += s;
    } else {
        static constexpr char kHex[] = "0123456789abcdef";
        for (const char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 0xF];
                } else {
                    out += ch;
                }
            }
        }
    }
    out += '"';
}

} // namespace loket::proto
