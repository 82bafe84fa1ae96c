#include "commands.hpp"

#include "shared/ticket/ticket.hpp"
#include "shared/paths/data_path.hpp"
#include "shared/ticket/virtual_printer.hpp"

#include <charconv>
#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>

namespace loket::print {

namespace {

constexpr int kDone = 0, kPrinterFailed = 1, kBadInput = 2;

int fail(std::ostream& err, int code, const std::string& message) {
    err << "loket-print: " << message << "\n";
    return code;
}

std::optional<int> parseNumber(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string nowLocal() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%d-%m-%Y %H:%M", &local);
    return buffer;
}

// Everything a ticket needs, loaded and checked: the steps the kiosk takes at start-up.
struct TicketSetup {
    ticket::TicketContent content;
    i18n::Catalog catalog;
    ticket::PrinterProfile profile;
    ticket::Fonts fonts;
};

Result<TicketSetup> loadSetup(const CommandLine& cl) {
    TicketSetup s;
    auto& c = s.content;
    c.language = cl.get("--lang", "nl");
    c.hallName = cl.get("--hall");
    c.number = cl.get("--number");
    c.serviceLabel = cl.get("--service");
    c.issuedAtLocal = cl.get("--issued", nowLocal());
    c.bring = cl.get("--bring");
    c.visitorUrl = cl.get("--url");
    if (cl.has("--appointment")) c.appointmentTimeLocal = cl.get("--appointment");
    if (cl.has("--wait")) {
        const std::string wait = cl.get("--wait");
        const auto dash = wait.find('-');
        auto low = parseNumber(std::string_view(wait).substr(0, dash));
        auto high = dash == std::string::npos ? low : parseNumber(std::string_view(wait).substr(dash + 1));
        if (!low || !high) return makeError(ErrorCode::InvalidValue, "--wait takes minutes as LOW-HIGH, e.g. 10-20");
        c.waitLowMin = *low;
        c.waitHighMin = *high;
    }
    auto catalog = i18n::loadCatalog(cl.get("--assets", paths::dataPath("assets", "assets").string()), c.language);
    if (!catalog) return catalog.error();
    s.catalog = std::move(*catalog);
    auto profile = ticket::loadPrinterProfile(cl.get("--profile", paths::dataPath("printers/epson-tm-t20iii.toml",
                                                                      "firmware-config/printers/epson-tm-t20iii.toml")
                                                         .string()));
    if (!profile) return profile.error();
    s.profile = std::move(*profile);
    auto fonts = cl.has("--font-dir") ? ticket::loadFonts(ticket::fontSearchIn(cl.get("--font-dir")))
                                      : ticket::loadFonts();
    if (!fonts) return fonts.error();
    s.fonts = std::move(*fonts);
    return s;
}

// The ticket from the command line, laid out and encoded for the profile's printer.
struct RenderedJob {
    ticket::PrinterProfile profile;
    ticket::Bitmap image;
    std::vector<std::uint8_t> bytes;
};

Result<RenderedJob> renderJob(const CommandLine& cl) {
    auto setup = loadSetup(cl);
    if (!setup) return setup.error();
    auto bitmap = ticket::renderTicket(setup->content, setup->catalog, setup->profile, setup->fonts);
    if (!bitmap) return bitmap.error();
    auto bytes = ticket::encodeEscPos(*bitmap, setup->profile);
    return RenderedJob{std::move(setup->profile), std::move(*bitmap), std::move(bytes)};
}

Status writeFile(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) return makeError(ErrorCode::Io, "cannot write " + path);
    return Ok{};
}

void describeStatus(std::ostream& out, const ticket::PrinterStatus& s) {
    out << "printer: " << ticket::printerFaultName(s.worstFault()) << " (heartbeat "
        << ticket::heartbeatPrinterState(s.worstFault()) << ")\n"
        << "  offline=" << s.offline << " cover_open=" << s.coverOpen << " paper_out=" << s.paperOut
        << " paper_near_end=" << s.paperNearEnd << " cutter_error=" << s.cutterError
        << " unrecoverable=" << s.unrecoverableError << " auto_recoverable=" << s.autoRecoverableError << "\n";
}

Result<ticket::PrinterStatus> statusNamed(const std::string& name) {
    ticket::PrinterStatus s;
    if (name == "ok") return s;
    if (name == "paper_near_end") s.paperNearEnd = true;
    else if (name == "paper_out") s.paperOut = true;
    else if (name == "cover_open") s.coverOpen = true;
    else if (name == "offline") s.offline = true;
    else return makeError(ErrorCode::InvalidValue, "--status must be ok, paper_near_end, paper_out, cover_open or offline");
    return s;
}

} // namespace

