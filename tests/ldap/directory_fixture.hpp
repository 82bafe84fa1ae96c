// A test hall's directory: a real slapd with TLS from a test CA, a search account, staff in groups
// (with memberOf from the overlay), a user disabled the OpenLDAP way (a configured filter) and
// one disabled the Active Directory way (userAccountControl bit 2).
#pragma once

#include "server_process.hpp"
#include "server/directory/directory.hpp"
#include "slapd_process.hpp"
#include "test_ca.hpp"

namespace loket::test {

struct DirectoryFixture {
    static constexpr const char* kSearchDn = "cn=loket-search,ou=services,dc=hall,dc=test";
    static constexpr const char* kSearchPassword = "search-account-secret";
    static constexpr const char* kCounterGroup = "cn=balie-burgerzaken,ou=groups,dc=hall,dc=test";
    static constexpr const char* kTravelGroup = "cn=balie-reisdocumenten,ou=groups,dc=hall,dc=test";
    static constexpr const char* kManagerGroup = "cn=hal-beheer,ou=groups,dc=hall,dc=test";
    static constexpr const char* kOtherGroup = "cn=sportzaken,ou=groups,dc=hall,dc=test";
    // Everyone's directory password is "<uid>-directory-password".
    static std::string passwordOf(const std::string& uid) { return uid + "-directory-password"; }
    static std::string dnOf(const std::string& uid) { return "uid=" + uid + ",ou=people,dc=hall,dc=test"; }

    DirectoryFixture();

    // StartTLS on ldap://, the search account, memberOf, the disabled filter, and group rules:
    // balie-burgerzaken → counter at 1 and 2, balie-reisdocumenten → counter at 3, hal-beheer → admin.
    directory::DirectoryConfig config() const;

    TempDir dir;
    TestCa ca;
    SlapdProcess slapd;
};

} // namespace loket::test
