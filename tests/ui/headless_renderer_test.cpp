#include "ui_fixture.hpp"

#include <imgui.h>
#include <stb_image.h>

#include <cstring>
#include <filesystem>

using namespace loket::ui;

namespace {
void drawH(HeadlessUi& ui, float size) {
    ui.ui->beginFrame(ui.target->width(), ui.target->height(), 1.0f / 60);
    ImGui::GetBackgroundDrawList()->AddText(ui.theme.fonts.huge, size, ImVec2(20, 10), packed(ui.theme.text), "H");
    ui.ui->endFrame(ui.theme.background);
}
} // namespace

TEST_CASE("headless: text renders to pixels with its cap height as the theme promised") {
    HeadlessUi ui(600, 400);
    drawH(ui, ui.theme.fonts.hugeSize);
    auto ink = measureInk(ui.target->pixels(), Region{0, 0, 600, 400});
    CHECK(ink.background == ui.theme.background);
    CHECK(ink.inkHeight() == Approx(ui.theme.hugeCapPx).margin(2));
    CHECK(ink.contrast >= 7);
}

TEST_CASE("headless: the same frame gives the same pixels, another frame other pixels") {
    HeadlessUi ui(320, 200);
    drawH(ui, 60);
    const auto first = ui.target->pixelHash();
    drawH(ui, 60);
    CHECK(ui.target->pixelHash() == first);
    drawH(ui, 61);
    CHECK(ui.target->pixelHash() != first);
}

TEST_CASE("headless: a frame is written as a PNG that reads back pixel for pixel") {
    HeadlessUi ui(200, 120);
    drawH(ui, 50);
    auto file = std::filesystem::temp_directory_path() / "loket_ui_test" / "frame.png";
    REQUIRE(ui.target->writePng(file));
    int w = 0, h = 0, n = 0;
    unsigned char* data = stbi_load(file.c_str(), &w, &h, &n, 4);
    REQUIRE(data);
    CHECK(w == 200);
    CHECK(h == 120);
    auto view = ui.target->pixels();
    bool same = true;
    for (int y = 0; y < h && same; ++y) same = std::memcmp(data + y * w * 4, view.data + y * view.pitch, w * 4) == 0;
    CHECK(same);
    stbi_image_free(data);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("headless: an impossible size is a clear error") {
    auto bad = HeadlessRenderer::create(0, 100);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == loket::ErrorCode::InvalidValue);
}
