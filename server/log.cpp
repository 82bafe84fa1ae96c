#include "log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

namespace loket::server {
namespace {
std::atomic<bool> g_quiet{false}; // set once at start-up by a command-line flag
std::mutex g_logMutex;
} // namespace

void setLogQuiet(bool quiet) { g_quiet = quiet; }

bool logEnabled() { return !g_quiet; }

void logLine(const std::string& kind, nlohmann::json fields) {
    if (g_quiet) return;
    using namespace std::chrono;
    fields["ts"] = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() / 1000.0;
    fields["kind"] = kind;
    const std::string line = fields.dump() + "\n";
    std::lock_guard lock(g_logMutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace loket::server
