// VirtualPrinter: an ESC/POS network printer in software, listening on loopback. It answers
// `DLE EOT n` status requests from a status you set, keeps every job it receives (one job per
// connection, status requests left out) and can stop reading to act like a jammed printer.
// There is no Debian package for this, and a kiosk and its tests need a printer that can be told
// to run out of paper. Used by the tests, the benchmark and `loket-print virtual`.
// Depends on POSIX sockets, a thread, and the ESC/POS parser.
#pragma once

#include "printer_status.hpp"
#include "shared/core/result.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace loket::ticket {

class VirtualPrinter {
public:
    struct Options {
        std::string host = "127.0.0.1";
        int port = 0;                     // 0: the system picks a free port
        std::filesystem::path saveDir;    // if set, each job is saved as job-NNNN.bin and .png
    };

    static Result<std::unique_ptr<VirtualPrinter>> start(const Options& options);
    ~VirtualPrinter();
    VirtualPrinter(const VirtualPrinter&) = delete;
    VirtualPrinter& operator=(const VirtualPrinter&) = delete;

    int port() const { return m_port; }
    // "tcp:127.0.0.1:<port>", ready for openTransport.
    std::string spec() const;

    void setStatus(const PrinterStatus& status);
    // While stalled the printer reads nothing: writers fill the socket buffers and then time out.
    void setStalled(bool stalled);

    // Completed jobs (the connection was closed), oldest first.
    std::vector<std::vector<std::uint8_t>> jobs() const;
    // Waits until at least `count` jobs are complete; false on timeout.
    bool waitForJobs(std::size_t count, std::chrono::milliseconds timeout) const;
    // An error that ended a connection (bytes outside the ESC/POS subset), if any.
    std::optional<std::string> lastProtocolError() const;

private:
    VirtualPrinter() = default;
    void run();
    void serve(int client);
    void finishJob(std::vector<std::uint8_t> job);

    int m_listen = -1;
    int m_wake[2] = {-1, -1};
    int m_port = 0;
    std::string m_host;
    std::filesystem::path m_saveDir;
    std::thread m_thread;

    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    PrinterStatus m_status;
    bool m_stalled = false;
    std::vector<std::vector<std::uint8_t>> m_jobs;
    std::optional<std::string> m_protocolError;
};

} // namespace loket::ticket
