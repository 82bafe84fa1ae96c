// HeadlessRenderer: an SDL software renderer drawing into a memory surface — no window, no X
// server, no GPU. Output is byte-identical run to run, so tests hash the raw pixels and write a
// PNG only on request or on mismatch. Used by UI tests and `loket-display --headless`.
#pragma once

#include "shared/core/result.hpp"
#include "shared/ui/contrast.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>

struct SDL_Renderer;
struct SDL_Surface;

namespace loket::ui {

class HeadlessRenderer {
public:
    static Result<std::unique_ptr<HeadlessRenderer>> create(int width, int height);
    ~HeadlessRenderer();
    HeadlessRenderer(const HeadlessRenderer&) = delete;
    HeadlessRenderer& operator=(const HeadlessRenderer&) = delete;

    SDL_Renderer* renderer() const { return m_renderer; }
    int width() const;
    int height() const;
    // The pixels of the last drawn frame (RGBA32). Valid until the next frame is drawn.
    PixelView pixels() const;
    // FNV-1a over the visible pixels: equal frames, equal hashes.
    std::uint64_t pixelHash() const;
    Status writePng(const std::filesystem::path& file) const;

private:
    HeadlessRenderer(SDL_Surface* surface, SDL_Renderer* renderer) : m_surface(surface), m_renderer(renderer) {}
    SDL_Surface* m_surface = nullptr;
    SDL_Renderer* m_renderer = nullptr;
};

// FNV-1a over the visible pixels (row padding left out).
std::uint64_t pixelHash(const PixelView& pixels);

// Writes RGBA32 pixels as a PNG (atomically: a temporary file renamed into place, so a viewer
// never reads half a file).
Status writePng(const std::filesystem::path& file, const PixelView& pixels);

} // namespace loket::ui
