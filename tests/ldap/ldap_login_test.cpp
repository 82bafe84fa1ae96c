// ldap: staff log in through the real loket-server (POST /api/v1/login) with directory
// passwords; the directory is a real slapd (directory_fixture.hpp).
#include "directory_fixture.hpp"
#include "programs.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace loket::test;

namespace {

// The example hall with a [directory] section for the fixture's slapd (StartTLS, search account
// password in a file): balie-burgerzaken → b1, b2; balie-reisdocumenten → b3; hal-beheer → admin.
std::filesystem::path hallWithDirectory(const DirectoryFixture& f) {
    writeFile(f.dir.path() / "search-password", std::string(DirectoryFixture::kSearchPassword) + "\n");
    std::string config = readFile(ServerProcess::defaultConfig());
    config += "\n[directory]\n"
              "url = \"" + f.slapd.ldapUrl() + "\"\n"
              "starttls = true\n"
              "ca_file = \"" + f.ca.caFile().string() + "\"\n"
              "bind_dn = \"" + DirectoryFixture::kSearchDn + "\"\n"
              "bind_password_file = \"search-password\"\n"
              "base_dn = \"ou=people,dc=hall,dc=test\"\n"
              "user_filter = \"(&(objectClass=inetOrgPerson)(uid={user}))\"\n"
              "disabled_filter = \"(employeeType=disabled)\"\n"
              "timeout_ms = 2000\n"
              "[[directory.group]]\ndn = \"" + DirectoryFixture::kCounterGroup + "\"\nrole = \"counter\"\ncounters = [\"b1\", \"b2\"]\n"
              "[[directory.group]]\ndn = \"" + DirectoryFixture::kTravelGroup + "\"\nrole = \"counter\"\ncounters = [\"b3\"]\n"
              "[[directory.group]]\ndn = \"" + DirectoryFixture::kManagerGroup + "\"\nrole = \"admin\"\n";
    const auto file = f.dir.path() / "hall.toml";
    writeFile(file, config);
    return file;
}

ApiResponse login(const ServerProcess& server, const std::string& user, const std::string& password) {
    ApiClient client(server);
    return client.post("/api/v1/login", {{"username", user}, {"password", password}});
}

std::string errorCode(const ApiResponse& r) { return r.json.contains("error") ? r.json["error"].value("code", "") : ""; }

// POST /api/v1/login from another loopback address (127.0.0.2), with a plain socket: the HTTP
// client libraries here cannot choose the source address. Returns the status code.
int loginFrom(const char* sourceAddress, const ServerProcess& server, const std::string& user, const std::string& password) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, sourceAddress, &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(server.port()));
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        ::close(fd);
        return -1;
    }
    const std::string body = Json{{"username", user}, {"password", password}}.dump();
    const std::string request = "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
                                "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    (void)::write(fd, request.data(), request.size());
    std::string answer;
    char buffer[1024];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    return answer.rfind("HTTP/1.1 ", 0) == 0 ? std::atoi(answer.c_str() + 9) : -1;
}

} // namespace

TEST_CASE("ldap: staff log in to the server with their directory password and get the mapped role and counters") {
    DirectoryFixture f;
    ServerProcess server(f.dir.path() / "hall.db", hallWithDirectory(f));

    auto anna = login(server, "anna", DirectoryFixture::passwordOf("anna"));
    REQUIRE(anna.status == 200);
    CHECK(anna.json["role"] == "counter");
    CHECK(anna.json["counters"] == Json::array({"b1", "b2", "b3"}));
    ApiClient annaClient(server, anna.json["token"]);
    CHECK(annaClient.get("/api/v1/counters").status == 200);
    CHECK(annaClient.get("/api/v1/stats").status == 403); // counter staff, not a manager

    auto bram = login(server, "bram", DirectoryFixture::passwordOf("bram"));
    REQUIRE(bram.status == 200);
    CHECK(bram.json["role"] == "admin");
    CHECK(ApiClient(server, bram.json["token"]).get("/api/v1/stats").status == 200);

    // In the directory but in no mapped group: the password is right, the hall says no.
    auto eva = login(server, "eva", DirectoryFixture::passwordOf("eva"));
    CHECK(eva.status == 403);
    CHECK(errorCode(eva) == "forbidden");

    auto wrong = login(server, "anna", "not-annas-password");
    CHECK(wrong.status == 401);
    CHECK(errorCode(wrong) == "unauthorized");
}

TEST_CASE("ldap: a disabled directory user cannot log in to the server") {
    DirectoryFixture f;
    ServerProcess server(f.dir.path() / "hall.db", hallWithDirectory(f));
    for (const char* uid : {"carla", "dirk"}) {
        auto r = login(server, uid, DirectoryFixture::passwordOf(uid));
        CHECK(r.status == 403);
        CHECK(errorCode(r) == "forbidden");
        CHECK_FALSE(r.json.contains("token"));
    }
    CHECK(login(server, "femke", DirectoryFixture::passwordOf("femke")).status == 200);
}

