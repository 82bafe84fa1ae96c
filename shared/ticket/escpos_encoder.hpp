// ESC/POS encoding of a ticket image. The whole ticket goes as raster graphics (`GS v 0`), so
// the printer's own fonts and code pages play no part: é, ë and € print exactly as laid out.
// A job is: ESC @ (reset), the image in bands of `profile.bandRows` rows, ESC d (feed past the
// cutter) and GS V (cut, function B: feed to the cutting position, then cut).
// Used by the kiosk, loket-print and the benchmark. Standard library only.
#pragma once

#include "bitmap.hpp"
#include "printer_profile.hpp"

#include <cstdint>
#include <vector>

namespace loket::ticket {

// Command bytes the encoder and decoder share.
namespace escpos {
inline constexpr std::uint8_t kEsc = 0x1B, kGs = 0x1D, kDle = 0x10, kLf = 0x0A, kEot = 0x04;
} // namespace escpos

// Rows are sent `profile.printWidthDots` wide: a narrower bitmap is padded with white on the
// right, a wider one is cut off at the print width (the printer could not print it anyway).
std::vector<std::uint8_t> encodeEscPos(const Bitmap& image, const PrinterProfile& profile);

} // namespace loket::ticket
