#include "bitmap.hpp"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <bit>
#include <memory>

namespace loket::ticket {

Bitmap::Bitmap(int width, int height)
    : m_width(std::max(width, 0)), m_height(std::max(height, 0)), m_stride((m_width + 7) / 8),
      m_bits(static_cast<std::size_t>(m_stride) * static_cast<std::size_t>(m_height), 0) {}

bool Bitmap::get(int x, int y) const {
    if (x < 0 || y < 0 || x >= m_width || y >= m_height) return false;
    return (m_bits[static_cast<std::size_t>(y) * m_stride + x / 8] >> (7 - x % 8)) & 1;
}

void Bitmap::set(int x, int y, bool black) {
    if (x < 0 || y < 0 || x >= m_width || y >= m_height) return;
    auto& byte = m_bits[static_cast<std::size_t>(y) * m_stride + x / 8];
    const auto mask = static_cast<std::uint8_t>(0x80 >> (x % 8));
    byte = black ? static_cast<std::uint8_t>(byte | mask) : static_cast<std::uint8_t>(byte & ~mask);
}

void Bitmap::fillRect(int x, int y, int w, int h, bool black) {
    const int x0 = std::max(x, 0), y0 = std::max(y, 0);
    const int x1 = std::min(x + w, m_width), y1 = std::min(y + h, m_height);
    for (int yy = y0; yy < y1; ++yy)
        for (int xx = x0; xx < x1; ++xx) set(xx, yy, black);
}

void Bitmap::resizeHeight(int height) {
    m_height = std::max(height, 0);
    m_bits.resize(static_cast<std::size_t>(m_stride) * static_cast<std::size_t>(m_height), 0);
}

std::size_t Bitmap::blackCount() const {
    std::size_t n = 0;
    for (auto byte : m_bits) n += static_cast<std::size_t>(std::popcount(byte));
    return n;
}

Status writePng(const Bitmap& bitmap, const std::filesystem::path& path) {
    if (bitmap.width() == 0 || bitmap.height() == 0)
        return makeError(ErrorCode::InvalidValue, "cannot write an empty bitmap to " + path.string());
    std::vector<std::uint8_t> grey(static_cast<std::size_t>(bitmap.width()) * bitmap.height());
    for (int y = 0; y < bitmap.height(); ++y)
        for (int x = 0; x < bitmap.width(); ++x)
            grey[static_cast<std::size_t>(y) * bitmap.width() + x] = bitmap.get(x, y) ? 0 : 255;
    if (!stbi_write_png(path.c_str(), bitmap.width(), bitmap.height(), 1, grey.data(), bitmap.width()))
        return makeError(ErrorCode::Io, "cannot write PNG " + path.string());
    return Ok{};
}

Result<Bitmap> readPng(const std::filesystem::path& path) {
    int w = 0, h = 0, channels = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load(path.c_str(), &w, &h, &channels, 1),
                                                     stbi_image_free);
    if (!pixels) return makeError(ErrorCode::Io, "cannot read PNG " + path.string());
    Bitmap out(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (pixels.get()[static_cast<std::size_t>(y) * w + x] < 128) out.set(x, y);
    return out;
}

std::size_t countDifferentDots(const Bitmap& a, const Bitmap& b) {
    if (a.width() != b.width() || a.height() != b.height())
        return std::max(static_cast<std::size_t>(a.width()) * a.height(),
                        static_cast<std::size_t>(b.width()) * b.height());
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.bits().size(); ++i)
        n += static_cast<std::size_t>(std::popcount(static_cast<std::uint8_t>(a.bits()[i] ^ b.bits()[i])));
    return n;
}

} // namespace loket::ticket
