// Ticket printing benchmark: times each step the kiosk takes for one ticket — layout, ESC/POS
// encoding, and the whole print over raw TCP to a virtual printer on loopback — plus the steps
// around it (font loading at start-up, decoding and PNG writing in the file transport).
// Prints a Markdown table for docs/benchmarks.md.
//   loket-bench-ticket [--iterations N] [--root SOURCE_DIR]
#include "shared/ticket/ticket.hpp"
#include "shared/ticket/virtual_printer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

using namespace loket;
using namespace loket::ticket;
using Clock = std::chrono::steady_clock;

namespace {

struct Figures {
    double p50 = 0, p95 = 0, max = 0;
};

Figures measure(int iterations, const std::function<void()>& step) {
    std::vector<double> ms;
    ms.reserve(static_cast<std::size_t>(iterations));
    step(); // warm-up: caches, first allocation
    for (int i = 0; i < iterations; ++i) {
        const auto start = Clock::now();
        step();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
    return {at(0.50), at(0.95), ms.back()};
}

void row(const char* what, const Figures& f, const std::string& note = "") {
    std::printf("| %s | %.3f | %.3f | %.3f | %s |\n", what, f.p50, f.p95, f.max, note.c_str());
}

template <typename T>
T orDie(Result<T> result, const char* what) {
    if (!result) {
        std::fprintf(stderr, "loket-bench-ticket: %s: %s\n", what, result.error().message.c_str());
        std::exit(1);
    }
    return std::move(result).value();
}

TicketContent sample() {
    TicketContent c;
    c.language = "nl";
    c.hallName = "Stadswinkel Katwijk";
    c.number = "A012";
    c.serviceLabel = "Paspoort of ID-kaart aanvragen";
    c.issuedAtLocal = "23-11-2026 09:15";
    c.waitLowMin = 10;
    c.waitHighMin = 20;
    c.bring = "uw oude paspoort of ID-kaart, één pasfoto (niet ouder dan 6 maanden)";
    c.visitorUrl = "https://loket.katwijk.example/v/q7F3kZ9xLmN2pR8sT4vW1a";
    return c;
}

} // namespace

int main(int argc, char** argv) {
    int iterations = 200;
    std::filesystem::path root = LOKET_SOURCE_DIR;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--iterations") == 0) iterations = std::max(1, std::atoi(argv[i + 1]));
        else if (std::strcmp(argv[i], "--root") == 0) root = argv[i + 1];
        else {
            std::fprintf(stderr, "usage: loket-bench-ticket [--iterations N] [--root SOURCE_DIR]\n");
            return 2;
        }
    }
    const auto catalog = orDie(i18n::loadCatalog(root / "assets", "nl"), "catalog");
    const auto wide = orDie(loadPrinterProfile(root / "firmware-config/printers/epson-tm-t20iii.toml"), "profile");
    const auto narrow = orDie(loadPrinterProfile(root / "firmware-config/printers/generic-58mm.toml"), "profile");
    const auto content = sample();

    std::printf("| step (%d runs) | p50 ms | p95 ms | max ms | note |\n|---|---|---|---|---|\n", iterations);
    Fonts fonts;
    row("load fonts (start-up)", measure(std::max(1, iterations / 10), [&] { fonts = orDie(loadFonts(), "fonts"); }),
        "DejaVu Sans regular + bold, Noto Sans fallback");

    Bitmap image;
    auto figures = measure(iterations, [&] { image = orDie(renderTicket(content, catalog, wide, fonts), "render"); });
    row("layout, 80 mm", figures, std::to_string(image.width()) + "×" + std::to_string(image.height()) + " dots");
    Bitmap small;
    figures = measure(iterations, [&] { small = orDie(renderTicket(content, catalog, narrow, fonts), "render"); });
    row("layout, 58 mm", figures, std::to_string(small.width()) + "×" + std::to_string(small.height()) + " dots");
    row("QR code (libqrencode)", measure(iterations, [&] { (void)orDie(encodeQr(content.visitorUrl), "qr"); }));

    std::vector<std::uint8_t> job;
    figures = measure(iterations, [&] { job = encodeEscPos(image, wide); });
    row("ESC/POS encode, 80 mm", figures, std::to_string(job.size()) + " bytes");
    row("ESC/POS decode (file transport, tests)", measure(iterations, [&] { (void)orDie(decodeEscPos(job), "decode"); }));
    const auto png = std::filesystem::temp_directory_path() / "loket-bench-ticket.png";
    row("PNG write (file transport)", measure(std::max(1, iterations / 4), [&] { (void)writePng(image, png); }));
    std::filesystem::remove(png);

    auto printer = orDie(VirtualPrinter::start({}), "virtual printer");
    std::size_t printed = 0;
    row("print over TCP: connect, status, write, close",
        measure(iterations, [&] {
            const auto outcome = printJob(printer->spec(), job, wide);
            if (!outcome.printed) {
                std::fprintf(stderr, "loket-bench-ticket: print failed: %s\n", outcome.detail.c_str());
                std::exit(1);
            }
            ++printed;
        }),
        "virtual printer on loopback");
    printer->waitForJobs(printed, std::chrono::seconds(10));
    row("whole ticket: layout + encode + print",
        measure(iterations, [&] {
            auto bitmap = orDie(renderTicket(content, catalog, wide, fonts), "render");
            const auto bytes = encodeEscPos(bitmap, wide);
            if (!printJob(printer->spec(), bytes, wide).printed) std::exit(1);
        }),
        "what the kiosk's worker does per ticket");
    return 0;
}
