#include "postgres_process.hpp"

#include "programs.hpp"

#include <catch2/catch.hpp>

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace loket::test {
namespace {

const std::string kBin = "/usr/lib/postgresql/15/bin/";

} // namespace

std::vector<std::string> PostgresProcess::asOwner(std::vector<std::string> args) const {
    if (geteuid() != 0) return args;
    args.insert(args.begin(), {"runuser", "-u", "postgres", "--"});
    return args;
}

PostgresProcess::PostgresProcess() {
    // Not inside the test's own temporary folder: that one is private to root, and the server
    // runs as `postgres`.
    std::string pattern = (std::filesystem::temp_directory_path() / "loket-pg-XXXXXX").string();
    if (!mkdtemp(pattern.data())) FAIL("cannot make a temporary directory for PostgreSQL");
    m_dir = pattern;
    if (geteuid() == 0) {
        const passwd* owner = getpwnam("postgres");
        if (!owner) FAIL("running as root needs the `postgres` user of Debian's postgresql package (scripts/install-deps.sh --tests)");
        if (chown(m_dir.c_str(), owner->pw_uid, owner->pw_gid) != 0) FAIL("cannot give " << m_dir << " to postgres");
    }
    // initdb writes its log as the owner: the log file is created by it, in the owned folder.
    const std::string initLog = (m_dir / "initdb.log").string();
    int rc = runProgram(asOwner({"sh", "-c",
                                 kBin + "initdb -D " + (m_dir / "data").string() +
                                     " -U postgres -A trust -E UTF8 --no-sync > " + initLog + " 2>&1"}),
                        "/dev/null");
    if (rc != 0) FAIL("initdb failed (" << rc << "): " << readFile(initLog));
    m_port = freeLoopbackPort();
    rc = runProgram(asOwner({kBin + "pg_ctl", "-D", (m_dir / "data").string(), "-l", (m_dir / "server.log").string(), "-w", "-t", "30", "-o",
                             "-c listen_addresses=127.0.0.1 -p " + std::to_string(m_port) + " -k " + m_dir.string(), "start"}),
                    "/dev/null");
    if (rc != 0) FAIL("PostgreSQL did not start (" << rc << "): " << log());
    m_running = true;
}

PostgresProcess::~PostgresProcess() {
    if (m_running)
        (void)runProgram(asOwner({kBin + "pg_ctl", "-D", (m_dir / "data").string(), "-m", "immediate", "-w", "stop"}), "/dev/null");
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
}

std::string PostgresProcess::urlOf(const std::string& database) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(m_port) + "/" + database;
}

std::string PostgresProcess::createDatabase(const std::string& name) {
    const auto out = m_dir / ("createdb-" + name + ".log");
    const int rc = runProgram({kBin + "createdb", "-h", "127.0.0.1", "-p", std::to_string(m_port), "-U", "postgres", name}, out);
    if (rc != 0) FAIL("createdb " << name << " failed (" << rc << "): " << readFile(out));
    return urlOf(name);
}

std::string PostgresProcess::sql(const std::string& database, const std::string& statement) {
    const auto out = m_dir / "psql.out";
    std::filesystem::remove(out);
    const int rc = runProgram({"psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", urlOf(database), "-c", statement}, out);
    const std::string text = readFile(out);
    if (rc != 0) FAIL("psql failed (" << rc << ") on " << statement << ": " << text);
    return text;
}

std::string PostgresProcess::log() const { return readFile(m_dir / "server.log"); }

} // namespace loket::test
