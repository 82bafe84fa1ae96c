// What loket-bench-server and loket-bench-streams share: start the real loket-server on loopback
// (an OS-assigned port, stdout read for the address), read its memory from /proc, and
// percentiles. Benchmarks only; tests start the server with tests/server/server_process.hpp.
#pragma once

#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace loket::bench {

struct ServerProcess {
    pid_t pid = -1;
    int port = 0; // 0: the server did not start
};

// `binary` with `--config config --db db --listen 127.0.0.1:0 --quiet` and `extraArgs` (for
// example `--store postgresql://…`); waits until it prints its address. Its stderr goes to /dev/null.
ServerProcess startServer(const std::string& binary, const std::filesystem::path& db, const std::string& config,
                          const std::vector<std::string>& extraArgs = {});
// SIGTERM, then waits for it to exit.
void stopServer(ServerProcess& server);

// A field of /proc/<pid>/status in KiB ("VmRSS:", "VmHWM:"); -1 if it cannot be read.
long statusKb(pid_t pid, const char* field);

// The p-quantile (0..1) of `values`, nearest rank; 0 for none.
double percentile(std::vector<double> values, double p);

} // namespace loket::bench
