// ldap: the directory library against a real slapd (see directory_fixture.hpp).
#include "directory_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace loket;
using namespace loket::test;
using loket::directory::Directory;

namespace {

bool has(const std::vector<std::string>& list, const std::string& dn) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& g) { return directory::comparableDn(g) == directory::comparableDn(dn); });
}

const std::vector<std::string> kRolesByPower = {"admin", "counter"};

} // namespace

TEST_CASE("ldap: staff log in over StartTLS with their directory password and get their groups and counters") {
    DirectoryFixture f;
    Directory dir(f.config());
    auto anna = dir.authenticate("anna", DirectoryFixture::passwordOf("anna"));
    REQUIRE(anna.has_value());
    CHECK(directory::comparableDn(anna->dn) == DirectoryFixture::dnOf("anna"));
    CHECK(has(anna->groups, DirectoryFixture::kCounterGroup));
    CHECK(has(anna->groups, DirectoryFixture::kTravelGroup));
    auto grant = directory::grantFor(anna->groups, f.config().groups, kRolesByPower);
    REQUIRE(grant);
    CHECK(grant->role == "counter");
    CHECK(grant->counters == std::vector<std::string>{"1", "2", "3"});

    auto bram = dir.authenticate("bram", DirectoryFixture::passwordOf("bram"));
    REQUIRE(bram.has_value());
    auto managerGrant = directory::grantFor(bram->groups, f.config().groups, kRolesByPower);
    REQUIRE(managerGrant);
    CHECK(managerGrant->role == "admin");
    CHECK(managerGrant->counters == std::vector<std::string>{"*"});

    // In the directory, but in no group the hall maps: no grant.
    auto eva = dir.authenticate("eva", DirectoryFixture::passwordOf("eva"));
    REQUIRE(eva.has_value());
    CHECK_FALSE(directory::grantFor(eva->groups, f.config().groups, kRolesByPower));
}

TEST_CASE("ldap: LDAPS works as well as StartTLS") {
    DirectoryFixture f;
    auto config = f.config();
    config.url = f.slapd.ldapsUrl();
    config.startTls = false;
    REQUIRE(directory::validate(config).has_value());
    auto anna = Directory(config).authenticate("anna", DirectoryFixture::passwordOf("anna"));
    REQUIRE(anna.has_value());
    CHECK(has(anna->groups, DirectoryFixture::kCounterGroup));
}

TEST_CASE("ldap: a wrong password, an unknown user and an empty password get one refusal, an empty password never reaches the directory") {
    DirectoryFixture f;
    Directory dir(f.config());
    auto wrong = dir.authenticate("anna", "not-annas-password");
    REQUIRE_FALSE(wrong.has_value());
    CHECK(wrong.error().code == ErrorCode::Unauthorized);
    auto unknown = dir.authenticate("nobody", "whatever-password");
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().code == ErrorCode::Unauthorized);
    CHECK(unknown.error().message == wrong.error().message);

    const int bindsBefore = f.slapd.bindsFor(DirectoryFixture::dnOf("anna"));
    CHECK(bindsBefore == 1); // the wrong password above
    auto empty = dir.authenticate("anna", "");
    REQUIRE_FALSE(empty.has_value());
    CHECK(empty.error().code == ErrorCode::Unauthorized);
    CHECK(empty.error().message == wrong.error().message);
    // A login that does bind afterwards proves the log is current; still no bind for the empty one.
    REQUIRE(dir.authenticate("anna", DirectoryFixture::passwordOf("anna")).has_value());
    CHECK(f.slapd.bindsFor(DirectoryFixture::dnOf("anna")) == bindsBefore + 1);
}

TEST_CASE("ldap: a disabled user cannot log in, disabled the OpenLDAP way or the Active Directory way") {
    DirectoryFixture f;
    Directory dir(f.config());
    // carla matches the configured disabled filter (employeeType=disabled).
    auto carla = dir.authenticate("carla", DirectoryFixture::passwordOf("carla"));
    REQUIRE_FALSE(carla.has_value());
    CHECK(carla.error().code == ErrorCode::Forbidden);
    // dirk has userAccountControl 514 (bit 2, ACCOUNTDISABLE); femke has 512 and may log in.
    auto dirk = dir.authenticate("dirk", DirectoryFixture::passwordOf("dirk"));
    REQUIRE_FALSE(dirk.has_value());
    CHECK(dirk.error().code == ErrorCode::Forbidden);
    CHECK(dir.authenticate("femke", DirectoryFixture::passwordOf("femke")).has_value());
    // "Disabled" is told only to someone who knows the password.
    auto guess = dir.authenticate("carla", "a-guess-at-carlas-password");
    REQUIRE_FALSE(guess.has_value());
    CHECK(guess.error().code == ErrorCode::Unauthorized);

    // Without the filter, carla's entry is an ordinary account again: the filter did it.
    auto config = f.config();
    config.disabledFilter.clear();
    CHECK(Directory(config).authenticate("carla", DirectoryFixture::passwordOf("carla")).has_value());
}

