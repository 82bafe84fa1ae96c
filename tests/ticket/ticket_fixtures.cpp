#include "ticket_fixtures.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <fcntl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

namespace loket::ticket::test {

std::filesystem::path sourceDir() { return LOKET_SOURCE_DIR; }

const i18n::Catalog& catalog(const std::string& language) {
    static std::map<std::string, i18n::Catalog> loaded;
    auto it = loaded.find(language);
    if (it == loaded.end()) {
        auto result = i18n::loadCatalog(sourceDir() / "assets", language);
        if (!result) FAIL(result.error().message);
        it = loaded.emplace(language, std::move(*result)).first;
    }
    return it->second;
}

PrinterProfile profile(const std::string& name) {
    auto result = loadPrinterProfile(sourceDir() / "firmware-config" / "printers" / (name + ".toml"));
    if (!result) FAIL(result.error().message);
    return *result;
}

const Fonts& fonts() {
    static const Fonts loaded = [] {
        auto result = loadFonts();
        if (!result) FAIL(result.error().message);
        return *result;
    }();
    return loaded;
}

TicketContent sampleWalkIn(const std::string& language) {
    TicketContent c;
    c.language = language;
    c.hallName = "Stadswinkel Katwijk";
    c.number = "A012";
    c.serviceLabel = language == "nl" ? "Paspoort of ID-kaart aanvragen" : "Apply for a passport or ID card";
    c.issuedAtLocal = "23-11-2026 09:15";
    c.waitLowMin = 10;
    c.waitHighMin = 20;
    c.bring = language == "nl" ? "uw oude paspoort of ID-kaart, één pasfoto (niet ouder dan 6 maanden)"
                               : "your old passport or ID card, one passport photo (not older than 6 months)";
    c.visitorUrl = "https://loket.katwijk.example/v/q7F3kZ9xLmN2pR8sT4vW1a";
    return c;
}

TicketContent sampleAppointment(const std::string& language) {
    TicketContent c;
    c.language = language;
    c.hallName = "Stadswinkel Katwijk";
    c.number = "H003";
    c.serviceLabel = language == "nl" ? "Balie H" : "Desk H";
    c.issuedAtLocal = "23-11-2026 10:22";
    c.appointmentTimeLocal = "10:30";
    c.visitorUrl = "https://loket.katwijk.example/v/Zx81_Kd-4mQpR7sT2vW9yB";
    return c;
}

std::vector<std::uint8_t> sampleJob(const std::string& profileName) {
    const auto p = profile(profileName);
    auto image = renderTicket(sampleWalkIn("nl"), catalog("nl"), p, fonts());
    if (!image) FAIL(image.error().message);
    return encodeEscPos(*image, p);
}

ScratchDir::ScratchDir() {
    static std::atomic<int> counter{0};
    m_path = std::filesystem::temp_directory_path() /
             ("loket-ticket-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

CommandResult runCommand(const std::string& command, bool withStderr) {
    CommandResult result;
    FILE* pipe = ::popen((command + (withStderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
    if (!pipe) return result;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
    const int status = ::pclose(pipe);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string scanQr(const std::filesystem::path& png) {
    auto result = runCommand("zbarimg --raw -q " + quoted(png.string()), /*withStderr=*/false);
    std::string text = result.output;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return result.exitCode == 0 ? text : std::string();
}

std::vector<std::uint8_t> readBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

PseudoDevice::PseudoDevice() {
    master = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    path = ::ptsname(master);
    slave = ::open(path.c_str(), O_RDWR | O_NOCTTY);
    REQUIRE(slave >= 0);
    termios raw{};
    ::tcgetattr(slave, &raw);
    ::cfmakeraw(&raw); // bytes pass untouched, as on a printer port
    ::tcsetattr(slave, TCSANOW, &raw);
}

PseudoDevice::~PseudoDevice() {
    ::close(slave);
    ::close(master);
}

std::vector<std::uint8_t> PseudoDevice::serve(std::size_t count, const PrinterStatus& status) const {
    std::vector<std::uint8_t> received;
    std::size_t parsed = 0;
    while (received.size() < count) {
        std::uint8_t buffer[4096];
        const ssize_t n = ::read(master, buffer, sizeof buffer);
        if (n <= 0) break;
        received.insert(received.end(), buffer, buffer + n);
        while (parsed < received.size()) {
            auto command = parseEscPosCommand(received, parsed);
            if (!command || !*command) break;
            if ((*command)->kind == EscPosCommand::Kind::StatusRequest) {
                const std::uint8_t reply = statusReplyByte(status, (*command)->value);
                [[maybe_unused]] auto w = ::write(master, &reply, 1);
            }
            parsed += (*command)->length;
        }
    }
    return received;
}

} // namespace loket::ticket::test
