// Catalog: every string a visitor reads or hears, by key, in one language.
// Strings live in assets/lang/<code>/<component>.json as flat objects ("kiosk.walk_in.title": "…");
// a language is the union of its folder's files. Used by the kiosk, the display, the ticket
// layout and the tests that check every key exists in every shipped language.
// Depends on the core (Result) and nlohmann-json; never on UI or network code.
#pragma once

#include "shared/core/result.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace loket::i18n {

class Catalog {
public:
    Catalog() = default;

    // Parses one component file's text; `origin` names it in error messages.
    Status addJson(std::string_view text, const std::string& origin);

    const std::string& language() const { return m_language; }
    bool has(std::string_view key) const;
    // The text for `key` with `{name}` fields filled in. A missing key returns the key
    // itself, so a gap is visible on screen and a test catches it.
    std::string text(std::string_view key,
                     const std::map<std::string, std::string>& args = {}) const;
    std::vector<std::string> keys() const;

    void setLanguage(std::string code) { m_language = std::move(code); }

private:
    std::string m_language;
    std::map<std::string, std::string, std::less<>> m_texts;
};

// Reads assets/lang/<code>/*.json.
Result<Catalog> loadCatalog(const std::filesystem::path& assetsDir, const std::string& code);
// The language codes that have a folder under assets/lang, sorted, Dutch first.
std::vector<std::string> shippedLanguages(const std::filesystem::path& assetsDir);

// Fills the `{name}` fields of a text pattern.
std::string fillTemplate(std::string_view pattern, const std::map<std::string, std::string>& args);

} // namespace loket::i18n