TEST_CASE("ldap: Active Directory style: sAMAccountName filter and groups found by a group search") {
    DirectoryFixture f;
    auto config = f.config();
    config.userFilter = "(sAMAccountName={user})";
    config.groupFilter = "(&(objectClass=groupOfNames)(member={dn}))";
    config.groupBaseDn = "ou=groups,dc=hall,dc=test";
    REQUIRE(directory::validate(config).has_value());
    auto anna = Directory(config).authenticate("anna", DirectoryFixture::passwordOf("anna"));
    REQUIRE(anna.has_value());
    CHECK(anna->groups.size() == 2);
    CHECK(has(anna->groups, DirectoryFixture::kCounterGroup));
    CHECK(has(anna->groups, DirectoryFixture::kTravelGroup));
}

TEST_CASE("ldap: a user name cannot change the search filter") {
    DirectoryFixture f;
    Directory dir(f.config());
    // Unescaped, "*" would match every person (an ambiguous, refused search) and "anna)(uid=*" would
    // widen the filter; escaped, they are names nobody has.
    for (const char* name : {"*", "anna)(uid=*", "a*", "anna\\", "(uid=anna)"}) {
        auto r = dir.authenticate(name, DirectoryFixture::passwordOf("anna"));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == ErrorCode::Unauthorized);
    }
    CHECK(directory::escapeFilterValue("a*(b)\\") == "a\\2a\\28b\\29\\5c");
    CHECK(directory::expandFilter("(|(uid={user})(mail={user}))", "user", "x*") == "(|(uid=x\\2a)(mail=x\\2a))");
}

TEST_CASE("ldap: the directory being down, a refused search account or an untrusted certificate is directory_unavailable") {
    DirectoryFixture f;
    {
        auto config = f.config();
        config.bindPassword = "not-the-search-password";
        auto r = Directory(config).authenticate("anna", DirectoryFixture::passwordOf("anna"));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == ErrorCode::DirectoryUnavailable);
        CHECK_THAT(r.error().message, Catch::Contains("search account"));
    }
    {
        // A certificate from a CA we do not trust: StartTLS fails, no password is sent.
        TestCa other(f.dir.path(), "other");
        auto config = f.config();
        config.caFile = other.caFile().string();
        const int before = f.slapd.bindsFor(DirectoryFixture::kSearchDn);
        auto r = Directory(config).authenticate("anna", DirectoryFixture::passwordOf("anna"));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == ErrorCode::DirectoryUnavailable);
        CHECK_THAT(r.error().message, Catch::Contains("StartTLS"));
        CHECK(f.slapd.bindsFor(DirectoryFixture::kSearchDn) == before);
    }
    f.slapd.stop();
    const auto start = std::chrono::steady_clock::now();
    auto down = Directory(f.config()).authenticate("anna", DirectoryFixture::passwordOf("anna"));
    REQUIRE_FALSE(down.has_value());
    CHECK(down.error().code == ErrorCode::DirectoryUnavailable);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    f.slapd.start();
    CHECK(Directory(f.config()).authenticate("anna", DirectoryFixture::passwordOf("anna")).has_value());
}

TEST_CASE("ldap: a configuration that would send passwords in the clear is refused") {
    DirectoryFixture f;
    auto config = f.config();
    CHECK(directory::validate(config).has_value());
    config.startTls = false; // ldap:// without StartTLS
    auto plain = directory::validate(config);
    REQUIRE_FALSE(plain.has_value());
    CHECK_THAT(plain.error().message, Catch::Contains("StartTLS"));
    config = f.config();
    config.userFilter = "(uid=anna)";
    CHECK_FALSE(directory::validate(config).has_value());
    config = f.config();
    config.groups.push_back({"cn=x,dc=hall,dc=test", "", {}});
    CHECK_FALSE(directory::validate(config).has_value());
}

TEST_CASE("ldap: groups map to the strongest role and to every counter of every matching group") {
    using directory::GroupRule;
    const std::vector<GroupRule> rules = {{"cn=Balie A,ou=Groups,dc=x", "counter", {"2", "1"}},
                                          {"cn=balie b,ou=groups,dc=x", "counter", {"3", "1"}},
                                          {"cn=beheer,ou=groups,dc=x", "admin", {}}};
    auto a = directory::grantFor({"CN=balie a, OU=groups, DC=x"}, rules, kRolesByPower);
    REQUIRE(a);
    CHECK(a->role == "counter");
    CHECK(a->counters == std::vector<std::string>{"1", "2"});
    auto ab = directory::grantFor({"cn=balie a,ou=groups,dc=x", "cn=balie b,ou=groups,dc=x"}, rules, kRolesByPower);
    REQUIRE(ab);
    CHECK(ab->counters == std::vector<std::string>{"1", "2", "3"});
    auto manager = directory::grantFor({"cn=balie a,ou=groups,dc=x", "cn=beheer,ou=groups,dc=x"}, rules, kRolesByPower);
    REQUIRE(manager);
    CHECK(manager->role == "admin");
    CHECK_FALSE(directory::grantFor({"cn=other,dc=x"}, rules, kRolesByPower));
    CHECK_FALSE(directory::grantFor({}, rules, kRolesByPower));
    // A value with a space inside keeps it.
    CHECK(directory::comparableDn("CN=Balie A , OU=Groups") == "cn=balie a,ou=groups");
}
