// The libldap half of the directory: one short connection per log-in (see directory.hpp).
#include "directory.hpp"

#include <ldap.h>

#include <cstdlib>
#include <memory>

namespace loket::directory {
namespace {

constexpr const char* kWrongLogin = "User name or password is not right.";

struct LdapCloser {
    void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
struct MessageFree {
    void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};
using LdapHandle = std::unique_ptr<LDAP, LdapCloser>;
using LdapMessage = std::unique_ptr<LDAPMessage, MessageFree>;

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// libldap's own words for the last failure on this handle ("TLS: hostname does not match …").
std::string diagnostic(LDAP* ld, int rc) {
    std::string text = ldap_err2string(rc);
    char* detail = nullptr;
    if (ld && ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &detail) == LDAP_OPT_SUCCESS && detail) {
        if (*detail) text += std::string(" (") + detail + ")";
        ldap_memfree(detail);
    }
    return text;
}

Error unavailable(const DirectoryConfig& config, const std::string& step, LDAP* ld, int rc) {
    return makeError(ErrorCode::DirectoryUnavailable, "directory " + config.url + ": " + step + ": " + diagnostic(ld, rc));
}

timeval toTimeval(std::chrono::milliseconds ms) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

Result<LdapHandle> connect(const DirectoryConfig& config) {
    LDAP* raw = nullptr;
    int rc = ldap_initialize(&raw, config.url.c_str());
    LdapHandle ld(raw);
    if (rc != LDAP_SUCCESS) return unavailable(config, "the URL is not usable", nullptr, rc);

    const int version = LDAP_VERSION3;
    timeval timeout = toTimeval(config.timeout);
    const int demand = LDAP_OPT_X_TLS_DEMAND;
    const int tls12 = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
    const int newContext = 0;
    ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF); // a referral would bind elsewhere with the password
    ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &timeout);
    ldap_set_option(ld.get(), LDAP_OPT_TIMEOUT, &timeout);
    ldap_set_option(ld.get(), LDAP_OPT_X_TLS_REQUIRE_CERT, &demand);
    ldap_set_option(ld.get(), LDAP_OPT_X_TLS_PROTOCOL_MIN, &tls12);
    if (!config.caFile.empty()) ldap_set_option(ld.get(), LDAP_OPT_X_TLS_CACERTFILE, config.caFile.c_str());
    // The options above belong to this handle only once it has its own TLS context.
    rc = ldap_set_option(ld.get(), LDAP_OPT_X_TLS_NEWCTX, &newContext);
    if (rc != LDAP_OPT_SUCCESS) return unavailable(config, "cannot set up TLS (is the CA file readable?)", ld.get(), rc);

    if (config.startTls) {
        rc = ldap_start_tls_s(ld.get(), nullptr, nullptr);
        if (rc != LDAP_SUCCESS) return unavailable(config, "StartTLS failed", ld.get(), rc);
    }
    return ld;
}

Status simpleBind(LDAP* ld, const std::string& dn, std::string_view password, int& rc) {
    berval credentials{};
    credentials.bv_len = password.size();
    credentials.bv_val = const_cast<char*>(password.data());
    rc = ldap_sasl_bind_s(ld, dn.c_str(), LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr, nullptr);
    if (rc == LDAP_SUCCESS) return Ok{};
    return makeError(ErrorCode::Unauthorized, ldap_err2string(rc));
}

bool transportFailure(int rc) {
    return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT || rc == LDAP_TIMELIMIT_EXCEEDED ||
           rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY || rc == LDAP_LOCAL_ERROR || rc == LDAP_OTHER;
}

std::vector<std::string> values(LDAP* ld, LDAPMessage* entry, const std::string& attribute) {
    std::vector<std::string> out;
    berval** vals = ldap_get_values_len(ld, entry, attribute.c_str());
    if (!vals) return out;
    for (berval** v = vals; *v; ++v) out.emplace_back((*v)->bv_val, (*v)->bv_len);
    ldap_value_free_len(vals);
    return out;
}

struct Search {
    LdapMessage message;
    int count = 0;
};

Result<Search> search(LDAP* ld, const DirectoryConfig& config, const std::string& base, int scope, const std::string& filter,
                      std::vector<const char*> attributes, int sizeLimit) {
    attributes.push_back(nullptr);
    timeval timeout = toTimeval(config.timeout);
    LDAPMessage* raw = nullptr;
    const int rc = ldap_search_ext_s(ld, base.c_str(), scope, filter.c_str(), const_cast<char**>(attributes.data()), 0, nullptr,
                                     nullptr, &timeout, sizeLimit, &raw);
    Search result{LdapMessage(raw), 0};
    if (rc == LDAP_SIZELIMIT_EXCEEDED)
        return makeError(ErrorCode::DirectoryUnavailable,
                         "directory " + config.url + ": the filter " + filter + " matches more than one entry; make it unique");
    if (rc == LDAP_NO_SUCH_OBJECT) return result; // the base is not there: nothing found
    if (rc != LDAP_SUCCESS) return unavailable(config, "search " + filter + " under " + base, ld, rc);
    result.count = ldap_count_entries(ld, result.message.get());
    return result;
}

} // namespace

