#include "shared/ui/host.hpp"

#include <SDL.h>
#include <imgui.h>

#include <cfloat>
#include <malloc.h>

namespace loket::ui {

Result<std::unique_ptr<Host>> Host::open(const HostOptions& options) {
    // Screen-sized buffers come and go: the font atlas while it is built, frame copies, PNGs.
    // glibc raises its mmap threshold to the size of the first such buffer that is freed and then
    // serves later ones from the heap, where they stay resident after free (9 MB of the display's
    // 55 MB idle). A fixed threshold hands every block of 128 kB or more back when it is freed.
    // Process-wide, which is right here: a program has one host, and its big buffers are these.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    std::unique_ptr<Host> host(new Host());
    host->m_width = options.width;
    host->m_height = options.height;
    if (options.headless) {
        auto created = HeadlessRenderer::create(options.width, options.height);
        if (!created) return created.error();
        host->m_headless = std::move(*created);
        host->m_renderer = host->m_headless->renderer();
    } else {
        if (options.width <= 0 || options.height <= 0)
            return makeError(ErrorCode::InvalidValue, "a window needs a width and a height of at least 1 pixel");
        if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
            return makeError(ErrorCode::Unavailable, std::string("no video: ") + SDL_GetError() + " (try --headless)");
        host->m_videoStarted = true;
        Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
        if (options.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        host->m_window = SDL_CreateWindow(options.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                          options.width, options.height, flags);
        if (!host->m_window)
            return makeError(ErrorCode::Unavailable, std::string("no window: ") + SDL_GetError() + " (try --headless)");
        host->m_renderer = SDL_CreateRenderer(host->m_window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
        if (!host->m_renderer) host->m_renderer = SDL_CreateRenderer(host->m_window, -1, SDL_RENDERER_SOFTWARE);
        if (!host->m_renderer) return makeError(ErrorCode::Unavailable, std::string("no renderer: ") + SDL_GetError());
        // Draw in the configured size whatever the real window is (fullscreen on another panel).
        SDL_RenderSetLogicalSize(host->m_renderer, options.width, options.height);
        if (!options.showCursor) SDL_ShowCursor(SDL_DISABLE);
    }
    host->m_ui = std::make_unique<UiContext>(host->m_renderer);
    host->clearPointer();
    return host;
}

Host::~Host() {
    m_ui.reset(); // the ImGui backend goes before its renderer
    if (m_window) {
        SDL_DestroyRenderer(m_renderer);
        SDL_DestroyWindow(m_window);
    }
    m_headless.reset();
    if (m_videoStarted) SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

void Host::setPointer(float x, float y, bool down) {
    ImGuiIO& io = m_ui->io();
    io.MousePos = ImVec2(x, y);
    io.MouseDown[0] = down;
}

void Host::clearPointer() {
    ImGuiIO& io = m_ui->io();
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    io.MouseDown[0] = false;
}

bool Host::closeRequested() {
    if (!m_window) return false;
    SDL_Event e;
    bool quit = false;
    while (SDL_PollEvent(&e))
        if (e.type == SDL_QUIT) quit = true;
    return quit;
}

void Host::beginFrame(float deltaS) { m_ui->beginFrame(m_width, m_height, deltaS); }

void Host::endFrame(Rgb background) {
    m_ui->endFrame(background);
    if (m_window) SDL_RenderPresent(m_renderer);
}

Result<PixelView> Host::pixels() const {
    if (m_headless) return m_headless->pixels();
    m_readBack.resize(static_cast<std::size_t>(m_width) * m_height * 4);
    if (SDL_RenderReadPixels(m_renderer, nullptr, SDL_PIXELFORMAT_RGBA32, m_readBack.data(), m_width * 4) != 0)
        return makeError(ErrorCode::Io, std::string("cannot read the screen back: ") + SDL_GetError());
    return PixelView{m_readBack.data(), m_width, m_height, m_width * 4};
}

Result<std::uint64_t> Host::pixelHash() const {
    auto p = pixels();
    if (!p) return p.error();
    return ui::pixelHash(*p);
}

Status Host::writePng(const std::filesystem::path& file) const {
    auto p = pixels();
    if (!p) return p.error();
    return ui::writePng(file, *p);
}

} // namespace loket::ui
