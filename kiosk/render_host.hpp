// RenderHost: one Dear ImGui context drawn with the SDL_Renderer backend, either into a window
// (a kiosk on a desktop or its panel) or into a software surface with no display at all
// (tests, screenshots, `--headless`). Input goes in through setPointer() in both cases — Dear
// ImGui 1.86 has no event queue, and synthetic touches must take the same path as real ones.
// Used by the kiosk program only; the screens never see it.
#pragma once

#include "shared/core/result.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct SDL_Window;
struct SDL_Renderer;
struct SDL_Surface;
struct ImGuiContext;

namespace loket::kiosk {

struct Rgb {
    unsigned char r = 0, g = 0, b = 0;
};

class RenderHost {
public:
    // A window of w×h (fullscreen on the kiosk itself); needs a video driver with a display.
    static Result<std::unique_ptr<RenderHost>> window(int width, int height, bool fullscreen, const std::string& title);
    // A software surface of w×h; needs no display, no GPU and no X server.
    static Result<std::unique_ptr<RenderHost>> headless(int width, int height);
    ~RenderHost();
    RenderHost(const RenderHost&) = delete;
    RenderHost& operator=(const RenderHost&) = delete;

    int width() const { return m_width; }
    int height() const { return m_height; }
    bool isHeadless() const { return m_window == nullptr; }

    // The pointer (mouse or finger) position and whether it is pressed.
    void setPointer(float x, float y, bool down);
    // Starts a frame (ImGui::NewFrame) after `dtSeconds`; the backend uploads the font atlas on the first.
    void beginFrame(float dtSeconds);
    // Clears to `background`, renders the frame and shows it (window) or leaves it in the surface.
    void endFrame(Rgb background);

    // The pixels of the last frame as RGB, row by row (headless: the surface; window: read back).
    Result<std::vector<unsigned char>> pixels() const;
    Status writePng(const std::filesystem::path& file) const;

private:
    RenderHost() = default;
    Status initImGui();

    SDL_Window* m_window = nullptr;
    SDL_Renderer* m_renderer = nullptr;
    SDL_Surface* m_surface = nullptr;
    ImGuiContext* m_context = nullptr;
    bool m_backend = false;
    int m_width = 0;
    int m_height = 0;
};

} // namespace loket::kiosk
