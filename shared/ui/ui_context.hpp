// UiContext: one Dear ImGui context bound to an SDL_Renderer (window or headless), with the
// project's settings (no imgui.ini, no mouse cursor drawing). Frames are driven by the owner:
// beginFrame → draw functions → endFrame, then present (SDL_RenderPresent) for a window.
// The SDL platform backend is not used: the display takes no input, and the kiosk feeds input
// through input_injection.hpp or its own event translation.
#pragma once

#include "shared/ui/colour.hpp"
#include "shared/ui/fonts.hpp"

#include <imgui.h>

struct SDL_Renderer;

namespace loket::ui {

class UiContext {
public:
    explicit UiContext(SDL_Renderer* renderer);
    ~UiContext();
    UiContext(const UiContext&) = delete;
    UiContext& operator=(const UiContext&) = delete;

    ImGuiIO& io();
    ImFontAtlas& fonts() { return *io().Fonts; }
    GlyphRanges& glyphRanges() { return m_ranges; }

    // Starts a frame of `width`×`height` pixels, `deltaS` after the previous one.
    void beginFrame(int width, int height, float deltaS);
    // Clears to `background` and renders what the draw functions drew. After the first frame the
    // font atlas lives only in the renderer's texture: load fonts before the first frame.
    void endFrame(Rgb background);

private:
    SDL_Renderer* m_renderer;
    ImGuiContext* m_context;
    GlyphRanges m_ranges;
};

} // namespace loket::ui
