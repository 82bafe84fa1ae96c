#include "display/screenshot_writer.hpp"

#include "shared/ui/headless_renderer.hpp"

#include <cstdio>
#include <cstring>
#include <malloc.h>

namespace loket::display {

ScreenshotWriter::ScreenshotWriter(std::filesystem::path file) : m_file(std::move(file)) {
    m_thread = std::thread([this] { run(); });
}

ScreenshotWriter::~ScreenshotWriter() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void ScreenshotWriter::submit(const ui::PixelView& p) {
    std::vector<std::uint8_t> copy(static_cast<std::size_t>(p.width) * p.height * 4);
    for (int y = 0; y < p.height; ++y) std::memcpy(copy.data() + static_cast<std::size_t>(y) * p.width * 4, p.data + y * p.pitch, p.width * 4);
    {
        std::lock_guard lock(m_mutex);
        m_pending = std::move(copy);
        m_width = p.width;
        m_height = p.height;
    }
    m_wake.notify_all();
}

int ScreenshotWriter::written() const {
    std::lock_guard lock(m_mutex);
    return m_written;
}

void ScreenshotWriter::run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stop || m_pending; });
        if (!m_pending) return; // stopping with nothing left to write
        std::vector<std::uint8_t> frame = std::move(*m_pending);
        m_pending.reset();
        const int w = m_width, h = m_height;
        lock.unlock();
        auto st = ui::writePng(m_file, ui::PixelView{frame.data(), w, h, w * 4});
        if (!st) std::fprintf(stderr, "loket-display: %s\n", st.error().message.c_str());
        // The frame copy and the PNG encoder's buffers (~16 MB at 1080p) came from this thread's
        // malloc arena, which keeps freed memory: hand it back, a screenshot is seconds apart.
        frame = {};
        malloc_trim(0);
        lock.lock();
        if (st) ++m_written;
    }
}

} // namespace loket::display
