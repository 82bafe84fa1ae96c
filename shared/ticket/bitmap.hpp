// Bitmap: a 1-bit image, the ticket as the printer sees it (1 = a black dot).
// Rows are packed 8 dots to a byte, most significant bit = leftmost dot, exactly the layout of the
// ESC/POS `GS v 0` raster command, so encoding a ticket is a copy and not a conversion.
// Used by the ticket layout, the ESC/POS encoder and decoder, the file transport and the tests.
// Depends on the standard library and stb_image(_write) only.
#pragma once

#include "shared/core/result.hpp"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace loket::ticket {

class Bitmap {
public:
    Bitmap() = default;
    Bitmap(int width, int height);

    int width() const { return m_width; }
    int height() const { return m_height; }
    // Bytes in one packed row: width rounded up to whole bytes.
    int stride() const { return m_stride; }
    const std::vector<std::uint8_t>& bits() const { return m_bits; }
    std::vector<std::uint8_t>& bits() { return m_bits; }

    bool get(int x, int y) const;
    // Out-of-range dots are ignored, so drawing code may clip by simply drawing.
    void set(int x, int y, bool black = true);
    void fillRect(int x, int y, int w, int h, bool black = true);
    // Keeps the top `height` rows (new rows are white).
    void resizeHeight(int height);
    // Number of black dots: a cheap fingerprint for tests and the benchmark.
    std::size_t blackCount() const;

    bool operator==(const Bitmap& other) const = default;

private:
    int m_width = 0;
    int m_height = 0;
    int m_stride = 0;
    std::vector<std::uint8_t> m_bits;
};

// Writes the bitmap as an 8-bit grey PNG (black dots black, paper white).
Status writePng(const Bitmap& bitmap, const std::filesystem::path& path);
// Reads any PNG stb_image understands; a pixel darker than mid-grey becomes a black dot.
Result<Bitmap> readPng(const std::filesystem::path& path);
// Dots that differ between two bitmaps of the same size (a size mismatch counts every dot).
std::size_t countDifferentDots(const Bitmap& a, const Bitmap& b);

} // namespace loket::ticket
