// Helpers for tests that start other programs (openssl, slapd, ldapadd): run one to completion,
// find a free loopback port, wait until something listens on a port. Never a fixed port, never a
// sleep without a condition.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace loket::test {

// Runs `args` (args[0] is looked up in PATH) with stdin from `stdinFile` (if not empty) and
// stdout+stderr appended to `log`; returns the exit code (-1 if it could not start or was killed).
int runProgram(const std::vector<std::string>& args, const std::filesystem::path& log, const std::filesystem::path& stdinFile = {});

// Starts `args` in the background with stdout+stderr to `log`; returns its pid (or -1).
int startProgram(const std::vector<std::string>& args, const std::filesystem::path& log);
// SIGTERM and wait for the process to end.
void stopProgram(int pid);

// A loopback port nobody listens on right now (the OS picks it; it is closed again at once).
int freeLoopbackPort();
// True once `condition` holds (checked every 10 ms), false when the time is up.
bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout = std::chrono::seconds(10));
// True once a TCP connection to 127.0.0.1:port succeeds, false when the time is up.
bool waitForPort(int port, std::chrono::milliseconds timeout);

std::string readFile(const std::filesystem::path& file);
void writeFile(const std::filesystem::path& file, const std::string& text);

} // namespace loket::test
