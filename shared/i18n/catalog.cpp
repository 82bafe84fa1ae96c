#include "catalog.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace loket::i18n {

Status Catalog::addJson(std::string_view text, const std::string& origin) {
    auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
    if (doc.is_discarded() || !doc.is_object())
        return makeError(ErrorCode::InvalidJson, origin + ": not a JSON object of strings");
    for (auto& [key, value] : doc.items()) {
        if (!value.is_string())
            return makeError(ErrorCode::InvalidValue, origin + ": key \"" + key + "\" is not a string");
        m_texts[key] = value.get<std::string>();
    }
    return Ok{};
}

bool Catalog::has(std::string_view key) const { return m_texts.find(key) != m_texts.end(); }

std::string Catalog::text(std::string_view key, const std::map<std::string, std::string>& args) const {
    auto it = m_texts.find(key);
    if (it == m_texts.end()) return std::string(key);
    return fillTemplate(it->second, args);
}

std::vector<std::string> Catalog::keys() const {
    std::vector<std::string> out;
    out.reserve(m_texts.size());
    for (auto& [k, v] : m_texts) out.push_back(k);
    return out;
}

std::string fillTemplate(std::string_view pattern, const std::map<std::string, std::string>& args) {
    std::string out;
    out.reserve(pattern.size() + 16);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{') {
            auto close = pattern.find('}', i);
            if (close != std::string_view::npos) {
                auto it = args.find(std::string(pattern.substr(i + 1, close - i - 1)));
                if (it != args.end()) {
                    out += it->second;
                    i = close;
                    continue;
                }
            }
        }
        out += pattern[i];
    }
    return out;
}

Result<Catalog> loadCatalog(const std::filesystem::path& assetsDir, const std::string& code) {
    namespace fs = std::filesystem;
    fs::path dir = assetsDir / "lang" / code;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return makeError(ErrorCode::NotFound, "no translations for language '" + code + "' in " + dir.string());
    std::vector<fs::path> files;
    for (auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    Catalog catalog;
    catalog.setLanguage(code);
    for (auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        if (!in) return makeError(ErrorCode::Io, "cannot read " + file.string());
        std::stringstream buffer;
        buffer << in.rdbuf();
        if (auto st = catalog.addJson(buffer.str(), file.string()); !st) return st.error();
    }
    return catalog;
}

std::vector<std::string> shippedLanguages(const std::filesystem::path& assetsDir) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    std::error_code ec;
    for (auto& entry : fs::directory_iterator(assetsDir / "lang", ec))
        if (entry.is_directory()) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
        if (a == "nl" || b == "nl") return a == "nl" && b != "nl";
        return a < b;
    });
    return out;
}

} // namespace loket::i18n
