// MainQueue: hands results from worker threads to the main (UI) thread. Workers push; the main
// loop drains everything once per frame. A mutex and a vector; nothing else is shared.
#pragma once

#include <condition_variable>
#include <mutex>
#include <vector>

namespace loket::display {

template <typename T>
class MainQueue {
public:
    void push(T item) {
        {
            std::lock_guard lock(m_mutex);
            m_items.push_back(std::move(item));
        }
        m_ready.notify_all();
    }
    // Waits until something is queued or `timeout` passes; the main loop sleeps here.
    template <typename Duration>
    void waitFor(Duration timeout) {
        std::unique_lock lock(m_mutex);
        m_ready.wait_for(lock, timeout, [this] { return !m_items.empty(); });
    }
    std::vector<T> drain() {
        std::lock_guard lock(m_mutex);
        std::vector<T> out;
        out.swap(m_items);
        return out;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::vector<T> m_items;
};

} // namespace loket::display
