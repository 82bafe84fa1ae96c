#include "shared/ui/contrast.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace loket::ui;

TEST_CASE("contrast: WCAG ratios of known colour pairs") {
    CHECK(contrastRatio(Rgb{255, 255, 255}, Rgb{0, 0, 0}) == Approx(21.0));
    CHECK(contrastRatio(Rgb{0, 0, 0}, Rgb{255, 255, 255}) == Approx(21.0));
    CHECK(contrastRatio(Rgb{0x77, 0x77, 0x77}, Rgb{255, 255, 255}) == Approx(4.48).margin(0.01));
    CHECK(contrastRatio(Rgb{10, 20, 30}, Rgb{10, 20, 30}) == Approx(1.0));
}

TEST_CASE("contrast: ink is measured on pixels - its colour, contrast and bounding box") {
    const int w = 40, h = 30;
    std::vector<std::uint8_t> px(w * h * 4);
    auto set = [&](int x, int y, Rgb c) {
        auto* p = &px[(y * w + x) * 4];
        p[0] = c.r, p[1] = c.g, p[2] = c.b, p[3] = 255;
    };
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) set(x, y, Rgb{0, 0, 0});
    for (int y = 5; y < 25; ++y)
        for (int x = 10; x < 14; ++x) set(x, y, Rgb{255, 255, 255}); // a 4×20 bar
    set(30, 2, Rgb{60, 60, 60}); // a faint anti-aliasing pixel: neither the ink nor inside its box
    auto m = measureInk(PixelView{px.data(), w, h, w * 4}, Region{0, 0, w, h});
    CHECK(m.background == Rgb{0, 0, 0});
    CHECK(m.ink == Rgb{255, 255, 255});
    CHECK(m.contrast == Approx(21.0));
    CHECK(m.inkHeight() == 20);
    CHECK(m.inkWidth() == 4);
    auto outside = measureInk(PixelView{px.data(), w, h, w * 4}, Region{20, 0, 20, 30});
    CHECK(outside.inkPixels == 0);
}
