#include "shared/config/config_reader.hpp"

#include <fstream>
#include <sstream>

namespace loket::config {
namespace {

const toml::table& emptyTable() {
    static const toml::table kEmpty;
    return kEmpty;
}

std::string rangeText(double low, double high) {
    std::ostringstream range;
    range << low << " to " << high;
    return range.str();
}

} // namespace

std::string describe(const Problem& p) {
    // Appended piece by piece: `":" + std::to_string(line)` makes GCC 12 at -O3 warn falsely
    // (-Wrestrict, GCC bug 105329).
    std::string out = p.file;
    if (p.line > 0) out.append(1, ':').append(std::to_string(p.line));
    out.append(": ");
    if (!p.field.empty()) out.append(p.field).append(": ");
    return out.append(p.message);
}

Error configError(const Problem& problem) { return makeError(ErrorCode::ConfigError, describe(problem)); }

Result<Document> parseToml(std::string_view text, const std::string& file) {
    try {
        return Document{file, toml::parse(text, file)};
    } catch (const toml::parse_error& e) {
        return configError(Problem{file, static_cast<int>(e.source().begin.line), "", std::string(e.description())});
    }
}

Result<std::string> readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorCode::NotFound, path.string() + ": cannot read the file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

Result<Document> loadToml(const std::filesystem::path& path) {
    auto text = readText(path);
    if (!text) return text.error();
    return parseToml(*text, path.string());
}

Section::Section(const toml::table& table, std::string name, std::string file)
    : m_table(table), m_name(std::move(name)), m_file(std::move(file)) {}

std::string Section::field(std::string_view key) const {
    return m_name.empty() ? std::string(key) : m_name + "." + std::string(key);
}

int Section::lineOf(const toml::node* node) const {
    const auto& source = node ? node->source() : m_table.source();
    return static_cast<int>(source.begin.line);
}

Error Section::fail(const char* key, const std::string& message) const {
    return configError(Problem{m_file, lineOf(m_table.get(key)), field(key), message});
}

Error Section::fail(const std::string& message) const {
    return configError(Problem{m_file, lineOf(nullptr), m_name, message});
}

Status Section::only(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, node] : m_table) {
        bool found = false;
        for (std::string_view k : known) found = found || k == key.str();
        if (!found)
            return configError(Problem{m_file, static_cast<int>(node.source().begin.line), field(key.str()), "unknown setting"});
    }
    return Ok{};
}

Status Section::text(const char* key, std::string& out, bool nonEmpty) const {
    const toml::node* node = m_table.get(key);
    if (!node) return Ok{};
    auto value = node->value<std::string>();
    if (!node->is_string() || !value || (nonEmpty && value->empty()))
        return fail(key, nonEmpty ? "must be a non-empty text in quotes" : "must be a text in quotes");
    out = *value;
    return Ok{};
}

Status Section::integer(const char* key, std::int64_t low, std::int64_t high, std::int64_t& out) const {
    const toml::node* node = m_table.get(key);
    if (!node) return Ok{};
    auto value = node->value<std::int64_t>();
    if (!node->is_integer() || !value || *value < low || *value > high)
        return fail(key, "must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    out = *value;
    return Ok{};
}

Status Section::integer(const char* key, std::int64_t low, std::int64_t high, int& out) const {
    std::int64_t wide = out;
    if (auto st = integer(key, low, high, wide); !st) return st;
    out = static_cast<int>(wide);
    return Ok{};
}

Status Section::number(const char* key, double low, double high, double& out) const {
    const toml::node* node = m_table.get(key);
    if (!node) return Ok{};
    auto value = node->value<double>();
    if (!(node->is_floating_point() || node->is_integer()) || !value || *value < low || *value > high)
        return fail(key, "must be a number from " + rangeText(low, high));
    out = *value;
    return Ok{};
}

Status Section::boolean(const char* key, bool& out) const {
    const toml::node* node = m_table.get(key);
    if (!node) return Ok{};
    if (!node->is_boolean()) return fail(key, "must be true or false");
    out = *node->value<bool>();
    return Ok{};
}

Status Section::texts(const char* key, std::vector<std::string>& out, bool nonEmpty) const {
    const toml::node* node = m_table.get(key);
    if (!node) return Ok{};
    const toml::array* array = node->as_array();
    if (!array || (nonEmpty && array->empty())) return fail(key, nonEmpty ? "must be a non-empty list of texts" : "must be a list of texts");
    std::vector<std::string> values;
    for (const auto& item : *array) {
        auto value = item.value<std::string>();
        if (!item.is_string() || !value || value->empty()) return fail(key, "must be a list of texts");
        values.push_back(*value);
    }
    out = std::move(values);
    return Ok{};
}

Status Section::textMap(const char* key, std::map<std::string, std::string>& out) const {
    const toml::node* node = m_table.get(key);
    if (!node) return Ok{};
    const toml::table* table = node->as_table();
    if (!table) return fail(key, "must be a table of texts ({ name = \"text\" })");
    std::map<std::string, std::string> values;
    for (const auto& [name, value] : *table) {
        auto text = value.value<std::string>();
        if (!value.is_string() || !text)
            return configError(Problem{m_file, static_cast<int>(value.source().begin.line), field(key) + "." + std::string(name.str()),
                                       "must be a text in quotes"});
        values[std::string(name.str())] = *text;
    }
    out = std::move(values);
    return Ok{};
}

Result<Section> Section::section(const char* key) const {
    const toml::node* node = m_table.get(key);
    if (!node) return Section(emptyTable(), field(key), m_file);
    const toml::table* table = node->as_table();
    if (!table) return fail(key, "must be a [" + field(key) + "] table");
    return Section(*table, field(key), m_file);
}

Result<std::vector<Section>> Section::tables(const char* key) const {
    std::vector<Section> out;
    const toml::node* node = m_table.get(key);
    if (!node) return out;
    const toml::array* array = node->as_array();
    if (!array) return fail(key, "must be written as [[" + field(key) + "]] tables");
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::table* table = (*array)[i].as_table();
        if (!table) return fail(key, "must be written as [[" + field(key) + "]] tables");
        out.emplace_back(*table, field(key) + "[" + std::to_string(i) + "]", m_file);
    }
    return out;
}

} // namespace loket::config
