#include "printer_profile.hpp"

#include "shared/config/config_reader.hpp"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace loket::ticket {

namespace {

using config::Section;

Status readPaper(const Section& r, PrinterProfile& p) {
    if (auto st = r.only({"width_mm", "dpi", "print_width_dots"}); !st) return st;
    if (auto st = r.integer("width_mm", 40, 120, p.paperWidthMm); !st) return st;
    if (auto st = r.integer("dpi", 100, 600, p.dpi); !st) return st;
    if (auto st = r.integer("print_width_dots", 64, 2048, p.printWidthDots); !st) return st;
    if (p.printWidthDots % 8 != 0) return r.fail("print_width_dots", "must be a multiple of 8");
    return Ok{};
}

Status readLayout(const Section& r, PrinterProfile& p) {
    if (auto st = r.only({"margin_dots", "text_scale", "qr_module_dots"}); !st) return st;
    if (auto st = r.integer("margin_dots", 0, 200, p.marginDots); !st) return st;
    if (auto st = r.integer("qr_module_dots", 3, 16, p.qrModuleDots); !st) return st;
    return r.number("text_scale", 0.4, 3.0, p.textScale);
}

Status readEscPos(const Section& r, PrinterProfile& p) {
    if (auto st = r.only({"band_rows", "feed_lines_before_cut", "cut", "status"}); !st) return st;
    if (auto st = r.integer("band_rows", 1, 2303, p.bandRows); !st) return st;
    if (auto st = r.integer("feed_lines_before_cut", 0, 255, p.feedLinesBeforeCut); !st) return st;
    if (r.has("cut")) {
        static const std::map<std::string, CutMode> kModes{
            {"none", CutMode::None}, {"partial", CutMode::Partial}, {"full", CutMode::Full}};
        std::string cut;
        if (auto st = r.text("cut", cut); !st || !kModes.count(cut))
            return r.fail("cut", "must be \"partial\", \"full\" or \"none\"");
        p.cut = kModes.at(cut);
    }
    return r.boolean("status", p.answersStatus);
}

} // namespace

Result<PrinterProfile> parsePrinterProfile(std::string_view tomlText, const std::string& origin) {
    auto doc = config::parseToml(tomlText, origin);
    if (!doc) return doc.error();
    const Section root = Section::root(*doc);
    PrinterProfile p;
    if (auto st = root.only({"name", "paper", "layout", "escpos"}); !st) return st.error();
    if (auto st = root.text("name", p.name); !st) return st.error();
    if (p.name.empty()) return root.fail("name", "is missing (a line like name = \"Epson TM-T20III\")");
    using Reader = Status (*)(const Section&, PrinterProfile&);
    const std::pair<const char*, Reader> sections[] = {{"paper", readPaper}, {"layout", readLayout}, {"escpos", readEscPos}};
    for (const auto& [sectionName, reader] : sections) {
        auto section = root.section(sectionName);
        if (!section) return section.error();
        if (auto st = reader(*section, p); !st) return st.error();
    }
    if (2 * p.marginDots >= p.printWidthDots / 2)
        return config::configError({origin, 0, "layout.margin_dots", "leaves less than half the print width for the ticket"});
    return p;
}

Result<PrinterProfile> loadPrinterProfile(const std::filesystem::path& path) {
    auto text = config::readText(path);
    if (!text) return text.error();
    return parsePrinterProfile(*text, path.string());
}

} // namespace loket::ticket
