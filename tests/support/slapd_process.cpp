#include "slapd_process.hpp"

#include "programs.hpp"

#include <catch2/catch.hpp>

namespace loket::test {

SlapdProcess::SlapdProcess(std::filesystem::path dir, CertificateFiles tls, std::filesystem::path caFile) : m_dir(std::move(dir)) {
    std::filesystem::create_directories(m_dir / "db");
    m_ldapPort = freeLoopbackPort();
    m_ldapsPort = freeLoopbackPort();
    const std::string d = m_dir.string();
    writeFile(m_dir / "slapd.conf",
              "include /etc/ldap/schema/core.schema\n"
              "include /etc/ldap/schema/cosine.schema\n"
              "include /etc/ldap/schema/inetorgperson.schema\n"
              "include /etc/ldap/schema/nis.schema\n"
              "attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl' EQUALITY integerMatch\n"
              "  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )\n"
              "attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' EQUALITY caseIgnoreMatch\n"
              "  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )\n"
              "objectclass ( 1.3.6.1.4.1.4203.666.100.1 NAME 'loketTestAdAccount' AUXILIARY\n"
              "  MAY ( userAccountControl $ sAMAccountName ) )\n"
              "pidfile " + d + "/slapd.pid\n"
              "modulepath /usr/lib/ldap\n"
              "moduleload back_mdb\n"
              "moduleload memberof\n"
              "TLSCACertificateFile " + caFile.string() + "\n"
              "TLSCertificateFile " + tls.cert.string() + "\n"
              "TLSCertificateKeyFile " + tls.key.string() + "\n"
              "TLSProtocolMin 3.3\n"
              "database mdb\n"
              "maxsize 16777216\n"
              "suffix \"" + kSuffix + "\"\n"
              "rootdn \"" + kRootDn + "\"\n"
              "rootpw " + kRootPassword + "\n"
              "directory " + d + "/db\n"
              "access to attrs=userPassword by anonymous auth by * none\n"
              "access to * by users read by * none\n"
              "overlay memberof\n");
    start();
    add(std::string("dn: ") + kSuffix + "\nobjectClass: dcObject\nobjectClass: organization\ndc: hall\no: Test hall\n");
}

SlapdProcess::~SlapdProcess() { stop(); }

void SlapdProcess::start() {
    if (m_pid > 0) return;
    // -d 256: stay in the foreground and log connections and operations ("stats") to stderr.
    m_pid = startProgram({"/usr/sbin/slapd", "-f", (m_dir / "slapd.conf").string(), "-h", ldapUrl() + "/ " + ldapsUrl() + "/", "-d", "256"},
                         m_dir / "slapd.log");
    if (m_pid <= 0 || !waitForPort(m_ldapPort, std::chrono::seconds(10)) || !waitForPort(m_ldapsPort, std::chrono::seconds(10)))
        FAIL("slapd did not start: " << log());
}

void SlapdProcess::stop() {
    stopProgram(m_pid);
    m_pid = -1;
}

void SlapdProcess::add(const std::string& ldif) {
    const auto file = m_dir / "add.ldif";
    writeFile(file, ldif);
    const auto out = m_dir / "ldapadd.log";
    const int rc = runProgram({"ldapadd", "-x", "-H", ldapUrl(), "-D", kRootDn, "-w", kRootPassword, "-f", file.string()}, out);
    if (rc != 0) FAIL("ldapadd failed (" << rc << "): " << readFile(out));
}

int SlapdProcess::bindsFor(const std::string& dn) const {
    const std::string text = log();
    const std::string needle = "BIND dn=\"" + dn + "\" method=128"; // one line per bind request
    int count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
    return count;
}

std::string SlapdProcess::log() const { return readFile(m_dir / "slapd.log"); }

} // namespace loket::test
