#include "escpos_encoder.hpp"

#include <algorithm>

namespace loket::ticket {

namespace {
// push_back rather than insert(initializer_list): GCC 12 warns falsely (-Wstringop-overflow)
// about the latter in optimised builds, and -Werror would turn that into a failed build.
void put(std::vector<std::uint8_t>& out, std::initializer_list<std::uint8_t> bytes) {
    for (auto b : bytes) out.push_back(b);
}
} // namespace

std::vector<std::uint8_t> encodeEscPos(const Bitmap& image, const PrinterProfile& profile) {
    using namespace escpos;
    const int rowBytes = profile.printWidthDots / 8;
    const int copyBytes = std::min(rowBytes, image.stride());
    const int bandRows = std::max(1, profile.bandRows);
    std::vector<std::uint8_t> out;
    out.reserve(8 + static_cast<std::size_t>(rowBytes) * image.height() + 8 * (image.height() / bandRows + 1));
    put(out, {kEsc, '@'});
    for (int top = 0; top < image.height(); top += bandRows) {
        const int rows = std::min(bandRows, image.height() - top);
        put(out, {kGs, 'v', '0', 0, static_cast<std::uint8_t>(rowBytes & 0xFF),
                               static_cast<std::uint8_t>(rowBytes >> 8), static_cast<std::uint8_t>(rows & 0xFF),
                               static_cast<std::uint8_t>(rows >> 8)});
        for (int y = top; y < top + rows; ++y) {
            const auto* row = image.bits().data() + static_cast<std::size_t>(y) * image.stride();
            out.insert(out.end(), row, row + copyBytes);
            out.insert(out.end(), static_cast<std::size_t>(rowBytes - copyBytes), 0);
        }
    }
    if (profile.feedLinesBeforeCut > 0)
        put(out, {kEsc, 'd', static_cast<std::uint8_t>(profile.feedLinesBeforeCut)});
    if (profile.cut != CutMode::None)
        put(out, {kGs, 'V', static_cast<std::uint8_t>(profile.cut == CutMode::Full ? 65 : 66), 0});
    return out;
}

} // namespace loket::ticket
