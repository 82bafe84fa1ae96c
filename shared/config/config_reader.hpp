// The one reader of Loket's TOML configuration files: parse a file, then read each section with
// typed, range-checked getters that know their keys and reject any other (a typo is an error, not
// a silent default). Every problem has one shape — the file, the line, the field and what is
// wrong — written "kiosk.toml:12: screen.dpi: must be a whole number from 40 to 600", as a
// `config_error`. Used by the kiosk, display, printer-profile, server and scenario configs.
// Depends on loket::core (Result) and toml++.
#pragma once

#include "shared/core/result.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loket::config {

struct Problem {
    std::string file;
    int line = 0;      // 0 when the problem has no place in the file (a missing key)
    std::string field; // "screen.dpi", "booking_code[1].regex"; empty for the file itself
    std::string message;
};
// "file:line: field: message" (the line and field left out when there are none).
std::string describe(const Problem& problem);
Error configError(const Problem& problem);

// A parsed file. Syntax errors come back as a Problem with the line of the error.
struct Document {
    std::string file;
    toml::table root;
};
Result<Document> parseToml(std::string_view text, const std::string& file);
// The text of a file (not_found naming the path when it cannot be read).
Result<std::string> readText(const std::filesystem::path& path);
Result<Document> loadToml(const std::filesystem::path& path);

// One table of a document: the root, a [section] or one [[array]] entry.
class Section {
public:
    Section(const toml::table& table, std::string name, std::string file);
    static Section root(const Document& doc) { return Section(doc.root, "", doc.file); }

    const std::string& name() const { return m_name; }
    const toml::table& table() const { return m_table; }
    bool has(const char* key) const { return m_table.get(key) != nullptr; }

    // Fails on the first key that is not in `known`.
    Status only(std::initializer_list<std::string_view> known) const;
    // Each getter leaves `out` as it was when the key is absent.
    Status text(const char* key, std::string& out, bool nonEmpty = true) const;
    Status integer(const char* key, std::int64_t low, std::int64_t high, int& out) const;
    Status integer(const char* key, std::int64_t low, std::int64_t high, std::int64_t& out) const;
    Status number(const char* key, double low, double high, double& out) const;
    Status boolean(const char* key, bool& out) const;
    Status texts(const char* key, std::vector<std::string>& out, bool nonEmpty = true) const;
    // An inline table of texts (`voices = { nl = "nl", en = "en" }`).
    Status textMap(const char* key, std::map<std::string, std::string>& out) const;

    // A [section] below this one; fails when `key` is there but not a table. Absent: an empty one.
    Result<Section> section(const char* key) const;
    // The entries of an [[array of tables]]; fails when `key` is there but not such an array.
    Result<std::vector<Section>> tables(const char* key) const;

    // A problem with `key` (its line when the key is present) or with this section itself.
    Error fail(const char* key, const std::string& message) const;
    Error fail(const std::string& message) const;
    std::string field(std::string_view key) const;

private:
    int lineOf(const toml::node* node) const;

    const toml::table& m_table;
    std::string m_name;
    std::string m_file;
};

// Runs a config file's reads in turn and keeps the first problem, so a reader can list its
// getters in one expression: `r << s.text("id", id) << s.integer("count", 1, 99, count);`.
class FirstError {
public:
    FirstError& operator<<(Status st) {
        if (!st && !m_error) m_error = st.error();
        return *this;
    }
    const std::optional<Error>& error() const { return m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace loket::config
