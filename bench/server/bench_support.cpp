#include "bench_support.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace loket::bench {

ServerProcess startServer(const std::string& binary, const std::filesystem::path& db, const std::string& config,
                          const std::vector<std::string>& extraArgs) {
    ServerProcess s;
    int out[2];
    if (pipe(out) != 0) return s;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    const std::string dbs = db.string();
    std::vector<const char*> argv = {binary.c_str(), "--config", config.c_str(), "--db", dbs.c_str(), "--listen", "127.0.0.1:0", "--quiet"};
    for (const auto& a : extraArgs) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    const int spawned = posix_spawn(&s.pid, binary.c_str(), &actions, nullptr, const_cast<char**>(argv.data()), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (spawned != 0) {
        close(out[0]);
        s.pid = -1;
        return s;
    }
    FILE* f = fdopen(out[0], "r");
    char line[256];
    while (fgets(line, sizeof line, f))
        if (const char* m = std::strstr(line, "127.0.0.1:")) {
            s.port = std::atoi(m + 10);
            break;
        }
    fclose(f);
    return s;
}

void stopServer(ServerProcess& server) {
    if (server.pid <= 0) return;
    kill(server.pid, SIGTERM);
    waitpid(server.pid, nullptr, 0);
    server.pid = -1;
}

long statusKb(pid_t pid, const char* field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field));
    return -1;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

} // namespace loket::bench
