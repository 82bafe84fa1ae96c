#include "qr_code.hpp"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace loket::ticket {

Result<QrMatrix> encodeQr(const std::string& text) {
    if (text.empty()) return makeError(ErrorCode::InvalidValue, "QR text is empty");
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, /*casesensitive=*/1), QRcode_free);
    if (!code) {
        const int err = errno;
        return makeError(ErrorCode::InvalidValue, "cannot encode \"" + text + "\" as a QR code: " +
                                                      (err == ERANGE ? "text too long" : std::strerror(err)));
    }
    QrMatrix out;
    out.width = code->width;
    out.dark.resize(static_cast<std::size_t>(code->width) * code->width);
    for (std::size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = (code->data[i] & 1) != 0;
    return out;
}

int qrSideDots(const QrMatrix& qr, int moduleDots) { return (qr.width + 2 * kQrQuietModules) * moduleDots; }

void drawQr(Bitmap& target, const QrMatrix& qr, int x, int y, int moduleDots) {
    const int origin = kQrQuietModules * moduleDots;
    for (int my = 0; my < qr.width; ++my)
        for (int mx = 0; mx < qr.width; ++mx)
            if (qr.at(mx, my))
                target.fillRect(x + origin + mx * moduleDots, y + origin + my * moduleDots, moduleDots, moduleDots);
}

} // namespace loket::ticket
