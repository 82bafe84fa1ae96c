// PostgresProcess: a real PostgreSQL server (Debian's postgresql package, version 15) for a test:
// initdb in a fresh temporary directory, pg_ctl start on a free loopback port, trust log-in for
// the user "postgres" from loopback only. PostgreSQL refuses to run as root: under root the
// programs run as the package's `postgres` user (runuser), otherwise as the test's own user.
// fsync and synchronous_commit stay on (PostgreSQL's defaults), as in a hall. Always stopped and
// removed at the end. Follows tests/support/slapd_process (the LDAP tests' real directory).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace loket::test {

class PostgresProcess {
public:
    PostgresProcess(); // initdb + start; fails the test if PostgreSQL does not come up
    ~PostgresProcess();
    PostgresProcess(const PostgresProcess&) = delete;
    PostgresProcess& operator=(const PostgresProcess&) = delete;

    // A new empty database; its libpq URL (postgresql://postgres@127.0.0.1:<port>/<name>).
    std::string createDatabase(const std::string& name);
    std::string urlOf(const std::string& database) const;
    // One SQL statement through psql as the superuser; its unaligned output (fails the test on an error).
    std::string sql(const std::string& database, const std::string& statement);
    int port() const { return m_port; }
    std::string log() const;

private:
    std::vector<std::string> asOwner(std::vector<std::string> args) const;
    std::filesystem::path m_dir;
    int m_port = 0;
    bool m_running = false;
};

} // namespace loket::test