int runRender(const CommandLine& cl, std::ostream& out, std::ostream& err) {
    auto job = renderJob(cl);
    if (!job) return fail(err, kBadInput, job.error().message);
    if (auto st = ticket::writePng(job->image, cl.get("--out")); !st) return fail(err, kBadInput, st.error().message);
    if (cl.has("--escpos"))
        if (auto st = writeFile(cl.get("--escpos"), job->bytes); !st) return fail(err, kBadInput, st.error().message);
    out << cl.get("--out") << ": " << job->image.width() << "×" << job->image.height() << " dots, "
        << job->bytes.size() << " ESC/POS bytes\n";
    return kDone;
}

int runPrint(const CommandLine& cl, std::ostream& out, std::ostream& err) {
    auto job = renderJob(cl);
    if (!job) return fail(err, kBadInput, job.error().message);
    const auto outcome = ticket::printJob(cl.get("--printer"), job->bytes, job->profile);
    if (!outcome.printed)
        return fail(err, kPrinterFailed, std::string("not printed: ") + ticket::printerFaultName(outcome.fault) +
                                             " — " + outcome.detail);
    out << "printed " << job->bytes.size() << " bytes to " << cl.get("--printer");
    if (outcome.fault != ticket::PrinterFault::None) out << " (warning: " << ticket::printerFaultName(outcome.fault) << ")";
    out << "\n";
    return kDone;
}

int runStatus(const CommandLine& cl, std::ostream& out, std::ostream& err) {
    auto transport = ticket::openTransport(cl.get("--printer"));
    if (!transport) return fail(err, kPrinterFailed, "offline: " + transport.error().message);
    auto status = ticket::queryStatus(**transport);
    if (!status) return fail(err, kPrinterFailed, "no status: " + status.error().message);
    describeStatus(out, *status);
    return ticket::blocksPrinting(status->worstFault()) ? kPrinterFailed : kDone;
}

int runDecode(const CommandLine& cl, std::ostream& out, std::ostream& err) {
    std::ifstream in(cl.get("--in"), std::ios::binary);
    if (!in) return fail(err, kBadInput, "cannot read " + cl.get("--in"));
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto job = ticket::decodeEscPos(bytes);
    if (!job) return fail(err, kBadInput, cl.get("--in") + ": " + job.error().message);
    if (job->image.height() == 0) return fail(err, kBadInput, cl.get("--in") + ": the job holds no image");
    if (auto st = ticket::writePng(job->image, cl.get("--out")); !st) return fail(err, kBadInput, st.error().message);
    out << cl.get("--out") << ": " << job->image.width() << "×" << job->image.height() << " dots, " << job->cuts
        << " cut(s), " << job->feedLines << " line(s) fed\n";
    return kDone;
}

int runVirtual(const CommandLine& cl, std::ostream& out, std::ostream& err) {
    ticket::VirtualPrinter::Options options;
    const std::string listen = cl.get("--listen", "127.0.0.1:9100");
    const auto colon = listen.rfind(':');
    auto port = colon == std::string::npos ? std::nullopt : parseNumber(std::string_view(listen).substr(colon + 1));
    if (!port || *port < 0 || *port > 65535) return fail(err, kBadInput, "--listen takes ADDRESS:PORT");
    options.host = listen.substr(0, colon);
    options.port = *port;
    options.saveDir = cl.get("--save-dir");
    auto status = statusNamed(cl.get("--status", "ok"));
    if (!status) return fail(err, kBadInput, status.error().message);

    // Block the stop signals before the printer's thread starts, so only sigtimedwait sees them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    auto printer = ticket::VirtualPrinter::start(options);
    if (!printer) return fail(err, kBadInput, printer.error().message);
    (*printer)->setStatus(*status);
    out << "loket-print: virtual printer on " << (*printer)->spec() << std::endl;
    std::size_t reported = 0;
    const timespec tick{0, 200'000'000};
    while (sigtimedwait(&stopSignals, nullptr, &tick) < 0) {
        const auto jobs = (*printer)->jobs();
        for (; reported < jobs.size(); ++reported) {
            auto decoded = ticket::decodeEscPos(jobs[reported]);
            out << "job " << reported + 1 << ": " << jobs[reported].size() << " bytes";
            if (decoded) out << ", " << decoded->image.width() << "×" << decoded->image.height() << " dots";
            out << std::endl;
        }
    }
    return kDone;
}

} // namespace loket::print