TEST_CASE("ldap: the directory being down is directory_unavailable and the break-glass account still works") {
    DirectoryFixture f;
    ServerProcess server(f.dir.path() / "hall.db", hallWithDirectory(f));
    auto before = login(server, "anna", DirectoryFixture::passwordOf("anna"));
    REQUIRE(before.status == 200);

    f.slapd.stop();
    auto down = login(server, "anna", DirectoryFixture::passwordOf("anna"));
    CHECK(down.status == 503);
    CHECK(errorCode(down) == "directory_unavailable");
    // The local account (the example hall's "beheer") does not need the directory.
    auto breakGlass = login(server, "beheer", "demo-demo-demo");
    CHECK(breakGlass.status == 200);
    CHECK(breakGlass.json["role"] == "admin");
    // A session made while the directory was up keeps working while it is down.
    CHECK(ApiClient(server, before.json["token"]).get("/api/v1/counters").status == 200);
    // Outages are not failed log-ins: once it is back, anna logs in at once.
    for (int i = 0; i < 6; ++i) CHECK(login(server, "anna", DirectoryFixture::passwordOf("anna")).status == 503);
    f.slapd.start();
    CHECK(login(server, "anna", DirectoryFixture::passwordOf("anna")).status == 200);
}

TEST_CASE("ldap: an empty password is refused by the server without any bind") {
    DirectoryFixture f;
    ServerProcess server(f.dir.path() / "hall.db", hallWithDirectory(f));
    const std::string annaDn = DirectoryFixture::dnOf("anna");
    auto empty = login(server, "anna", "");
    CHECK(empty.status == 400);
    CHECK_FALSE(empty.json.contains("token"));
    // A wrong password does reach the directory (one bind), so the log is being written.
    CHECK(login(server, "anna", "wrong-password").status == 401);
    CHECK(f.slapd.bindsFor(annaDn) == 1);
}

TEST_CASE("ldap: failed directory log-ins slow down one account at one address without locking the account elsewhere") {
    DirectoryFixture f;
    ServerProcess server(f.dir.path() / "hall.db", hallWithDirectory(f));
    const std::string annaDn = DirectoryFixture::dnOf("anna");
    for (int i = 0; i < 5; ++i) CHECK(loginFrom("127.0.0.2", server, "anna", "guess-" + std::to_string(i)) == 401);
    CHECK(f.slapd.bindsFor(annaDn) == 5);
    // The sixth try from that address is refused before the directory sees it, even with the
    // right password: the directory's own lock-out counter is not fed by one guesser.
    CHECK(loginFrom("127.0.0.2", server, "anna", DirectoryFixture::passwordOf("anna")) == 429);
    CHECK(f.slapd.bindsFor(annaDn) == 5);
    // Anna at her own desk is not locked out by the guesser.
    CHECK(loginFrom("127.0.0.3", server, "anna", DirectoryFixture::passwordOf("anna")) == 200);
}

TEST_CASE("ldap: the hall configuration checks the [directory] section") {
    TempDir dir;
    const std::string base = readFile(ServerProcess::defaultConfig());
    auto check = [&](const std::string& section) {
        writeFile(dir.path() / "hall.toml", base + "\n" + section);
        const auto log = dir.path() / "check.log";
        std::filesystem::remove(log);
        const int rc = runProgram({LOKET_SERVER_BIN, "--config", (dir.path() / "hall.toml").string(), "--check-config"}, log);
        return std::pair{rc, readFile(log)};
    };
    const std::string groups = "[[directory.group]]\ndn = \"cn=balie,dc=x\"\nrole = \"counter\"\ncounters = [\"b1\"]\n";
    {
        auto [rc, out] = check("[directory]\nurl = \"ldaps://dc.example\"\nbase_dn = \"dc=x\"\n" + groups);
        CHECK(rc == 0);
    }
    {
        auto [rc, out] = check("[directory]\nurl = \"ldap://dc.example\"\nbase_dn = \"dc=x\"\n" + groups);
        CHECK(rc == 2);
        CHECK_THAT(out, Catch::Contains("StartTLS"));
    }
    {
        auto [rc, out] = check("[directory]\nurl = \"ldaps://dc.example\"\nbase_dn = \"dc=x\"\nbind_dn = \"cn=svc,dc=x\"\n"
                               "bind_password_env = \"LOKET_TEST_SURELY_UNSET_VARIABLE\"\n" + groups);
        CHECK(rc == 2);
        CHECK_THAT(out, Catch::Contains("LOKET_TEST_SURELY_UNSET_VARIABLE"));
    }
    {
        auto [rc, out] = check("[directory]\nurl = \"ldaps://dc.example\"\nbase_dn = \"dc=x\"\n"
                               "[[directory.group]]\ndn = \"cn=balie,dc=x\"\nrole = \"counter\"\ncounters = [\"b99\"]\n");
        CHECK(rc == 2);
        CHECK_THAT(out, Catch::Contains("b99"));
    }
    {
        auto [rc, out] = check("[directory]\nurl = \"ldaps://dc.example\"\nbase_dn = \"dc=x\"\nuser_filter = \"(uid=anna)\"\n" + groups);
        CHECK(rc == 2);
        CHECK_THAT(out, Catch::Contains("{user}"));
    }
}
