// ChildProcess: a program started for a test (loket-kiosk headless, or loket-server on a port
// chosen earlier), with its output in files, waited for with a deadline and always stopped.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace loket::kiosk::testing {

// The source tree: the programs' assets and example configurations.
inline const std::filesystem::path kSource = LOKET_SOURCE_DIR;

class ChildProcess {
public:
    ChildProcess(std::vector<std::string> args, const std::filesystem::path& logDir, std::vector<std::string> env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // The exit code, or nullopt if it did not end in time (it is then killed).
    std::optional<int> wait(std::chrono::milliseconds timeout);
    void terminate(); // SIGTERM and wait
    void kill9();
    std::string output() const; // stdout and stderr
    int pid() const { return m_pid; }

private:
    int m_pid = -1;
    std::filesystem::path m_log;
};

// The whole text of a file a program wrote ("" when it is not there).
std::string readText(const std::filesystem::path& file);

// Waits until `file` exists or the time is up.
bool waitForFile(const std::filesystem::path& file, std::chrono::milliseconds timeout);

} // namespace loket::kiosk::testing

// Catch2 builds an INFO message where it is declared, so a program's output read before a wait
// is what it had said before the wait. These evaluate the condition first (the wait), then report
// what the program said by then when it does not hold.
#define LOKET_WITH_OUTPUT(ASSERT, child, condition) \
    do {                                           \
        const bool loketHeld_ = (condition);       \
        INFO("output: " << (child).output());      \
        ASSERT(loketHeld_);                        \
    } while (false)
#define REQUIRE_WITH_OUTPUT(child, condition) LOKET_WITH_OUTPUT(REQUIRE, child, condition)
#define CHECK_WITH_OUTPUT(child, condition) LOKET_WITH_OUTPUT(CHECK, child, condition)
