// The pure half of the directory: filter escaping, DN comparison, group rules → grant.
#include "directory.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace loket::directory {

std::string escapeFilterValue(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '*' || c == '(' || c == ')' || c == '\\' || c == '\0') {
            char hex[4];
            std::snprintf(hex, sizeof hex, "\\%02x", static_cast<unsigned char>(c));
            out += hex;
        } else {
            out += c;
        }
    }
    return out;
}

std::string expandFilter(std::string_view pattern, std::string_view name, std::string_view value) {
    // Appended, not `"{" + std::string(name)`: GCC 12 at -O3 warns falsely on that operator+
    // (-Wrestrict, GCC bug 105329).
    std::string placeholder(1, '{');
    placeholder.append(name).append(1, '}');
    const std::string escaped = escapeFilterValue(value);
    std::string out;
    std::size_t from = 0;
    for (std::size_t at = pattern.find(placeholder); at != std::string_view::npos; at = pattern.find(placeholder, from)) {
        out.append(pattern.substr(from, at - from));
        out += escaped;
        from = at + placeholder.size();
    }
    out.append(pattern.substr(from));
    return out;
}

std::string comparableDn(std::string_view dn) {
    std::string out;
    out.reserve(dn.size());
    for (std::size_t i = 0; i < dn.size(); ++i) {
        const char c = dn[i];
        if (c == ' ') {
            // Drop spaces next to a separator ("cn=a, dc=b" is "cn=a,dc=b"); keep them inside values.
            const char before = out.empty() ? ',' : out.back();
            std::size_t j = i;
            while (j < dn.size() && dn[j] == ' ') ++j;
            const char after = j < dn.size() ? dn[j] : ',';
            if (before == ',' || before == '=' || after == ',' || after == '=') continue;
        }
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::optional<Grant> grantFor(const std::vector<std::string>& userGroups, const std::vector<GroupRule>& rules,
                              const std::vector<std::string>& rolesByPower) {
    std::vector<std::string> mine;
    for (const auto& g : userGroups) mine.push_back(comparableDn(g));
    std::optional<Grant> grant;
    std::size_t bestRank = rolesByPower.size();
    for (const auto& rule : rules) {
        if (std::find(mine.begin(), mine.end(), comparableDn(rule.group)) == mine.end()) continue;
        const auto rank = static_cast<std::size_t>(std::find(rolesByPower.begin(), rolesByPower.end(), rule.role) - rolesByPower.begin());
        if (!grant) grant = Grant{};
        if (rank < bestRank) {
            bestRank = rank;
            grant->role = rule.role;
        }
        grant->counters.insert(grant->counters.end(), rule.counters.begin(), rule.counters.end());
    }
    if (!grant || grant->role.empty()) return std::nullopt; // only rules with unknown roles matched
    auto& c = grant->counters;
    if (std::find(c.begin(), c.end(), "*") != c.end()) c = {"*"};
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
    return grant;
}

} // namespace loket::directory
