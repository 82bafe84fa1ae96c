#include "shared/ui/headless_renderer.hpp"

#include <SDL.h>
#include <stb_image_write.h>

namespace loket::ui {

Result<std::unique_ptr<HeadlessRenderer>> HeadlessRenderer::create(int width, int height) {
    if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
        return makeError(ErrorCode::InvalidValue, "a headless screen needs a size of 1 to 16384 pixels each way");
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_RGBA32);
    if (!surface) return makeError(ErrorCode::Internal, std::string("cannot create a surface: ") + SDL_GetError());
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
    if (!renderer) {
        SDL_FreeSurface(surface);
        return makeError(ErrorCode::Internal, std::string("cannot create a software renderer: ") + SDL_GetError());
    }
    return std::unique_ptr<HeadlessRenderer>(new HeadlessRenderer(surface, renderer));
}

HeadlessRenderer::~HeadlessRenderer() {
    SDL_DestroyRenderer(m_renderer);
    SDL_FreeSurface(m_surface);
}

int HeadlessRenderer::width() const { return m_surface->w; }
int HeadlessRenderer::height() const { return m_surface->h; }

PixelView HeadlessRenderer::pixels() const {
    return PixelView{static_cast<const std::uint8_t*>(m_surface->pixels), m_surface->w, m_surface->h, m_surface->pitch};
}

std::uint64_t HeadlessRenderer::pixelHash() const { return ui::pixelHash(pixels()); }

std::uint64_t pixelHash(const PixelView& p) {
    std::uint64_t hash = 1469598103934665603ull;
    for (int y = 0; y < p.height; ++y) {
        const std::uint8_t* row = p.data + y * p.pitch;
        for (int i = 0; i < p.width * 4; ++i) {
            hash ^= row[i];
            hash *= 1099511628211ull;
        }
    }
    return hash;
}

Status HeadlessRenderer::writePng(const std::filesystem::path& file) const { return ui::writePng(file, pixels()); }

Status writePng(const std::filesystem::path& file, const PixelView& p) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    const std::filesystem::path temp = file.string() + ".tmp";
    stbi_write_png_compression_level = 2; // screenshots: fast to write beats small
    if (!stbi_write_png(temp.c_str(), p.width, p.height, 4, p.data, p.pitch))
        return makeError(ErrorCode::Io, "cannot write " + file.string());
    std::filesystem::rename(temp, file, ec);
    if (ec) return makeError(ErrorCode::Io, "cannot write " + file.string() + ": " + ec.message());
    return Ok{};
}

} // namespace loket::ui
