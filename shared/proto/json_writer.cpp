#include "json_writer.hpp"

#include <nlohmann/json.hpp>

namespace loket::proto {

bool validUtf8(std::string_view s) {
    // Unicode 15, table 3-7: the well-formed byte sequences.
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    auto cont = [](unsigned char c, unsigned char lo = 0x80, unsigned char hi = 0xBF) { return c >= lo && c <= hi; };
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        std::size_t need = 0;
        unsigned char lo = 0x80, hi = 0xBF; // the range of the second byte
        if (c >= 0xC2 && c <= 0xDF) need = 1;
        else if (c == 0xE0) need = 2, lo = 0xA0;
        else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) need = 2;
        else if (c == 0xED) need = 2, hi = 0x9F;
        else if (c == 0xF0) need = 3, lo = 0x90;
        else if (c >= 0xF1 && c <= 0xF3) need = 3;
        else if (c == 0xF4) need = 3, hi = 0x8F;
        else return false;
        if (static_cast<std::size_t>(end - p) <= need || !cont(p[1], lo, hi)) return false;
        for (std::size_t i = 2; i <= need; ++i)
            if (!cont(p[i])) return false;
        p += need + 1;
    }
    return true;
}

void appendJsonString(std::string& out, std::string_view s) {
    // Most strings (ids, numbers, times, names in ASCII) need no escaping: one scan, one append.
    bool plain = true, ascii = true;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80) ascii = false;
        else if (c < 0x20 || c == '"' || c == '\\') plain = false;
    }
    if (!ascii && !validUtf8(s)) {
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
