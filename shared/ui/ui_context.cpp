#include "shared/ui/ui_context.hpp"

#include <SDL.h>
#include <imgui_impl_sdlrenderer.h>

namespace loket::ui {

UiContext::UiContext(SDL_Renderer* renderer) : m_renderer(renderer) {
    IMGUI_CHECKVERSION();
    m_context = ImGui::CreateContext();
    ImGui::SetCurrentContext(m_context);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // no imgui.ini: screens are functions of their view-model
    io.LogFilename = nullptr;
    io.MouseDrawCursor = false;
    ImGui_ImplSDLRenderer_Init(renderer);
}

UiContext::~UiContext() {
    ImGui::SetCurrentContext(m_context);
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui::DestroyContext(m_context);
}

ImGuiIO& UiContext::io() {
    ImGui::SetCurrentContext(m_context);
    return ImGui::GetIO();
}

void UiContext::beginFrame(int width, int height, float deltaS) {
    ImGui::SetCurrentContext(m_context);
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
    io.DeltaTime = deltaS > 0 ? deltaS : 1.0f / 60.0f;
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui::NewFrame();
}

void UiContext::endFrame(Rgb background) {
    ImGui::Render();
    // The background is cleared by SDL, not drawn by a full-screen ImGui window: ~4x cheaper
    // on the software renderer.
    SDL_SetRenderDrawColor(m_renderer, background.r, background.g, background.b, 255);
    SDL_RenderClear(m_renderer);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    // The backend copied the atlas into its texture in the first NewFrame: ImGui's own CPU copies
    // (alpha and RGBA, 5 bytes a texel — 20 MB for a 2048² atlas) are no longer needed.
    ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    if (atlas.TexID && (atlas.TexPixelsAlpha8 || atlas.TexPixelsRGBA32)) atlas.ClearTexData();
}

} // namespace loket::ui
