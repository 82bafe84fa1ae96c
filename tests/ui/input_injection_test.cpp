#include "shared/ui/input_injection.hpp"

#include "ui_fixture.hpp"

#include <imgui.h>

using namespace loket::ui;

namespace {
// One frame with one button; returns whether it was pressed this frame.
bool frameWithButton(HeadlessUi& ui, InputScript& input) {
    input.apply(ui.ui->io());
    ui.ui->beginFrame(400, 300, 1.0f / 60);
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(400, 300));
    ImGui::Begin("screen", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground);
    ImGui::SetCursorPos(ImVec2(100, 100));
    const bool pressed = ImGui::Button("Verder", ImVec2(200, 100));
    ImGui::End();
    ui.ui->endFrame(ui.theme.background);
    return pressed;
}
} // namespace

TEST_CASE("input: a tap is two frames and the button fires on release") {
    HeadlessUi ui(400, 300);
    InputScript input;
    input.idle();
    CHECK_FALSE(frameWithButton(ui, input));
    input.tap(200, 150);
    CHECK_FALSE(frameWithButton(ui, input)); // pressed
    CHECK(frameWithButton(ui, input));       // released: fires
    CHECK(input.empty());
    input.tap(20, 20); // outside the button
    CHECK_FALSE(frameWithButton(ui, input));
    CHECK_FALSE(frameWithButton(ui, input));
}
