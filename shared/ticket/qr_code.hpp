// QR codes for the ticket: the visitor scans it to follow their place in the queue
// (`<public_base_url>/v/<public_code>`). Encoded with libqrencode, level M, 8-bit mode and
// case-sensitive (without that flag libqrencode upper-cases URLs and the code breaks).
// Used by the ticket layout and tests. Depends on libqrencode only.
#pragma once

#include "bitmap.hpp"
#include "shared/core/result.hpp"

#include <string>
#include <vector>

namespace loket::ticket {

// The module grid: `width` × `width`, true = dark.
struct QrMatrix {
    int width = 0;
    std::vector<bool> dark;
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y) * width + x]; }
};

// The quiet zone scanners need around the code, in modules.
inline constexpr int kQrQuietModules = 4;

Result<QrMatrix> encodeQr(const std::string& text);
// Side of the drawn code in dots, quiet zone included.
int qrSideDots(const QrMatrix& qr, int moduleDots);
// Draws the code with its quiet zone, top-left corner at (x, y).
void drawQr(Bitmap& target, const QrMatrix& qr, int x, int y, int moduleDots);

} // namespace loket::ticket
