#include "render_host.hpp"

#include <SDL.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <cstring>

namespace loket::kiosk {

Result<std::unique_ptr<RenderHost>> RenderHost::window(int width, int height, bool fullscreen, const std::string& title) {
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
        return makeError(ErrorCode::Unavailable, std::string("no video: ") + SDL_GetError());
    std::unique_ptr<RenderHost> host(new RenderHost());
    host->m_width = width;
    host->m_height = height;
    Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
    if (fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    host->m_window = SDL_CreateWindow(title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height, flags);
    if (!host->m_window) return makeError(ErrorCode::Unavailable, std::string("no window: ") + SDL_GetError());
    host->m_renderer = SDL_CreateRenderer(host->m_window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!host->m_renderer) host->m_renderer = SDL_CreateRenderer(host->m_window, -1, SDL_RENDERER_SOFTWARE);
    if (!host->m_renderer) return makeError(ErrorCode::Unavailable, std::string("no renderer: ") + SDL_GetError());
    // Draw in the configured logical size whatever the real window is.
    SDL_RenderSetLogicalSize(host->m_renderer, width, height);
    if (auto st = host->initImGui(); !st) return st.error();
    return host;
}

Result<std::unique_ptr<RenderHost>> RenderHost::headless(int width, int height) {
    std::unique_ptr<RenderHost> host(new RenderHost());
    host->m_width = width;
    host->m_height = height;
    host->m_surface = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_RGBA32);
    if (!host->m_surface) return makeError(ErrorCode::Unavailable, std::string("no surface: ") + SDL_GetError());
    host->m_renderer = SDL_CreateSoftwareRenderer(host->m_surface);
    if (!host->m_renderer) return makeError(ErrorCode::Unavailable, std::string("no software renderer: ") + SDL_GetError());
    if (auto st = host->initImGui(); !st) return st.error();
    return host;
}

Status RenderHost::initImGui() {
    IMGUI_CHECKVERSION();
    m_context = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // a kiosk keeps no imgui.ini
    io.LogFilename = nullptr;
    io.DisplaySize = ImVec2(static_cast<float>(m_width), static_cast<float>(m_height));
    io.MouseDrawCursor = false;
    ImGui::GetStyle().AntiAliasedLines = true;
    if (!ImGui_ImplSDLRenderer_Init(m_renderer)) return makeError(ErrorCode::Unavailable, "the ImGui SDL renderer did not start");
    m_backend = true;
    return Ok{};
}

RenderHost::~RenderHost() {
    if (m_backend) ImGui_ImplSDLRenderer_Shutdown();
    if (m_context) ImGui::DestroyContext(m_context);
    if (m_renderer) SDL_DestroyRenderer(m_renderer);
    if (m_surface) SDL_FreeSurface(m_surface);
    if (m_window) SDL_DestroyWindow(m_window);
}

void RenderHost::setPointer(float x, float y, bool down) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    io.MouseDown[0] = down;
}

void RenderHost::beginFrame(float dtSeconds) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = dtSeconds > 0 ? dtSeconds : 1.0f / 60.0f;
    io.DisplaySize = ImVec2(static_cast<float>(m_width), static_cast<float>(m_height));
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui::NewFrame();
}

void RenderHost::endFrame(Rgb bg) {
    ImGui::Render();
    SDL_SetRenderDrawColor(m_renderer, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(m_renderer);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    SDL_RenderPresent(m_renderer);
}

Result<std::vector<unsigned char>> RenderHost::pixels() const {
    std::vector<unsigned char> rgba(static_cast<std::size_t>(m_width) * m_height * 4);
    if (m_surface) {
        SDL_LockSurface(m_surface);
        for (int y = 0; y < m_height; ++y)
            std::memcpy(&rgba[static_cast<std::size_t>(y) * m_width * 4],
                        static_cast<unsigned char*>(m_surface->pixels) + static_cast<std::size_t>(y) * m_surface->pitch,
                        static_cast<std::size_t>(m_width) * 4);
        SDL_UnlockSurface(m_surface);
    } else if (SDL_RenderReadPixels(m_renderer, nullptr, SDL_PIXELFORMAT_RGBA32, rgba.data(), m_width * 4) != 0) {
        return makeError(ErrorCode::Io, std::string("cannot read the screen back: ") + SDL_GetError());
    }
    std::vector<unsigned char> rgb(static_cast<std::size_t>(m_width) * m_height * 3);
    for (std::size_t i = 0, j = 0; i < rgba.size(); i += 4, j += 3) {
        rgb[j] = rgba[i];
        rgb[j + 1] = rgba[i + 1];
        rgb[j + 2] = rgba[i + 2];
    }
    return rgb;
}

Status RenderHost::writePng(const std::filesystem::path& file) const {
    auto rgb = pixels();
    if (!rgb) return rgb.error();
    stbi_write_png_compression_level = 2; // screenshots: fast to write beats small
    if (!stbi_write_png(file.string().c_str(), m_width, m_height, 3, rgb->data(), m_width * 3))
        return makeError(ErrorCode::Io, "cannot write " + file.string());
    return Ok{};
}

} // namespace loket::kiosk
