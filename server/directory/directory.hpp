// Directory: staff log-in against the municipality's LDAP or Active Directory server, with
// OpenLDAP's libldap. Used by the server's Auth; depends on loket::core (Result) and libldap only
// — no httplib, no SQLite, no server types, so the server's roles arrive here as plain names.
//
// One log-in is one short connection: connect (LDAPS, or LDAP + StartTLS; a plain connection is
// refused by validate()), bind as the search account, find exactly one entry with the user filter,
// read its groups (the memberOf attribute, or a group search), check whether it is disabled, and
// finally bind as the user with the given password. Everything about the account is read before
// the user's own bind, but "disabled" is only told to someone whose password was right, so an
// outsider learns nothing about an account from its answers.
//
// An empty password is refused before any connection: an LDAP simple bind with a DN and an empty
// password is an *unauthenticated* bind that many servers accept (RFC 4513 §5.1.2).
#pragma once

#include "shared/core/result.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loket::directory {

// A directory group and what its members may do in the hall.
struct GroupRule {
    std::string group;                 // the group's DN (compared without regard to case or spaces)
    std::string role;                  // a role name the server knows ("counter", "admin", …)
    std::vector<std::string> counters; // counter ids; "*" = every counter
};

struct DirectoryConfig {
    std::string url;                   // "ldaps://dc1.gemeente.nl" or "ldap://…" with startTls
    bool startTls = false;             // upgrade an ldap:// connection before any bind
    std::string caFile;                // PEM file of the CA that signed the directory's certificate; empty = system CAs
    std::string bindDn;                // the search account; empty = anonymous search
    std::string bindPassword;          // its password (the configuration reads it from a file or the environment)
    std::string baseDn;                // where users are searched
    std::string userFilter = "(uid={user})"; // {user} is replaced by the escaped user name
    std::string groupAttribute = "memberOf";  // read from the user entry, unless groupFilter is set
    std::string groupBaseDn;           // with groupFilter: where groups are searched (default baseDn)
    std::string groupFilter;           // e.g. "(member={dn})": search groups instead of reading memberOf
    std::string disabledFilter;        // e.g. "(pwdAccountLockedTime=*)": a user entry matching it is disabled
    bool checkUserAccountControl = true; // Active Directory: userAccountControl bit 2 (ACCOUNTDISABLE) = disabled
    std::chrono::milliseconds timeout{5000}; // connect, and each directory operation
    std::vector<GroupRule> groups;
};

// What the directory says about a user whose password was right.
struct DirectoryUser {
    std::string dn;
    std::vector<std::string> groups; // group DNs as the directory returned them
};

// The role and counters a user's groups give.
struct Grant {
    std::string role;
    std::vector<std::string> counters; // sorted, without duplicates; {"*"} when any rule gives all
};

// Checks a configuration before use: a URL that is ldaps:// or ldap:// with StartTLS, a base DN,
// a user filter with {user}, a group filter (if any) with {dn} or {user}, group rules with a role.
Status validate(const DirectoryConfig& config);

class Directory {
public:
    explicit Directory(DirectoryConfig config);

    // Errors: Unauthorized — empty password, unknown user, wrong password (one message for all);
    // Forbidden — the password was right but the account is disabled;
    // DirectoryUnavailable — the directory cannot be reached, TLS failed, it timed out, the search
    // account was refused, or the user filter matched more than one entry (a configuration fault).
    Result<DirectoryUser> authenticate(std::string_view username, std::string_view password) const;

    const DirectoryConfig& config() const { return m_config; }

private:
    DirectoryConfig m_config;
};

// The grant for a user's groups: the strongest role among the matching rules (rolesByPower lists
// role names strongest first), and the counters of every matching rule. nullopt when no rule
// matches: such a directory user has no business in the hall's pages.
std::optional<Grant> grantFor(const std::vector<std::string>& userGroups, const std::vector<GroupRule>& rules,
                              const std::vector<std::string>& rolesByPower);

// RFC 4515 escaping of a value placed inside a search filter: `*`, `(`, `)`, `\` and NUL.
std::string escapeFilterValue(std::string_view value);
// `pattern` with every `{name}` replaced by the escaped value.
std::string expandFilter(std::string_view pattern, std::string_view name, std::string_view value);
// A DN in a form fit for comparison: lower case, no spaces around `,` and `=`.
std::string comparableDn(std::string_view dn);

} // namespace loket::directory
