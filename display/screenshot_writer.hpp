// ScreenshotWriter: writes the headless display's current screen to <dir>/current.png on its own
// thread (a 1080p PNG takes ~200 ms to encode; the main loop must not wait for it). Only the
// newest frame is kept: if frames come faster than PNGs, older ones are skipped.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "shared/ui/contrast.hpp"

namespace loket::display {

class ScreenshotWriter {
public:
    explicit ScreenshotWriter(std::filesystem::path file);
    ~ScreenshotWriter(); // writes a pending frame, then joins
    void submit(const ui::PixelView& pixels);
    int written() const;

private:
    void run();
    std::filesystem::path m_file;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<std::vector<std::uint8_t>> m_pending;
    int m_width = 0, m_height = 0;
    bool m_stop = false;
    int m_written = 0;
    std::thread m_thread;
};

} // namespace loket::display
