// Host: the one place a Loket program gets a screen — the kiosk and the display both use it.
// It opens either a window (SDL window + renderer, accelerated when there is a GPU) or a
// headless software surface (no display, no GPU, no X server: tests, screenshots, `--headless`),
// holds the Dear ImGui context bound to that renderer (UiContext), takes input injected as a
// pointer position (ImGui 1.86 has no event queue; real touches and synthetic ones take the same
// path), and gives the pixels of the last frame back (hash, PNG).
//
// Opening a host fixes glibc's mmap threshold at 128 kB for the process, so that freed frame
// and atlas buffers go back to the system (see host.cpp).
//
// What is drawn is not its business: programs load their fonts into fonts() (fonts.hpp), and
// their draw functions run between beginFrame() and endFrame(). The host has no screens, no
// network and no program state.
#pragma once

#include "shared/core/result.hpp"
#include "shared/ui/contrast.hpp"
#include "shared/ui/headless_renderer.hpp"
#include "shared/ui/ui_context.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct SDL_Window;
struct SDL_Renderer;

namespace loket::ui {

struct HostOptions {
    int width = 1920;
    int height = 1080;
    bool headless = false;     // a software surface instead of a window
    bool fullscreen = false;   // window only: the whole screen, drawn at width × height (scaled)
    bool showCursor = true;    // window only: a display hides the mouse pointer
    std::string title = "Loket";
};

class Host {
public:
    static Result<std::unique_ptr<Host>> open(const HostOptions& options);
    ~Host();
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    int width() const { return m_width; }
    int height() const { return m_height; }
    bool isHeadless() const { return m_window == nullptr; }
    SDL_Renderer* renderer() const { return m_renderer; }
    UiContext& ui() { return *m_ui; }
    ImFontAtlas& fonts() { return m_ui->fonts(); }

    // The pointer (mouse or finger) position and whether it is pressed; applied from the next frame.
    void setPointer(float x, float y, bool down);
    // The pointer away from the screen (nothing hovered).
    void clearPointer();

    // Window only: true once the window was asked to close (SDL_QUIT). Handles pending window
    // events; a program that reads input (the kiosk) polls SDL's queue itself instead.
    bool closeRequested();

    // Starts a frame `deltaS` after the previous one (ImGui::NewFrame).
    void beginFrame(float deltaS);
    // Clears to `background`, renders the frame and, for a window, shows it.
    void endFrame(Rgb background);

    // The pixels of the last frame (RGBA32). Headless: the surface itself; window: read back.
    // Valid until the next frame.
    Result<PixelView> pixels() const;
    // FNV-1a over the visible pixels of the last frame: equal frames, equal hashes.
    Result<std::uint64_t> pixelHash() const;
    Status writePng(const std::filesystem::path& file) const;

private:
    Host() = default;

    SDL_Window* m_window = nullptr;
    SDL_Renderer* m_renderer = nullptr;      // the window's; headless: m_headless's
    std::unique_ptr<HeadlessRenderer> m_headless;
    std::unique_ptr<UiContext> m_ui;
    bool m_videoStarted = false;
    int m_width = 0;
    int m_height = 0;
    mutable std::vector<std::uint8_t> m_readBack; // window pixels read back for pixels()
};

} // namespace loket::ui
