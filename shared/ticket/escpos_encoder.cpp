#include "escpos_encoder.hpp"

#include <algorithm>

namespace loket::ticket {

std::vector<std::uint8_t> encodeEscPos(const Bitmap& image, const PrinterProfile& profile) {
    using namespace escpos;
    const int rowBytes = profile.printWidthDots / 8;
    const int copyBytes = std::min(rowBytes, image.stride());
    const int bandRows = std::max(1, profile.bandRows);
    std::vector<std::uint8_t> out;
    out.reserve(8 + static_cast<std::size_t>(rowBytes) * image.height() + 8 * (image.height() / bandRows + 1));
    out.insert(out.end(), {kEsc, '@'});
    for (int top = 0; top < image.height(); top += bandRows) {
        const int rows = std::min(bandRows, image.height() - top);
        out.insert(out.end(), {kGs, 'v', '0', 0, static_cast<std::uint8_t>(rowBytes & 0xFF),
                               static_cast<std::uint8_t>(rowBytes >> 8), static_cast<std::uint8_t>(rows & 0xFF),
                               static_cast<std::uint8_t>(rows >> 8)});
        for (int y = top; y < top + rows; ++y) {
            const auto* row = image.bits().data() + static_cast<std::size_t>(y) * image.stride();
            out.insert(out.end(), row, row + copyBytes);
            out.insert(out.end(), static_cast<std::size_t>(rowBytes - copyBytes), 0);
        }
    }
    if (profile.feedLinesBeforeCut > 0)
        out.insert(out.end(), {kEsc, 'd', static_cast<std::uint8_t>(profile.feedLinesBeforeCut)});
    if (profile.cut != CutMode::None)
        out.insert(out.end(), {kGs, 'V', static_cast<std::uint8_t>(profile.cut == CutMode::Full ? 65 : 66), 0});
    return out;
}

} // namespace loket::ticket
