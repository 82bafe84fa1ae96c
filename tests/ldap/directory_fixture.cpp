#include "directory_fixture.hpp"

namespace loket::test {
namespace {

std::string person(const std::string& uid, const std::string& extra = {}) {
    return "dn: uid=" + uid + ",ou=people,dc=hall,dc=test\n"
           "objectClass: inetOrgPerson\nobjectClass: loketTestAdAccount\n"
           "uid: " + uid + "\ncn: " + uid + "\nsn: " + uid + "\nsAMAccountName: " + uid + "\n"
           "userPassword: " + DirectoryFixture::passwordOf(uid) + "\n" + extra + "\n";
}

std::string group(const std::string& dn, std::initializer_list<const char*> members) {
    std::string out = "dn: " + dn + "\nobjectClass: groupOfNames\n";
    out += "cn: " + dn.substr(3, dn.find(',') - 3) + "\n";
    for (const char* m : members) out += "member: " + DirectoryFixture::dnOf(m) + "\n";
    return out + "\n";
}

} // namespace

DirectoryFixture::DirectoryFixture() : ca(dir.path()), slapd(dir.path() / "slapd", ca.issue("ldap-server"), ca.caFile()) {
    slapd.add("dn: ou=people,dc=hall,dc=test\nobjectClass: organizationalUnit\nou: people\n\n"
              "dn: ou=groups,dc=hall,dc=test\nobjectClass: organizationalUnit\nou: groups\n\n"
              "dn: ou=services,dc=hall,dc=test\nobjectClass: organizationalUnit\nou: services\n\n"
              "dn: " + std::string(kSearchDn) + "\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
              "cn: loket-search\nuserPassword: " + kSearchPassword + "\n\n" +
              person("anna") +                                      // counter staff at two groups' counters
              person("bram") +                                      // hall manager
              person("carla", "employeeType: disabled\n") +         // disabled (OpenLDAP: the configured filter)
              person("dirk", "userAccountControl: 514\n") +         // disabled (AD: 512 | ACCOUNTDISABLE)
              person("femke", "userAccountControl: 512\n") +        // an enabled AD-style account
              person("eva") +                                       // in no group the hall knows
              group(kCounterGroup, {"anna", "carla", "dirk", "femke"}) + group(kTravelGroup, {"anna"}) +
              group(kManagerGroup, {"bram"}) + group(kOtherGroup, {"eva"}));
}

directory::DirectoryConfig DirectoryFixture::config() const {
    directory::DirectoryConfig c;
    c.url = slapd.ldapUrl();
    c.startTls = true;
    c.caFile = ca.caFile().string();
    c.bindDn = kSearchDn;
    c.bindPassword = kSearchPassword;
    c.baseDn = "ou=people,dc=hall,dc=test";
    c.userFilter = "(&(objectClass=inetOrgPerson)(uid={user}))";
    c.disabledFilter = "(employeeType=disabled)";
    c.timeout = std::chrono::milliseconds(3000);
    c.groups = {{kCounterGroup, "counter", {"1", "2"}}, {kTravelGroup, "counter", {"3"}}, {kManagerGroup, "admin", {"*"}}};
    return c;
}

} // namespace loket::test
