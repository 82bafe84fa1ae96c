#include "printer_profile.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace loket::ticket {

namespace {

Error configError(const std::string& origin, const std::string& what) {
    return makeError(ErrorCode::ConfigError, origin + ": " + what);
}

// Reads one integer key of a table into `out` if present, checking its range.
Status readInt(const toml::table& table, const std::string& section, const char* key, int low, int high,
               int& out, const std::string& origin) {
    const toml::node* node = table.get(key);
    if (!node) return Ok{};
    auto value = node->value<int64_t>();
    if (!node->is_integer() || !value || *value < low || *value > high)
        return configError(origin, section + "." + key + " must be a whole number from " + std::to_string(low) +
                                       " to " + std::to_string(high));
    out = static_cast<int>(*value);
    return Ok{};
}

Status rejectUnknownKeys(const toml::table& table, const std::string& section, const std::set<std::string>& known,
                         const std::string& origin) {
    for (const auto& [key, node] : table) {
        (void)node;
        if (!known.count(std::string(key.str())))
            return configError(origin, "unknown key \"" + (section.empty() ? "" : section + ".") +
                                           std::string(key.str()) + "\"");
    }
    return Ok{};
}

const toml::table* section(const toml::table& root, const char* name) {
    const toml::node* node = root.get(name);
    return node ? node->as_table() : nullptr;
}

Status readPaper(const toml::table& t, PrinterProfile& p, const std::string& origin) {
    if (auto st = rejectUnknownKeys(t, "paper", {"width_mm", "dpi", "print_width_dots"}, origin); !st) return st;
    if (auto st = readInt(t, "paper", "width_mm", 40, 120, p.paperWidthMm, origin); !st) return st;
    if (auto st = readInt(t, "paper", "dpi", 100, 600, p.dpi, origin); !st) return st;
    if (auto st = readInt(t, "paper", "print_width_dots", 64, 2048, p.printWidthDots, origin); !st) return st;
    if (p.printWidthDots % 8 != 0) return configError(origin, "paper.print_width_dots must be a multiple of 8");
    return Ok{};
}

Status readLayout(const toml::table& t, PrinterProfile& p, const std::string& origin) {
    if (auto st = rejectUnknownKeys(t, "layout", {"margin_dots", "text_scale", "qr_module_dots"}, origin); !st)
        return st;
    if (auto st = readInt(t, "layout", "margin_dots", 0, 200, p.marginDots, origin); !st) return st;
    if (auto st = readInt(t, "layout", "qr_module_dots", 3, 16, p.qrModuleDots, origin); !st) return st;
    if (const toml::node* scale = t.get("text_scale")) {
        auto value = scale->value<double>();
        if (!value || *value < 0.4 || *value > 3.0)
            return configError(origin, "layout.text_scale must be a number from 0.4 to 3.0");
        p.textScale = *value;
    }
    return Ok{};
}

Status readEscPos(const toml::table& t, PrinterProfile& p, const std::string& origin) {
    if (auto st = rejectUnknownKeys(t, "escpos", {"band_rows", "feed_lines_before_cut", "cut", "status"}, origin); !st)
        return st;
    if (auto st = readInt(t, "escpos", "band_rows", 1, 2303, p.bandRows, origin); !st) return st;
    if (auto st = readInt(t, "escpos", "feed_lines_before_cut", 0, 255, p.feedLinesBeforeCut, origin); !st) return st;
    if (const toml::node* cut = t.get("cut")) {
        static const std::map<std::string, CutMode> kModes{
            {"none", CutMode::None}, {"partial", CutMode::Partial}, {"full", CutMode::Full}};
        auto value = cut->value<std::string>();
        if (!value || !kModes.count(*value))
            return configError(origin, "escpos.cut must be \"partial\", \"full\" or \"none\"");
        p.cut = kModes.at(*value);
    }
    if (const toml::node* status = t.get("status")) {
        if (!status->is_boolean()) return configError(origin, "escpos.status must be true or false");
        p.answersStatus = *status->value<bool>();
    }
    return Ok{};
}

} // namespace

Result<PrinterProfile> parsePrinterProfile(std::string_view tomlText, const std::string& origin) {
    toml::table root;
    try {
        root = toml::parse(tomlText, origin);
    } catch (const toml::parse_error& e) {
        std::ostringstream where;
        where << e.source().begin;
        return configError(origin, std::string(e.description()) + " (at " + where.str() + ")");
    }
    PrinterProfile p;
    if (auto st = rejectUnknownKeys(root, "", {"name", "paper", "layout", "escpos"}, origin); !st) return st.error();
    auto name = root["name"].value<std::string>();
    if (!name || name->empty()) return configError(origin, "name is missing (a line like name = \"Epson TM-T20III\")");
    p.name = *name;
    using Reader = Status (*)(const toml::table&, PrinterProfile&, const std::string&);
    const std::pair<const char*, Reader> sections[] = {{"paper", readPaper}, {"layout", readLayout}, {"escpos", readEscPos}};
    for (const auto& [sectionName, reader] : sections) {
        if (root.get(sectionName) && !section(root, sectionName))
            return configError(origin, std::string("[") + sectionName + "] must be a table");
        if (const toml::table* t = section(root, sectionName))
            if (auto st = reader(*t, p, origin); !st) return st.error();
    }
    if (2 * p.marginDots >= p.printWidthDots / 2)
        return configError(origin, "layout.margin_dots leaves less than half the print width for the ticket");
    return p;
}

Result<PrinterProfile> loadPrinterProfile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorCode::NotFound, "cannot read printer profile " + path.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parsePrinterProfile(buffer.str(), path.string());
}

} // namespace loket::ticket