Status validate(const DirectoryConfig& config) {
    auto bad = [](const std::string& why) -> Status { return makeError(ErrorCode::ConfigError, why); };
    const bool ldaps = startsWith(config.url, "ldaps://");
    const bool ldap = startsWith(config.url, "ldap://");
    if (!ldaps && !ldap) return bad("url must start with ldaps:// or ldap://");
    if (ldap && !config.startTls)
        return bad("url is ldap:// without starttls = true: passwords would cross the network readable; use ldaps:// or StartTLS");
    if (ldaps && config.startTls) return bad("starttls = true goes with an ldap:// url, not ldaps://");
    if (config.baseDn.empty()) return bad("base_dn is missing");
    if (config.userFilter.find("{user}") == std::string::npos) return bad("user_filter must contain {user}, e.g. (uid={user})");
    if (!config.groupFilter.empty() && config.groupFilter.find("{dn}") == std::string::npos &&
        config.groupFilter.find("{user}") == std::string::npos)
        return bad("group_filter must contain {dn} or {user}, e.g. (member={dn})");
    if (config.groupFilter.empty() && config.groupAttribute.empty()) return bad("group_attribute is empty and there is no group_filter");
    if (!config.bindDn.empty() && config.bindPassword.empty()) return bad("bind_dn is set but its password is empty");
    if (config.timeout.count() <= 0) return bad("timeout must be positive");
    for (const auto& rule : config.groups) {
        if (rule.group.empty()) return bad("a group rule has no group DN");
        if (rule.role.empty()) return bad("group '" + rule.group + "' has no role");
    }
    return Ok{};
}

Directory::Directory(DirectoryConfig config) : m_config(std::move(config)) {}

Result<DirectoryUser> Directory::authenticate(std::string_view username, std::string_view password) const {
    // Before any connection: an empty password would be an unauthenticated bind (see the header).
    if (username.empty() || password.empty()) return makeError(ErrorCode::Unauthorized, kWrongLogin);

    auto connection = connect(m_config);
    if (!connection) return connection.error();
    LDAP* ld = connection->get();

    int rc = LDAP_SUCCESS;
    if (!m_config.bindDn.empty() && !simpleBind(ld, m_config.bindDn, m_config.bindPassword, rc))
        return unavailable(m_config, transportFailure(rc) ? "cannot reach the directory" : "the search account (bind_dn) was refused", ld, rc);

    const std::string filter = expandFilter(m_config.userFilter, "user", username);
    std::vector<const char*> attributes = {"userAccountControl"};
    if (m_config.groupFilter.empty()) attributes.push_back(m_config.groupAttribute.c_str());
    auto found = search(ld, m_config, m_config.baseDn, LDAP_SCOPE_SUBTREE, filter, attributes, 2);
    if (!found) return found.error();
    if (found->count == 0) return makeError(ErrorCode::Unauthorized, kWrongLogin);
    if (found->count > 1)
        return makeError(ErrorCode::DirectoryUnavailable,
                         "directory " + m_config.url + ": the filter " + filter + " matches more than one entry; make it unique");

    LDAPMessage* entry = ldap_first_entry(ld, found->message.get());
    DirectoryUser user;
    if (char* dn = ldap_get_dn(ld, entry)) {
        user.dn = dn;
        ldap_memfree(dn);
    }
    if (user.dn.empty()) return makeError(ErrorCode::DirectoryUnavailable, "directory " + m_config.url + ": a user entry without a DN");

    bool disabled = false;
    if (m_config.checkUserAccountControl)
        for (const auto& v : values(ld, entry, "userAccountControl")) {
            char* end = nullptr;
            const long flags = std::strtol(v.c_str(), &end, 10);
            disabled |= end != v.c_str() && (flags & 0x2) != 0; // ADS_UF_ACCOUNTDISABLE
        }
    if (!m_config.disabledFilter.empty()) {
        auto match = search(ld, m_config, user.dn, LDAP_SCOPE_BASE, m_config.disabledFilter, {"1.1"}, 1);
        if (!match) return match.error();
        disabled |= match->count > 0;
    }

    if (m_config.groupFilter.empty()) {
        user.groups = values(ld, entry, m_config.groupAttribute);
    } else {
        const std::string groupFilter = expandFilter(expandFilter(m_config.groupFilter, "dn", user.dn), "user", username);
        const std::string& base = m_config.groupBaseDn.empty() ? m_config.baseDn : m_config.groupBaseDn;
        auto groups = search(ld, m_config, base, LDAP_SCOPE_SUBTREE, groupFilter, {"1.1"}, 0);
        if (!groups) return groups.error();
        for (LDAPMessage* g = ldap_first_entry(ld, groups->message.get()); g; g = ldap_next_entry(ld, g))
            if (char* dn = ldap_get_dn(ld, g)) {
                user.groups.emplace_back(dn);
                ldap_memfree(dn);
            }
    }

    // Last, the user's own bind: the only step that proves the password.
    if (!simpleBind(ld, user.dn, password, rc)) {
        if (transportFailure(rc)) return unavailable(m_config, "bind as the user", ld, rc);
        return makeError(ErrorCode::Unauthorized, kWrongLogin);
    }
    if (disabled) return makeError(ErrorCode::Forbidden, "This account is disabled in the directory. Ask IT to enable it.");
    return user;
}

} // namespace loket::directory
