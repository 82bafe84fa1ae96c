// MainQueue: hands results from worker threads to the main (UI) thread — the one queue type of
// the kiosk (worker → flow inputs) and the display (hall link → messages). Workers push; the main
// loop drains everything once per frame. A mutex, a vector and a condition variable; standard
// library only, so it may be used by any library or program.
//
// The main loop either sleeps in waitFor() (a headless kiosk, the display), or sleeps somewhere
// else — a window waits on SDL's event queue — and gets woken by the `notify` hook, which runs
// on the pushing thread after each push.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

namespace loket::ui {

template <typename T>
class MainQueue {
public:
    MainQueue() = default;
    MainQueue(const MainQueue&) = delete;
    MainQueue& operator=(const MainQueue&) = delete;

    void push(T item) {
        std::function<void()> notify;
        {
            std::lock_guard lock(m_mutex);
            m_items.push_back(std::move(item));
            notify = m_notify;
        }
        m_ready.notify_all();
        if (notify) notify();
    }
    // Waits until something is queued or `timeout` passes. True when something is queued.
    template <typename Duration>
    bool waitFor(Duration timeout) {
        std::unique_lock lock(m_mutex);
        return m_ready.wait_for(lock, timeout, [this] { return !m_items.empty(); });
    }
    // Everything queued, oldest first; the queue is empty afterwards.
    std::vector<T> drain() {
        std::lock_guard lock(m_mutex);
        std::vector<T> out;
        out.swap(m_items);
        return out;
    }
    // Called on the pushing thread after every push (must be thread-safe; e.g. SDL_PushEvent).
    void setNotify(std::function<void()> notify) {
        std::lock_guard lock(m_mutex);
        m_notify = std::move(notify);
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::vector<T> m_items;
    std::function<void()> m_notify;
};

} // namespace loket::ui
