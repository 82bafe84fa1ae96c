// Shared pieces of the ticket tests: the shipped catalogs, profiles and fonts, a sample ticket,
// a scratch folder, and zbarimg (the real QR reader) run on a PNG.
#pragma once

#include "shared/ticket/ticket.hpp"

#include <filesystem>
#include <string>

namespace loket::ticket::test {

std::filesystem::path sourceDir();
const i18n::Catalog& catalog(const std::string& language);
PrinterProfile profile(const std::string& name); // file stem in firmware-config/printers
const Fonts& fonts();

// A walk-in ticket as the kiosk would fill it in from the example hall.
TicketContent sampleWalkIn(const std::string& language = "nl");
// An appointment ticket with no wait estimate.
TicketContent sampleAppointment(const std::string& language = "en");

// The sample walk-in ticket, rendered and encoded for a shipped profile.
std::vector<std::uint8_t> sampleJob(const std::string& profileName = "epson-tm-t20iii");

// A fresh empty folder under the system temp dir, removed when this goes out of scope.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

// What zbarimg reads from a PNG (its --raw output without the trailing newline); empty if none.
std::string scanQr(const std::filesystem::path& png);
// Runs a shell command, returning its exit status and standard output (with its standard error
// unless `withStderr` is false).
struct CommandResult {
    int exitCode = -1;
    std::string output;
};
CommandResult runCommand(const std::string& command, bool withStderr = true);
std::string quoted(const std::string& text);
std::vector<std::uint8_t> readBytes(const std::filesystem::path& path);

// A pseudo-terminal standing in for a printer's character device: the transport writes to the
// slave side like to /dev/usb/lp0, the test reads and answers on the master side (or does not).
struct PseudoDevice {
    int master = -1;
    int slave = -1;
    std::string path;
    PseudoDevice();
    ~PseudoDevice();
    PseudoDevice(const PseudoDevice&) = delete;
    PseudoDevice& operator=(const PseudoDevice&) = delete;
    // Reads from the master side until `count` bytes came, answering status requests on the way.
    std::vector<std::uint8_t> serve(std::size_t count, const PrinterStatus& status) const;
};

} // namespace loket::ticket::test
