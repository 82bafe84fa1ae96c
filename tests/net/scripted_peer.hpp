// A scripted HTTP peer on loopback for testing the generic client behaviour of loket::net
// (timeouts, error bodies, retries, dropped event streams). It is not a stand-in for the hall
// server: each test scripts the exact HTTP exchange it checks. OS-assigned port; always stopped.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

class ScriptedPeer {
public:
    httplib::Server server;

    ScriptedPeer() { server.new_task_queue = [] { return new httplib::ThreadPool(8); }; }
    ~ScriptedPeer() { stop(); }

    // Call after registering the handlers.
    void start() {
        m_port = server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { server.listen_after_bind(); });
        while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    void stop() {
        if (m_thread.joinable()) {
            server.stop();
            m_thread.join();
        }
    }
    int port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
    int m_port = 0;
    std::thread m_thread;
};

// Gate: a peer's handler holds a stream open until the test opens the gate. Handlers wait on it
// (woken at once by open()), checking between waits whether the client has gone.
class Gate {
public:
    void open() {
        {
            std::lock_guard lock(m_mutex);
            m_open = true;
        }
        m_cv.notify_all();
    }
    // True once open; false when `timeout` passed first.
    bool waitFor(std::chrono::milliseconds timeout) {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, timeout, [this] { return m_open; });
    }
    // Holds until the gate opens or `stillWanted` says the stream is no longer read.
    template <typename Fn>
    void holdWhile(Fn&& stillWanted) {
        while (!waitFor(std::chrono::milliseconds(50)) && stillWanted()) {
        }
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_open = false;
};

// Polls `condition` until it holds or `timeout` passes; tests wait for conditions, not sleeps.
template <typename Fn>
bool waitFor(Fn&& condition, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return condition();
}
