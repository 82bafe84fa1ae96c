// The shared UI host: headless frames with fonts loaded through it, input through setPointer,
// pixels and PNGs back, and the font atlas held only once (in the renderer) after the first frame.
#include "shared/ui/host.hpp"

#include "shared/ui/fonts.hpp"
#include "ui_fixture.hpp"

#include <imgui.h>

#include <filesystem>

using namespace loket::ui;

namespace {

std::unique_ptr<Host> headless(int w, int h) {
    auto host = Host::open(HostOptions{w, h, true});
    REQUIRE(host);
    return std::move(*host);
}

// One frame with one button at (100, 100)–(300, 200); whether it was pressed.
bool frameWithButton(Host& host) {
    host.beginFrame(1.0f / 60);
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(static_cast<float>(host.width()), static_cast<float>(host.height())));
    ImGui::Begin("screen", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground);
    ImGui::SetCursorPos(ImVec2(100, 100));
    const bool pressed = ImGui::Button("Verder", ImVec2(200, 100));
    ImGui::End();
    host.endFrame(Rgb{255, 255, 255});
    return pressed;
}

} // namespace

TEST_CASE("host: a headless host draws the same pixels for the same frame and others for another") {
    auto host = headless(320, 200);
    REQUIRE(host->isHeadless());
    frameWithButton(*host);
    auto first = host->pixelHash();
    REQUIRE(first);
    frameWithButton(*host);
    CHECK(*host->pixelHash() == *first);
    host->setPointer(150, 150, false); // hovered: the button changes colour
    frameWithButton(*host);
    CHECK(*host->pixelHash() != *first);
    auto px = host->pixels();
    REQUIRE(px);
    CHECK(px->at(0, 0) == Rgb{255, 255, 255}); // cleared to the background by the host
}

TEST_CASE("host: a touch injected through setPointer presses a button on release") {
    auto host = headless(400, 300);
    host->setPointer(200, 150, false);
    CHECK_FALSE(frameWithButton(*host));
    host->setPointer(200, 150, true);
    CHECK_FALSE(frameWithButton(*host));
    host->setPointer(200, 150, false);
    CHECK(frameWithButton(*host));
    host->clearPointer();
    CHECK_FALSE(frameWithButton(*host));
}

TEST_CASE("host: fonts load once per file, and the atlas pixels are freed once the renderer has them") {
    auto host = headless(400, 300);
    GlyphRanges& ranges = host->ui().glyphRanges();
    buildGlyphRanges(ranges, {"Kosten: \u20AC 75"}, {});
    auto fonts = loadFontSet(host->fonts(), {FontSpec{kTestFont, 24, ranges.text.Data}, FontSpec{kTestFont, 40, ranges.text.Data},
                                             FontSpec{kTestFont, 120, ranges.huge.Data}});
    REQUIRE(fonts);
    REQUIRE(fonts->size() == 3);
    CHECK((*fonts)[0]->FontSize == 24);
    CHECK((*fonts)[2]->FindGlyphNoFallback('7') != nullptr);
    CHECK((*fonts)[2]->FindGlyphNoFallback('q') == nullptr);
    CHECK(host->fonts().ConfigData.empty()); // the file bytes are not kept after the build
    CHECK(host->fonts().TexPixelsAlpha8 != nullptr);

    host->beginFrame(1.0f / 60);
    ImGui::GetBackgroundDrawList()->AddText((*fonts)[1], 40, ImVec2(10, 10), IM_COL32(0, 0, 0, 255), "\u20AC 75");
    host->endFrame(Rgb{255, 255, 255});
    CHECK(host->fonts().TexPixelsAlpha8 == nullptr);
    CHECK(host->fonts().TexPixelsRGBA32 == nullptr);
    auto px = host->pixels();
    REQUIRE(px);
    auto ink = measureInk(*px, Region{0, 0, 400, 100});
    CHECK(ink.contrast > 15); // the text is still drawn from the renderer's copy
    CHECK(ink.inkHeight() > 20);

    // The next frame draws the same from the renderer's texture alone.
    const auto before = pixelHash(*px);
    host->beginFrame(1.0f / 60);
    ImGui::GetBackgroundDrawList()->AddText((*fonts)[1], 40, ImVec2(10, 10), IM_COL32(0, 0, 0, 255), "\u20AC 75");
    host->endFrame(Rgb{255, 255, 255});
    CHECK(*host->pixelHash() == before);
}

TEST_CASE("host: a missing font file is named in the error") {
    auto host = headless(100, 100);
    GlyphRanges& ranges = host->ui().glyphRanges();
    buildGlyphRanges(ranges, {}, {});
    auto fonts = loadFontSet(host->fonts(), {FontSpec{"/nonexistent/font.ttf", 20, ranges.text.Data}});
    REQUIRE_FALSE(fonts);
    CHECK(fonts.error().message.find("/nonexistent/font.ttf") != std::string::npos);
}

TEST_CASE("host: a headless frame is written as a PNG, and a bad size is refused") {
    auto host = headless(64, 48);
    frameWithButton(*host);
    const auto file = std::filesystem::temp_directory_path() / "loket-host-test" / "frame.png";
    REQUIRE(host->writePng(file));
    CHECK(std::filesystem::file_size(file) > 0);
    CHECK_FALSE(std::filesystem::exists(file.string() + ".tmp"));
    std::filesystem::remove_all(file.parent_path());
    auto bad = Host::open(HostOptions{0, 48, true});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("size") != std::string::npos);
}
