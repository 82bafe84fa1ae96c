#include "utf8.hpp"

#include <string>

namespace loket::core {
namespace {

// Decodes one sequence at `i`; false at a malformed byte (its position in `bad`).
bool next(std::string_view text, std::size_t& i, char32_t& cp, std::size_t& bad) {
    const auto lead = static_cast<unsigned char>(text[i]);
    int extra = 0;
    if (lead < 0x80) { cp = lead; }
    else if ((lead & 0xE0) == 0xC0) { extra = 1; cp = lead & 0x1F; }
    else if ((lead & 0xF0) == 0xE0) { extra = 2; cp = lead & 0x0F; }
    else if ((lead & 0xF8) == 0xF0) { extra = 3; cp = lead & 0x07; }
    else { bad = i; return false; }
    if (i + static_cast<std::size_t>(extra) >= text.size() && extra > 0) { bad = i; return false; } // truncated
    for (int k = 1; k <= extra; ++k) {
        const auto cont = static_cast<unsigned char>(text[i + k]);
        if ((cont & 0xC0) != 0x80) { bad = i; return false; } // the sequence starting at i is broken
        cp = (cp << 6) | (cont & 0x3F);
    }
    static constexpr char32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { bad = i; return false; }
    i += static_cast<std::size_t>(extra) + 1;
    return true;
}

} // namespace

Result<std::vector<char32_t>> decodeUtf8(std::string_view text) {
    std::vector<char32_t> out;
    out.reserve(text.size());
    for (std::size_t i = 0, bad = 0; i < text.size();) {
        char32_t cp = 0;
        if (!next(text, i, cp, bad))
            return makeError(ErrorCode::InvalidValue, "text is not valid UTF-8 (byte " + std::to_string(bad) + ", after \"" +
                                                          std::string(text.substr(0, i)) + "\")");
        out.push_back(cp);
    }
    return out;
}

std::optional<std::size_t> invalidUtf8At(std::string_view text) {
    for (std::size_t i = 0, bad = 0; i < text.size();) {
        char32_t cp = 0;
        if (!next(text, i, cp, bad)) return bad;
    }
    return std::nullopt;
}

} // namespace loket::core
