// SlapdProcess: a real OpenLDAP slapd (Debian's slapd package) for a test, on loopback with free
// ports, a temporary database, the memberof overlay, and TLS from a test CA: ldap:// (for
// StartTLS) and ldaps://. Entries are added with ldapadd after the start, so the memberof overlay
// sees the groups and writes memberOf into the users. Always stopped at the end.
//
// Besides the usual schemas it knows Active Directory's userAccountControl and sAMAccountName
// (with AD's OIDs, through the auxiliary class `loketTestAdAccount`), so AD-style accounts can be
// tested. Anonymous users may only bind; reading needs an authenticated bind.
#pragma once

#include "test_ca.hpp"

#include <filesystem>
#include <string>

namespace loket::test {

class SlapdProcess {
public:
    static constexpr const char* kSuffix = "dc=hall,dc=test";
    static constexpr const char* kRootDn = "cn=admin,dc=hall,dc=test";
    static constexpr const char* kRootPassword = "root-secret-for-tests";

    SlapdProcess(std::filesystem::path dir, CertificateFiles tls, std::filesystem::path caFile);
    ~SlapdProcess();
    SlapdProcess(const SlapdProcess&) = delete;
    SlapdProcess& operator=(const SlapdProcess&) = delete;

    void start(); // (again) on the same ports and database; fails the test if it does not come up
    void stop();  // SIGTERM and wait: the directory is down
    void add(const std::string& ldif); // ldapadd as the root DN; fails the test on an error

    std::string ldapUrl() const { return "ldap://127.0.0.1:" + std::to_string(m_ldapPort); }
    std::string ldapsUrl() const { return "ldaps://127.0.0.1:" + std::to_string(m_ldapsPort); }
    // How many simple binds slapd logged for this DN (from its "stats" log).
    int bindsFor(const std::string& dn) const;
    std::string log() const;

private:
    std::filesystem::path m_dir;
    int m_ldapPort = 0, m_ldapsPort = 0;
    int m_pid = -1;
};

} // namespace loket::test
